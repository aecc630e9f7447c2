import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { type PayablesWarning, usePayablesSummary } from './api.ts';
import { useVendorFormats } from './format.ts';
import { SuspensionCountdown } from './payables-tab.tsx';

const MOST_SEVERE_FIRST: readonly PayablesWarning['kind'][] = [
  'suspension_risk',
  'overdue',
  'credit_limit_exceeded',
  'due_soon',
];

/** The dashboard's word on what the partner owes Microsoft: shown only when something needs doing. */
export function PayablesCard() {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const summary = usePayablesSummary();
  if (!summary.data || summary.data.warnings.length === 0) return null;
  const warnings = [...summary.data.warnings].sort(
    (a, b) => MOST_SEVERE_FIRST.indexOf(a.kind) - MOST_SEVERE_FIRST.indexOf(b.kind),
  );
  return (
    <Paper withBorder p="md" radius="md" data-testid="payables-card">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('vendorBills.card.title')}
        </Title>
        <SuspensionCountdown summary={summary.data} />
        <Stack gap={4}>
          {warnings.map((warning) => (
            <Text
              key={`${warning.kind}:${warning.invoiceId ?? ''}`}
              size="sm"
              c={warning.kind === 'due_soon' ? undefined : 'red'}
              data-testid="payables-warning"
            >
              {t('vendorBills.card.warning', {
                kind: warning.kind,
                invoice: warning.invoiceNumber ?? '',
                amount: warning.amount === null ? '' : formats.money(warning.amount, warning.currency),
                date: warning.dueDate === null ? '' : formats.day(warning.dueDate),
                days: warning.daysOverdue,
              })}
            </Text>
          ))}
        </Stack>
        <Anchor component={Link} to="/staff/vendor-bills/payables" size="sm">
          {t('vendorBills.card.open')}
        </Anchor>
      </Stack>
    </Paper>
  );
}
