import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { Link, navigate } from '../../app/router.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { LastSyncLine } from '../partner-center/index.ts';
import { SERVICE_FAMILIES } from '../subscriptions/index.ts';
import { type Customer, type CustomerFilters, NO_FILTERS, useCustomers } from './api.ts';
import { useCountryName } from './country.ts';

const SEARCH_DELAY_MS = 300;
const CLOUDS = ['public', 'usgov', 'china'] as const;
const STATES = ['active', 'inactive', 'suspended', 'removed'] as const;

const customerPath = (customer: Pick<Customer, 'id'>) => `/staff/customers/${customer.id}`;

function Source({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  return (
    <Stack gap={2} align="flex-start">
      <Badge variant="light" color={customer.source === 'partner_center' ? 'blue' : 'gray'} size="sm">
        {t('customers.source', { source: customer.source === 'partner_center' ? 'partnerCenter' : 'local' })}
      </Badge>
      {customer.syncedAt && (
        <Text size="xs" c="dimmed">
          {t('customers.syncedAt', { at: new Date(customer.syncedAt) })}
        </Text>
      )}
    </Stack>
  );
}

export function CustomerBadges({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  return (
    <Group gap={4}>
      <Badge variant="light" color={customer.status === 'active' ? 'teal' : 'gray'} size="sm">
        {t('customers.status', { status: customer.status })}
      </Badge>
      {customer.upstreamRemovedAt && (
        <Badge variant="light" color="red" size="sm" data-testid="removed-upstream">
          {t('customers.removedUpstream')}
        </Badge>
      )}
    </Group>
  );
}

/**
 * `/staff/customers` (customers.read): the partner's customers by name — search by name or domain,
 * filter by cloud instance, service family and state, and open one.
 */
export function CustomersPage() {
  const { t } = useI18n();
  const countryName = useCountryName();
  const [draft, setDraft] = useState<CustomerFilters>(NO_FILTERS);
  const [q] = useDebouncedValue(draft.q, SEARCH_DELAY_MS);
  const filters = useMemo(() => ({ ...draft, q }), [draft, q]);
  const customers = useCustomers(filters);
  const shown = customers.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(filters).some((value) => value.trim() !== '');
  const choose = (field: Exclude<keyof CustomerFilters, 'q'>) => (value: string | null) =>
    setDraft((current) => ({ ...current, [field]: value ?? '' }));

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('customers.title')}</Title>
        <LastSyncLine />
      </Stack>

      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="customer-filters">
        <TextInput
          type="search"
          label={t('customers.filter.search')}
          placeholder={t('customers.filter.searchHint')}
          value={draft.q}
          onChange={(event) => {
            const q = event.currentTarget.value;
            setDraft((current) => ({ ...current, q }));
          }}
          data-testid="customer-search"
        />
        <Select
          label={t('customers.filter.cloud')}
          placeholder={t('customers.filter.any')}
          data={CLOUDS.map((value) => ({ value, label: t('customers.cloud', { cloud: value }) }))}
          value={draft.cloud || null}
          onChange={choose('cloud')}
          clearable
          data-testid="customer-filter-cloud"
        />
        <Select
          label={t('customers.filter.serviceFamily')}
          placeholder={t('customers.filter.any')}
          data={SERVICE_FAMILIES.map((value) => ({
            value,
            label: t('subscriptions.family', { family: value }),
          }))}
          value={draft.serviceFamily || null}
          onChange={choose('serviceFamily')}
          clearable
          data-testid="customer-filter-family"
        />
        <Select
          label={t('customers.filter.state')}
          placeholder={t('customers.filter.any')}
          data={STATES.map((value) => ({
            value,
            label: t('customers.filter.stateOption', { state: value }),
          }))}
          value={draft.state || null}
          onChange={choose('state')}
          clearable
          data-testid="customer-filter-state"
        />
      </SimpleGrid>

      {customers.isError && (
        <Alert color="red" role="alert" title={t('customers.error.load')}>
          <Button variant="light" color="red" size="xs" onClick={() => customers.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {customers.isPending && <Loader aria-label={t('common.loading')} />}
      {customers.isSuccess && shown.length === 0 && (
        <Text c="dimmed" data-testid="customers-empty">
          {filtered ? t('customers.emptyFiltered') : t('customers.empty')}
        </Text>
      )}

      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table
            verticalSpacing="sm"
            highlightOnHover
            data-testid="customer-table"
            style={{ opacity: customers.isPlaceholderData ? 0.6 : 1 }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customers.column.name')}</Table.Th>
                <Table.Th>{t('customers.column.domain')}</Table.Th>
                <Table.Th>{t('customers.column.country')}</Table.Th>
                <Table.Th>{t('customers.column.cloud')}</Table.Th>
                <Table.Th>{t('customers.column.source')}</Table.Th>
                <Table.Th>{t('customers.column.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((customer) => (
                <Table.Tr
                  key={customer.id}
                  data-testid="customer-row"
                  style={{ cursor: 'pointer' }}
                  // The name is the link for keyboards and screen readers; the whole row answers a click.
                  onClick={(event) => {
                    if (!(event.target as HTMLElement).closest('a')) navigate(customerPath(customer));
                  }}
                >
                  <Table.Td>
                    <Anchor component={Link} to={customerPath(customer)} fw={500} size="sm">
                      {customer.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {customer.domain}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{countryName(customer.country)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t('customers.cloud', { cloud: customer.cloudInstance })}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Source customer={customer} />
                  </Table.Td>
                  <Table.Td>
                    <CustomerBadges customer={customer} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <LoadMore query={customers} label={t('customers.loadMore')} testId="customers-load-more" />
    </Stack>
  );
}
