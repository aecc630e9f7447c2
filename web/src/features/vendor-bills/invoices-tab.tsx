import { Anchor, Badge, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '../../app/router.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import {
  type InvoiceReconciliation,
  type PeriodCompleteness,
  usePeriods,
  useReconciliation,
  useVendorInvoices,
} from './api.ts';
import { useVendorFormats } from './format.ts';
import { ProblemAlert } from './problem-alert.tsx';

export const invoicePath = (invoiceNumber: string) =>
  `/staff/vendor-bills/invoices/${encodeURIComponent(invoiceNumber)}`;

const RECONCILIATION_COLOR: Record<InvoiceReconciliation['status'], string> = {
  matches: 'teal',
  differs: 'red',
  no_lines: 'gray',
  no_total: 'yellow',
};

/** Whether an invoice's billed lines add up to Microsoft's total, in words a person acts on. */
export function ReconciliationBadge({ check }: { check: InvoiceReconciliation | undefined }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  if (!check) return null;
  return (
    <Badge
      variant="light"
      color={RECONCILIATION_COLOR[check.status]}
      size="sm"
      style={{ textTransform: 'none' }}
      data-testid="reconciliation"
      data-status={check.status}
    >
      {check.status === 'differs' && check.difference !== null
        ? t('vendorBills.reconciliation.differs', {
            difference: formats.money(check.difference, check.currency),
          })
        : t('vendorBills.reconciliation.status', { status: check.status })}
    </Badge>
  );
}

/** "Final", or "Estimated — final data expected by 8 Dec 2025": billing waits for final data. */
export function CompletenessBadge({ period }: { period: PeriodCompleteness }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  return (
    <Badge
      variant="light"
      color={period.status === 'final' ? 'teal' : 'orange'}
      size="md"
      style={{ textTransform: 'none' }}
      data-testid="completeness"
      data-status={period.status}
    >
      {period.status === 'final'
        ? t('vendorBills.period.final')
        : t('vendorBills.period.estimated', { date: formats.day(period.finalExpectedBy) })}
    </Badge>
  );
}

function Periods() {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const periods = usePeriods();
  if (periods.isPending) return <Loader aria-label={t('common.loading')} />;
  if (periods.isError) return <ProblemAlert error={periods.error} title={t('vendorBills.error.load')} />;
  if (periods.data.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('vendorBills.period.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" data-testid="period-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('vendorBills.column.month')}</Table.Th>
            <Table.Th>{t('vendorBills.column.data')}</Table.Th>
            <Table.Th ta="right">{t('vendorBills.column.billed')}</Table.Th>
            <Table.Th ta="right">{t('vendorBills.column.estimate')}</Table.Th>
            <Table.Th>{t('vendorBills.column.invoices')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {periods.data.map((period) => (
            <Table.Tr key={`${period.period}:${period.currency}`} data-testid="period-row">
              <Table.Td>
                <Text size="sm" fw={500}>
                  {formats.month(period.period)}
                </Text>
              </Table.Td>
              <Table.Td>
                <CompletenessBadge period={period} />
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">
                  {period.billedTotal === null ? '—' : formats.money(period.billedTotal, period.currency)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" c="dimmed">
                  {period.estimateTotal === null ? '—' : formats.money(period.estimateTotal, period.currency)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={6}>
                  {period.invoiceNumbers.map((number) => (
                    <Anchor key={number} component={Link} to={invoicePath(number)} size="sm">
                      {number}
                    </Anchor>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Invoices() {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const invoices = useVendorInvoices('');
  const checks = useReconciliation();
  const shown = invoices.data?.pages.flatMap((page) => page.items) ?? [];
  if (invoices.isPending) return <Loader aria-label={t('common.loading')} />;
  if (invoices.isError) return <ProblemAlert error={invoices.error} title={t('vendorBills.error.load')} />;
  if (shown.length === 0) {
    return (
      <Text c="dimmed" data-testid="invoices-empty">
        {t('vendorBills.invoices.empty')}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing="xs" highlightOnHover data-testid="vendor-invoice-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('vendorBills.column.invoice')}</Table.Th>
              <Table.Th>{t('vendorBills.column.invoiceDate')}</Table.Th>
              <Table.Th>{t('vendorBills.column.billingPeriod')}</Table.Th>
              <Table.Th ta="right">{t('vendorBills.column.microsoftTotal')}</Table.Th>
              <Table.Th ta="right">{t('vendorBills.column.linesTotal')}</Table.Th>
              <Table.Th>{t('vendorBills.column.check')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((invoice) => (
              <Table.Tr
                key={invoice.id}
                data-testid="vendor-invoice-row"
                data-invoice={invoice.invoiceNumber}
              >
                <Table.Td>
                  <Anchor component={Link} to={invoicePath(invoice.invoiceNumber)} size="sm" fw={500}>
                    {invoice.invoiceNumber}
                  </Anchor>
                  {invoice.documentType === 'credit_note' && (
                    <Text size="xs" c="dimmed">
                      {t('vendorBills.invoices.creditNote')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formats.day(invoice.invoiceDate)}</Text>
                  {invoice.source === 'import' && (
                    <Text size="xs" c="dimmed">
                      {t('vendorBills.invoices.dateEstimated')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {invoice.billingPeriodStart === null ? '—' : formats.month(invoice.billingPeriodStart)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">
                    {invoice.total === null ? '—' : formats.money(invoice.total, invoice.currency)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">
                    {invoice.billedLinesTotal === null
                      ? '—'
                      : formats.money(invoice.billedLinesTotal, invoice.currency)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ReconciliationBadge check={checks.data?.get(invoice.invoiceNumber)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore query={invoices} label={t('vendorBills.loadMore')} />
    </Stack>
  );
}

/** Microsoft's invoices checked against their lines, and which months are final. */
export function InvoicesTab() {
  const { t } = useI18n();
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('vendorBills.invoices.title')}
        </Title>
        <Invoices />
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('vendorBills.period.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('vendorBills.period.body')}
        </Text>
        <Periods />
      </Stack>
    </Stack>
  );
}
