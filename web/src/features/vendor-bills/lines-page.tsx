import {
  Anchor,
  Autocomplete,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { usePageParams } from '../../app/pages.ts';
import { Link } from '../../app/router.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { api } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import {
  type CostLine,
  type LineFilters,
  type ServiceFamily,
  useCostLines,
  useReconciliation,
} from './api.ts';
import { useVendorFormats } from './format.ts';
import { ReconciliationBadge } from './invoices-tab.tsx';
import { ProblemAlert } from './problem-alert.tsx';

const FAMILIES: readonly ServiceFamily[] = ['m365', 'azure', 'd365', 'other'];
/** New commerce's charge types (reference §3.5); the filter takes any other as typed. */
const CHARGE_TYPES = [
  'new',
  'renew',
  'cycleCharge',
  'addQuantity',
  'removeQuantity',
  'cancelImmediate',
  'convert',
  'customerCredit',
  'usage',
];
const TYPING_DELAY_MS = 300;

/** The partner's customers by name, to filter lines by one. */
function useCustomerChoices() {
  return useQuery({
    queryKey: ['customers', 'choices'],
    queryFn: () => api<{ items: { id: string; name: string }[] }>('GET', '/customers?limit=100'),
    select: (page) => page.items.map((customer) => ({ value: customer.id, label: customer.name })),
  });
}

/** What a line is for: product and SKU (when it says more than the product), or the meter of usage. */
function lineName(line: CostLine): string {
  const detail = line.skuName ?? line.meterName;
  return [line.productName, detail === line.productName ? null : detail].filter(Boolean).join(' · ') || '—';
}

