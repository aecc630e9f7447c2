import { Anchor, Loader, Stack, Table, Text } from '@mantine/core';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { useUnknownCustomers } from './api.ts';
import { useVendorFormats } from './format.ts';
import { ProblemAlert } from './problem-alert.tsx';

/**
 * Tenants on Microsoft's lines that are no customer here: their lines are kept (never dropped) and counted,
 * so someone adds the customer — or a sync brings it — before billing.
 */
export function UnknownCustomersTab() {
  const { t, locale } = useI18n();
  const formats = useVendorFormats();
  const unknown = useUnknownCustomers();
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('vendorBills.unknown.body')}
      </Text>
      {unknown.isPending && <Loader aria-label={t('common.loading')} />}
      {unknown.isError && <ProblemAlert error={unknown.error} title={t('vendorBills.error.load')} />}
      {unknown.isSuccess && unknown.data.length === 0 && (
        <Text data-testid="unknown-empty">{t('vendorBills.unknown.empty')}</Text>
      )}
      {unknown.isSuccess && unknown.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" data-testid="unknown-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vendorBills.column.customer')}</Table.Th>
                <Table.Th>{t('vendorBills.column.tenantId')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.lines')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.cost')}</Table.Th>
                <Table.Th>{t('vendorBills.column.lastMonth')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {unknown.data.map((tenant) => (
                <Table.Tr
                  key={tenant.customerTenantId ?? tenant.customerName ?? ''}
                  data-testid="unknown-row"
                >
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {tenant.customerName ?? t('vendorBills.unknown.noName')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {tenant.customerTenantId ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{tenant.lines.toLocaleString(locale)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    {tenant.costByCurrency.map((cost) => (
                      <Text key={cost.currency} size="sm">
                        {formats.money(cost.cost, cost.currency)}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{tenant.lastPeriod ? formats.month(tenant.lastPeriod) : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to="/staff/customers" size="sm">
                      {t('vendorBills.unknown.addCustomer')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
