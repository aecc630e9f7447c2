import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageParams } from '../../app/pages.ts';
import { Link } from '../../app/router.tsx';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { holdsAny, useSignedIn } from '../identity/index.ts';
import { SubscriptionsSection } from '../subscriptions/index.ts';
import { type Customer, useContacts, useCustomer, useProviderName } from './api.ts';
import { CustomerBadges } from './customers-page.tsx';
import { TenantFacts } from './tenant-facts.tsx';

function Card({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" data-testid={testId}>
      <Stack gap="md">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function Contacts({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const contacts = useContacts(customerId);
  if (contacts.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (contacts.isError) {
    return (
      <Text c="red" size="sm" role="alert">
        {t('customers.error.contacts')}
      </Text>
    );
  }
  if (contacts.data.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('customers.contacts.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" data-testid="contacts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customers.contacts.name')}</Table.Th>
            <Table.Th>{t('customers.contacts.role')}</Table.Th>
            <Table.Th>{t('customers.contacts.email')}</Table.Th>
            <Table.Th>{t('customers.contacts.phone')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.data.map((contact) => (
            <Table.Tr key={contact.id}>
              <Table.Td>
                <Text size="sm">{contact.name}</Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color="gray" size="sm">
                  {t('customers.contacts.roleValue', { role: contact.role })}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Anchor href={`mailto:${contact.email}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {contact.email}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{contact.phone ?? '—'}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Header({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" data-testid="customer-header">
      <Group gap="sm" align="center">
        <Title order={1}>{customer.name}</Title>
        <CustomerBadges customer={customer} />
      </Group>
      <Text c="dimmed">
        {t('customers.headerLine', {
          domain: customer.domain,
          cloud: customer.cloudInstance,
          source: customer.source === 'partner_center' ? 'partnerCenter' : 'local',
        })}
      </Text>
      {customer.upstreamRemovedAt && (
        <Alert color="red" title={t('customers.removed.title')} data-testid="removed-warning">
          {t('customers.removed.body', { at: new Date(customer.upstreamRemovedAt) })}
        </Alert>
      )}
    </Stack>
  );
}

/**
 * `/staff/customers/<id>` (customers.read): who the customer is in Partner Center, whom to contact,
 * and its subscriptions (subscriptions.read), which holders of subscriptions.suspend switch off and on.
 */
export function CustomerPage() {
  const { t } = useI18n();
  const me = useSignedIn();
  const { customerId = '' } = usePageParams();
  const customer = useCustomer(customerId);
  const provider = useProviderName(customer.data?.providerId ?? null);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/staff/customers" size="sm">
        {t('customers.back')}
      </Anchor>
      {customer.isPending && <Loader aria-label={t('common.loading')} />}
      {customer.isError &&
        (isProblem(customer.error, 'not-found') || isProblem(customer.error, 'invalid-request') ? (
          <Title order={1} data-testid="not-found">
            {t('common.notFound')}
          </Title>
        ) : (
          <Alert color="red" role="alert" title={t('customers.error.customer')}>
            <Button variant="light" color="red" size="xs" onClick={() => customer.refetch()}>
              {t('common.retry')}
            </Button>
          </Alert>
        ))}
      {customer.data && (
        <>
          <Header customer={customer.data} />
          <Card title={t('customers.facts.title')} testId="tenant-facts-card">
            <TenantFacts customer={customer.data} provider={provider} />
          </Card>
          <Card title={t('customers.contacts.title')} testId="contacts-card">
            <Contacts customerId={customer.data.id} />
          </Card>
          {holdsAny(me, ['subscriptions.read']) && (
            <SubscriptionsSection
              customerId={customer.data.id}
              customerName={customer.data.name}
              provider={provider}
              canChange={holdsAny(me, ['subscriptions.suspend'])}
            />
          )}
        </>
      )}
    </Stack>
  );
}