function LineRow({ line }: { line: CostLine }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const from = line.chargeStart ?? line.usageDate;
  const to = line.chargeEnd ?? line.usageDate;
  return (
    <Table.Tr data-testid="cost-line">
      <Table.Td>
        {line.customerId ? (
          <Anchor component={Link} to={`/staff/customers/${line.customerId}`} size="sm">
            {line.customerName ?? line.customerTenantId}
          </Anchor>
        ) : (
          <Stack gap={0}>
            <Text size="sm">{line.customerName ?? line.customerTenantId ?? '—'}</Text>
            <Text size="xs" c="orange">
              {t('vendorBills.lines.unknownCustomer')}
            </Text>
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{lineName(line)}</Text>
        <Text size="xs" c="dimmed">
          {t('subscriptions.family', { family: line.serviceFamily })}
          {line.isReservation && ` · ${t('vendorBills.lines.reservation')}`}
          {line.creditType && ` · ${line.creditType}`}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{line.chargeType}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{from && to ? formats.dayRange(from, to) : '—'}</Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">{line.quantity ?? '—'}</Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">
          {line.effectiveUnitPrice === null ? '—' : formats.money(line.effectiveUnitPrice, line.currency)}
        </Text>
        {line.pricingCurrency && line.pricingCurrency !== line.currency && line.exchangeRate && (
          <Text size="xs" c="dimmed">
            {t('vendorBills.lines.exchangeRate', { from: line.pricingCurrency, rate: line.exchangeRate })}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" fw={500} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formats.money(line.cost, line.currency)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor
          component={Link}
          to={`/staff/vendor-bills/imports/${line.importId}`}
          size="xs"
          style={{ overflowWrap: 'anywhere' }}
        >
          {t('vendorBills.lines.provenance', { file: line.sourceName, line: line.sourceLine })}
        </Anchor>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * `/staff/vendor-bills/invoices/<number>` (costs.manage): one of Microsoft's invoices line by line, filtered
 * by customer, service family and charge type, with the totals of everything that matches.
 */
export function InvoiceLinesPage() {
  const { t, locale } = useI18n();
  const formats = useVendorFormats();
  const { invoiceNumber = '' } = usePageParams();
  const customers = useCustomerChoices();
  const checks = useReconciliation();
  const [draft, setDraft] = useState<Omit<LineFilters, 'invoiceNumber'>>({
    customerId: '',
    serviceFamily: '',
    chargeType: '',
  });
  const [chargeType] = useDebouncedValue(draft.chargeType, TYPING_DELAY_MS);
  const filters = useMemo(
    () => ({ ...draft, chargeType: chargeType.trim(), invoiceNumber }),
    [draft, chargeType, invoiceNumber],
  );
  const lines = useCostLines(filters);
  const shown = lines.data?.pages.flatMap((page) => page.items) ?? [];
  const totals = lines.data?.pages[0]?.totals ?? [];

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/staff/vendor-bills/invoices" size="sm">
        {t('vendorBills.lines.back')}
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1} data-testid="lines-title">
          {t('vendorBills.lines.title', { invoiceNumber })}
        </Title>
        <ReconciliationBadge check={checks.data?.get(invoiceNumber)} />
      </Group>

      <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="line-filters">
        <Select
          label={t('vendorBills.lines.filter.customer')}
          placeholder={t('vendorBills.lines.filter.any')}
          data={customers.data ?? []}
          value={draft.customerId || null}
          onChange={(value) => setDraft((current) => ({ ...current, customerId: value ?? '' }))}
          searchable
          clearable
          data-testid="line-filter-customer"
        />
        <Select
          label={t('vendorBills.lines.filter.serviceFamily')}
          placeholder={t('vendorBills.lines.filter.any')}
          data={FAMILIES.map((value) => ({ value, label: t('subscriptions.family', { family: value }) }))}
          value={draft.serviceFamily || null}
          onChange={(value) =>
            setDraft((current) => ({
              ...current,
              serviceFamily: (value ?? '') as LineFilters['serviceFamily'],
            }))
          }
          clearable
          data-testid="line-filter-family"
        />
        <Autocomplete
          label={t('vendorBills.lines.filter.chargeType')}
          placeholder={t('vendorBills.lines.filter.any')}
          data={CHARGE_TYPES}
          value={draft.chargeType}
          onChange={(value) => setDraft((current) => ({ ...current, chargeType: value }))}
          data-testid="line-filter-charge-type"
        />
      </SimpleGrid>

      {totals.length > 0 && (
        <Group gap="md" data-testid="line-totals">
          {totals.map((total) => (
            <Paper key={total.currency} withBorder p="sm" radius="md">
              <Text size="xs" c="dimmed">
                {t('vendorBills.lines.total', { lines: total.lines })}
              </Text>
              <Text fw={700} size="lg" data-testid="line-total">
                {formats.money(total.cost, total.currency)}
              </Text>
            </Paper>
          ))}
        </Group>
      )}

      {lines.isPending && <Loader aria-label={t('common.loading')} />}
      {lines.isError && <ProblemAlert error={lines.error} title={t('vendorBills.error.load')} />}
      {lines.isSuccess && shown.length === 0 && (
        <Text c="dimmed" data-testid="lines-empty">
          {t('vendorBills.lines.empty')}
        </Text>
      )}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={960}>
          <Table
            verticalSpacing="xs"
            data-testid="cost-line-table"
            style={{ opacity: lines.isPlaceholderData ? 0.6 : 1 }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vendorBills.column.customer')}</Table.Th>
                <Table.Th>{t('vendorBills.column.product')}</Table.Th>
                <Table.Th>{t('vendorBills.column.chargeType')}</Table.Th>
                <Table.Th>{t('vendorBills.column.charged')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.quantity')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.effectiveUnitPrice')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.cost')}</Table.Th>
                <Table.Th>{t('vendorBills.column.provenance')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((line) => (
                <LineRow key={`${line.deliveryId}:${line.lineNumber}`} line={line} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore
        query={lines}
        label={t('vendorBills.lines.more', { shown: shown.length.toLocaleString(locale) })}
      />
    </Stack>
  );
}
