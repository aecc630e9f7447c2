import { Group, Paper, SimpleGrid, Stack, Text, useMantineTheme } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../lib/i18n.tsx';
import type { PayablesSummary } from './api.ts';
import { useVendorFormats } from './format.ts';

interface DueBar {
  dueDate: string;
  /** Exact, for the tooltip. */
  amount: string;
  /** For the bar's height only: a float is fine for drawing, never for arithmetic. */
  height: number;
  overdue: boolean;
}

function Legend({ color, label }: { color: string; label: string }) {
  return (
    <Group gap={6}>
      <span style={{ width: 12, height: 12, borderRadius: 2, background: color, display: 'inline-block' }} />
      <Text size="xs">{label}</Text>
    </Group>
  );
}

/** One currency's amounts by due date; what is already past due is red. */
function CurrencyChart({ currency, bars }: { currency: string; bars: DueBar[] }) {
  const { t, locale } = useI18n();
  const theme = useMantineTheme();
  const formats = useVendorFormats();
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const due = theme.colors.blue[6];
  const overdue = theme.colors.red[7];
  return (
    <Paper withBorder p="sm" radius="md" data-testid="due-chart" data-currency={currency}>
      <Stack gap={4}>
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {t('vendorBills.payables.chartTitle', { currency })}
          </Text>
          <Group gap="sm">
            <Legend color={due} label={t('vendorBills.payables.chartDue')} />
            <Legend color={overdue} label={t('vendorBills.payables.chartOverdue')} />
          </Group>
        </Group>
        <div style={{ width: '100%', height: 220 }}>
          <ResponsiveContainer>
            <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="dueDate" tickFormatter={formats.shortDay} fontSize={12} />
              <YAxis tickFormatter={(value: number) => compact.format(value)} fontSize={12} width={48} />
              <Tooltip
                labelFormatter={(label) =>
                  t('vendorBills.payables.dueOn', { date: formats.day(String(label)) })
                }
                formatter={(_value, _name, item) => {
                  const bar = item.payload as DueBar;
                  return [formats.money(bar.amount, currency), t('vendorBills.payables.chartAmount')];
                }}
              />
              <Bar dataKey="height" isAnimationActive={false} maxBarSize={56}>
                {bars.map((bar) => (
                  <Cell key={bar.dueDate} fill={bar.overdue ? overdue : due} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Stack>
    </Paper>
  );
}

/** What falls due when, one chart per currency (amounts in different currencies are never added). */
export function DueDateChart({ summary }: { summary: PayablesSummary }) {
  const { t } = useI18n();
  const byCurrency = new Map<string, DueBar[]>();
  for (const entry of summary.dueByDate) {
    const bars = byCurrency.get(entry.currency) ?? [];
    bars.push({
      dueDate: entry.dueDate,
      amount: entry.amount,
      height: Number(entry.amount),
      overdue: entry.dueDate < summary.today,
    });
    byCurrency.set(entry.currency, bars);
  }
  if (byCurrency.size === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="due-chart-empty">
        {t('vendorBills.payables.chartEmpty')}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: byCurrency.size > 1 ? 2 : 1 }}>
      {[...byCurrency].map(([currency, bars]) => (
        <CurrencyChart
          key={currency}
          currency={currency}
          bars={bars.sort((a, b) => a.dueDate.localeCompare(b.dueDate))}
        />
      ))}
    </SimpleGrid>
  );
}
