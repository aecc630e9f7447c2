import { Alert, Badge, Group, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useI18n } from '../../lib/i18n.tsx';
import type { ImportStatus, ImportSummary, ImportView } from './api.ts';
import { useVendorFormats } from './format.ts';

export const IMPORT_STATUS_COLOR: Record<ImportStatus, string> = {
  running: 'blue',
  completed: 'teal',
  unchanged: 'gray',
  failed: 'red',
};

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" color={IMPORT_STATUS_COLOR[status]} size="sm" data-testid="import-status">
      {t('vendorBills.import.status', { status })}
    </Badge>
  );
}

/**
 * Who started an import: the person the server names, else (by the `kind:id` label) the daily pull or
 * the command line in the reader's language.
 */
export function useStarterName(): (view: Pick<ImportView, 'startedBy' | 'startedByName'>) => string {
  const { t } = useI18n();
  return ({ startedBy, startedByName }) => {
    const [kind = ''] = startedBy.split(':');
    if (kind === 'system') return t('vendorBills.import.by.schedule');
    if (kind === 'operator') return t('vendorBills.import.by.cli');
    return startedByName ?? t('vendorBills.import.by.colleague');
  };
}

/** How far a running import is: bytes of its file, else rows read so far. */
export function ImportProgress({ view }: { view: ImportView }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const total = view.fileBytes ?? 0;
  const percent = total > 0 ? Math.min(100, (100 * view.bytesRead) / total) : undefined;
  return (
    <Stack gap={4} data-testid="import-progress">
      <Progress
        value={percent ?? 100}
        animated
        striped={percent === undefined}
        aria-label={t('vendorBills.import.progressLabel')}
      />
      <Text size="sm" c="dimmed">
        {total > 0
          ? t('vendorBills.import.progress', {
              read: formats.bytes(view.bytesRead),
              total: formats.bytes(total),
              rows: view.rowsRead,
            })
          : t('vendorBills.import.progressRows', { rows: view.rowsRead })}
      </Text>
    </Stack>
  );
}

/** A refused file in plain words: which file, which line, which column, and why. */
export function ImportError({ view }: { view: ImportView }) {
  const { t } = useI18n();
  const file = view.errorFile ?? view.fileName ?? '';
  const where =
    view.errorLine !== null && view.errorColumn !== null
      ? t('vendorBills.import.error.lineColumn', { file, line: view.errorLine, column: view.errorColumn })
      : view.errorLine !== null
        ? t('vendorBills.import.error.line', { file, line: view.errorLine })
        : t('vendorBills.import.error.file', { file });
  return (
    <Alert color="red" role="alert" title={t('vendorBills.import.error.title')} data-testid="import-error">
      <Stack gap={4}>
        <Text size="sm" fw={500} data-testid="import-error-where">
          {where}
        </Text>
        {view.errorMessage && (
          <Text size="sm" data-testid="import-error-message">
            {view.errorMessage}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('vendorBills.import.error.nothingKept')}
        </Text>
      </Stack>
    </Alert>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** What a finished import counted, and the totals per invoice and per estimated month to check. */
export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  const { t, locale } = useI18n();
  const formats = useVendorFormats();
  const figures = (
    [
      ['lines', summary.lines],
      ['deliveriesCreated', summary.deliveriesCreated],
      ['deliveriesUnchanged', summary.deliveriesUnchanged],
      ['deliveriesSuperseded', summary.deliveriesSuperseded],
      ['unknownCustomerLines', summary.unknownCustomerLines],
      ['usageLinesLinked', summary.usageLinesLinked],
    ] as const
  ).filter((entry): entry is readonly [(typeof entry)[0], number] => typeof entry[1] === 'number');
  const totals = [
    ...(summary.invoices ?? []).map((invoice) => ({
      key: `billed:${invoice.invoiceNumber}:${invoice.form}`,
      what: t('vendorBills.import.summary.invoice', { invoiceNumber: invoice.invoiceNumber }),
      ...invoice,
    })),
    ...(summary.estimates ?? []).map((estimate) => ({
      key: `estimate:${estimate.period}:${estimate.currency}:${estimate.form}`,
      what: t('vendorBills.import.summary.estimate', { month: formats.month(estimate.period) }),
      ...estimate,
    })),
  ];
  return (
    <Stack gap="sm" data-testid="import-summary">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="xs">
        {figures.map(([name, value]) => (
          <Figure
            key={name}
            label={t(`vendorBills.import.summary.${name}`)}
            value={value.toLocaleString(locale)}
            testId={`summary-${name}`}
          />
        ))}
      </SimpleGrid>
      {totals.length > 0 && (
        <Table.ScrollContainer minWidth={320}>
          <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="import-summary-totals">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vendorBills.import.summary.what')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.lines')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {totals.map((row) => (
                <Table.Tr key={row.key}>
                  <Table.Td>{row.what}</Table.Td>
                  <Table.Td ta="right">{row.lines.toLocaleString(locale)}</Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formats.money(row.total, row.currency)}
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

/** An import as far as it has got: progress while it runs, then its summary, "nothing new", or its error. */
export function ImportOutcome({ view }: { view: ImportView }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" data-testid="import-outcome" data-status={view.status}>
      <Group gap="xs">
        <ImportStatusBadge status={view.status} />
        {view.form && (
          <Text size="sm" c="dimmed">
            {t('vendorBills.form', { form: view.form })}
          </Text>
        )}
      </Group>
      {view.status === 'running' && <ImportProgress view={view} />}
      {view.status === 'failed' && <ImportError view={view} />}
      {view.status === 'unchanged' && (
        <Text size="sm" data-testid="import-unchanged">
          {t('vendorBills.import.unchangedBody')}
        </Text>
      )}
      {view.status !== 'running' && view.status !== 'failed' && <ImportSummaryView summary={view.summary} />}
    </Stack>
  );
}
