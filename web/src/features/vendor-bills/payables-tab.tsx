import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from '../../app/router.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import {
  PAYABLE_STATUSES,
  type PayableStatus,
  type PayablesSummary,
  usePayablesSettings,
  usePayablesSummary,
  useSavePayablesSettings,
  useUpdateVendorInvoice,
  useVendorInvoices,
  type VendorInvoice,
} from './api.ts';
import { DueDateChart } from './due-date-chart.tsx';
import { isNegative, isZero, useVendorFormats } from './format.ts';
import { invoicePath } from './invoices-tab.tsx';
import { ProblemAlert } from './problem-alert.tsx';

export const PAYABLE_COLOR: Record<PayableStatus, string> = {
  open: 'blue',
  due_soon: 'yellow',
  overdue: 'red',
  paid: 'teal',
};

/** Whether anything is overdue: then Partner Center's suspension is a date to count down to. */
export const hasOverdue = (summary: PayablesSummary) =>
  summary.warnings.some((warning) => warning.kind === 'overdue' || warning.kind === 'suspension_risk');

/** "Partner Center would suspend your account in N days", when an invoice is overdue. */
export function SuspensionCountdown({ summary }: { summary: PayablesSummary }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  if (!hasOverdue(summary) || summary.daysToSuspension === null || summary.nextSuspensionDate === null)
    return null;
  const days = summary.daysToSuspension;
  return (
    <Alert
      color="red"
      variant="filled"
      role="alert"
      title={
        days > 0 ? t('vendorBills.payables.countdown', { days }) : t('vendorBills.payables.countdownPassed')
      }
      data-testid="suspension-countdown"
      data-days={days}
    >
      {t('vendorBills.payables.countdownBody', { date: formats.day(summary.nextSuspensionDate) })}
    </Alert>
  );
}

/** One label and its amount on a line; the amount never wraps, the label does when it must. */
function AmountLine(props: { label: string; amount: string; strong?: boolean; c?: string; testId?: string }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
      <Text size="sm" fw={props.strong ? 600 : undefined}>
        {props.label}
      </Text>
      <Text
        size="sm"
        fw={props.strong ? 700 : 500}
        c={props.c}
        style={{ whiteSpace: 'nowrap' }}
        data-testid={props.testId}
      >
        {props.amount}
      </Text>
    </Group>
  );
}

function Totals({ summary }: { summary: PayablesSummary }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 1 }} data-testid="payables-totals">
      {summary.byCurrency.map((bucket) => (
        <Paper key={bucket.currency} withBorder p="md" radius="md">
          <Text size="xs" c="dimmed" fw={600}>
            {bucket.currency}
          </Text>
          <AmountLine
            label={t('vendorBills.payable.status', { status: 'open' })}
            amount={formats.money(bucket.open, bucket.currency)}
          />
          <AmountLine
            label={t('vendorBills.payable.status', { status: 'due_soon' })}
            amount={formats.money(bucket.dueSoon, bucket.currency)}
            c={isZero(bucket.dueSoon) ? undefined : 'yellow.8'}
          />
          <AmountLine
            label={t('vendorBills.payable.status', { status: 'overdue' })}
            amount={formats.money(bucket.overdue, bucket.currency)}
            strong
            c={isZero(bucket.overdue) ? undefined : 'red'}
          />
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** The credit limit Microsoft granted (USD) and what is left of it; both fields editable. */
function CreditLimit({ summary }: { summary: PayablesSummary }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const settings = usePayablesSettings();
  const save = useSavePayablesSettings();
  const [editing, setEditing] = useState(false);
  const [limit, setLimit] = useState('');
  const [warnDays, setWarnDays] = useState<number | string>(14);

  const startEditing = () => {
    setLimit(settings.data?.creditLimitUsd ?? '');
    setWarnDays(settings.data?.warnDaysBefore ?? 14);
    setEditing(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { creditLimitUsd: limit.trim() === '' ? null : limit.trim(), warnDaysBefore: Number(warnDays) },
      { onSuccess: () => setEditing(false) },
    );
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="credit-limit">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('vendorBills.credit.title')}
          </Title>
          {!editing && (
            <Button variant="subtle" size="compact-sm" onClick={startEditing} data-testid="credit-edit">
              {t('vendorBills.credit.edit')}
            </Button>
          )}
        </Group>
        {editing ? (
          <form onSubmit={submit}>
            <Stack gap="xs">
              <TextInput
                label={t('vendorBills.credit.limit')}
                description={t('vendorBills.credit.limitHint')}
                value={limit}
                onChange={(event) => setLimit(event.currentTarget.value)}
                inputMode="decimal"
                data-testid="credit-limit-input"
              />
              <NumberInput
                label={t('vendorBills.credit.warnDays')}
                value={warnDays}
                onChange={setWarnDays}
                min={0}
                max={90}
                allowDecimal={false}
                data-testid="credit-warn-days"
              />
              <ProblemAlert error={save.error} title={t('vendorBills.credit.refused')} />
              <Group gap="xs" justify="flex-end">
                <Button variant="default" onClick={() => setEditing(false)}>
                  {t('vendorBills.cancel')}
                </Button>
                <Button type="submit" loading={save.isPending} data-testid="credit-save">
                  {t('vendorBills.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Stack gap={2}>
            <AmountLine
              label={t('vendorBills.credit.limit')}
              amount={
                summary.creditLimitUsd === null
                  ? t('vendorBills.credit.none')
                  : formats.money(summary.creditLimitUsd, 'USD')
              }
            />
            <AmountLine label={t('vendorBills.credit.open')} amount={formats.money(summary.openUsd, 'USD')} />
            <AmountLine
              label={t('vendorBills.credit.unbilled')}
              amount={formats.money(summary.unbilledUsd, 'USD')}
            />
            {summary.headroomUsd !== null && (
              <AmountLine
                label={t('vendorBills.credit.headroom')}
                amount={formats.money(summary.headroomUsd, 'USD')}
                strong
                c={isNegative(summary.headroomUsd) ? 'red' : 'teal'}
                testId="credit-headroom"
              />
            )}
            {summary.currenciesNotInUsd.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('vendorBills.credit.otherCurrencies', {
                  currencies: summary.currenciesNotInUsd.join(', '),
                })}
              </Text>
            )}
            {settings.data && (
              <Text size="xs" c="dimmed">
                {t('vendorBills.credit.terms', {
                  days: settings.data.paymentTermsDays,
                  warnDays: settings.data.warnDaysBefore,
                })}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** An invoice's own payment terms, or back to the partner's. */
function TermsDialog({ invoice, onClose }: { invoice: VendorInvoice; onClose: () => void }) {
  const { t } = useI18n();
  const update = useUpdateVendorInvoice();
  const [days, setDays] = useState<number | string>(invoice.termsDays);
  const submit = (termsDays: number | null) =>
    update.mutate({ id: invoice.id, patch: { termsDays } }, { onSuccess: onClose });
  return (
    <Modal opened onClose={onClose} title={t('vendorBills.terms.title', { invoice: invoice.invoiceNumber })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit(Number(days));
        }}
      >
        <Stack gap="sm">
          <NumberInput
            label={t('vendorBills.terms.days')}
            value={days}
            onChange={setDays}
            min={0}
            max={365}
            allowDecimal={false}
            data-testid="terms-days"
          />
          <ProblemAlert error={update.error} title={t('vendorBills.terms.refused')} />
          <Group justify="space-between">
            {invoice.termsOverridden ? (
              <Button variant="subtle" onClick={() => submit(null)} data-testid="terms-reset">
                {t('vendorBills.terms.reset')}
              </Button>
            ) : (
              <span />
            )}
            <Button type="submit" loading={update.isPending} data-testid="terms-save">
              {t('vendorBills.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Records a payment to Microsoft by hand: the day, and the amount (blank: paid in full). */
function PaidDialog({
  invoice,
  today,
  onClose,
}: {
  invoice: VendorInvoice;
  today: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const update = useUpdateVendorInvoice();
  const [paidAt, setPaidAt] = useState(invoice.paidAt ?? today);
  const [amount, setAmount] = useState(invoice.paidAmount ?? invoice.outstanding ?? invoice.total ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { id: invoice.id, patch: { paidAt, paidAmount: amount.trim() === '' ? null : amount.trim() } },
      { onSuccess: onClose },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('vendorBills.paid.title', { invoice: invoice.invoiceNumber })}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            type="date"
            label={t('vendorBills.paid.date')}
            value={paidAt}
            max={today}
            onChange={(event) => setPaidAt(event.currentTarget.value)}
            required
            data-testid="paid-date"
          />
          <TextInput
            label={t('vendorBills.paid.amount', { currency: invoice.currency })}
            description={t('vendorBills.paid.amountHint')}
            value={amount}
            onChange={(event) => setAmount(event.currentTarget.value)}
            inputMode="decimal"
            data-testid="paid-amount"
          />
          <ProblemAlert error={update.error} title={t('vendorBills.paid.refused')} />
          <Group justify="space-between">
            {invoice.paidSource === 'manual' ? (
              <Button
                variant="subtle"
                color="red"
                onClick={() =>
                  update.mutate(
                    { id: invoice.id, patch: { paidAt: null, paidAmount: null } },
                    { onSuccess: onClose },
                  )
                }
              >
                {t('vendorBills.paid.clear')}
              </Button>
            ) : (
              <span />
            )}
            <Button type="submit" loading={update.isPending} data-testid="paid-save">
              {t('vendorBills.paid.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Editing = { kind: 'terms' | 'paid'; invoice: VendorInvoice } | null;

function PayablesTable({ today }: { today: string }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const [status, setStatus] = useState<PayableStatus | ''>('');
  const invoices = useVendorInvoices(status);
  const [editing, setEditing] = useState<Editing>(null);
  const shown = invoices.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      <SegmentedControl
        value={status || 'all'}
        onChange={(value) => setStatus(value === 'all' ? '' : (value as PayableStatus))}
        data={[
          { value: 'all', label: t('vendorBills.payables.all') },
          ...PAYABLE_STATUSES.map((value) => ({
            value,
            label: t('vendorBills.payable.status', { status: value }),
          })),
        ]}
        style={{ alignSelf: 'flex-start' }}
        data-testid="payables-filter"
      />
      {invoices.isPending && <Loader aria-label={t('common.loading')} />}
      {invoices.isError && <ProblemAlert error={invoices.error} title={t('vendorBills.error.load')} />}
      {invoices.isSuccess && shown.length === 0 && (
        <Text c="dimmed" data-testid="payables-empty">
          {t('vendorBills.payables.empty')}
        </Text>
      )}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={980}>
          <Table
            verticalSpacing="xs"
            data-testid="payables-table"
            style={{ opacity: invoices.isPlaceholderData ? 0.6 : 1 }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vendorBills.column.invoice')}</Table.Th>
                <Table.Th>{t('vendorBills.column.invoiceDate')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.total')}</Table.Th>
                <Table.Th>{t('vendorBills.column.terms')}</Table.Th>
                <Table.Th>{t('vendorBills.column.dueDate')}</Table.Th>
                <Table.Th>{t('vendorBills.column.status')}</Table.Th>
                <Table.Th>{t('vendorBills.column.paid')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((invoice) => (
                <Table.Tr key={invoice.id} data-testid="payable-row" data-invoice={invoice.invoiceNumber}>
                  <Table.Td>
                    <Anchor component={Link} to={invoicePath(invoice.invoiceNumber)} size="sm" fw={500}>
                      {invoice.invoiceNumber}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formats.day(invoice.invoiceDate)}</Text>
                    {invoice.source === 'import' && (
                      <Text size="xs" c="dimmed">
                        {t('vendorBills.invoices.dateEstimated')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {invoice.total !== null ? (
                      <Text size="sm">{formats.money(invoice.total, invoice.currency)}</Text>
                    ) : invoice.billedLinesTotal !== null ? (
                      <>
                        <Text size="sm">{formats.money(invoice.billedLinesTotal, invoice.currency)}</Text>
                        <Text size="xs" c="dimmed">
                          {t('vendorBills.payables.linesTotal')}
                        </Text>
                      </>
                    ) : (
                      <Text size="sm">—</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      onClick={() => setEditing({ kind: 'terms', invoice })}
                      data-testid="payable-terms"
                    >
                      {t('vendorBills.terms.net', { days: invoice.termsDays })}
                    </Button>
                    {invoice.termsOverridden && (
                      <Text size="xs" c="dimmed">
                        {t('vendorBills.terms.overridden')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" data-testid="payable-due">
                      {invoice.dueDate === null ? '—' : formats.day(invoice.dueDate)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={PAYABLE_COLOR[invoice.status]}
                      size="sm"
                      data-testid="payable-status"
                      data-status={invoice.status}
                    >
                      {t('vendorBills.payable.status', { status: invoice.status })}
                    </Badge>
                    {invoice.daysOverdue > 0 && (
                      <Text size="xs" c="red">
                        {t('vendorBills.payables.daysOverdue', { days: invoice.daysOverdue })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {invoice.paidAt !== null ? (
                      <Stack gap={0}>
                        <Text size="sm">
                          {invoice.paidAmount === null
                            ? t('vendorBills.paid.inFull', { date: formats.day(invoice.paidAt) })
                            : t('vendorBills.paid.amountOn', {
                                amount: formats.money(invoice.paidAmount, invoice.currency),
                                date: formats.day(invoice.paidAt),
                              })}
                        </Text>
                        <Anchor
                          component="button"
                          type="button"
                          size="xs"
                          onClick={() => setEditing({ kind: 'paid', invoice })}
                        >
                          {t('vendorBills.paid.source', { source: invoice.paidSource ?? 'manual' })}
                        </Anchor>
                      </Stack>
                    ) : (
                      invoice.documentType === 'invoice' && (
                        <Button
                          variant="light"
                          size="compact-sm"
                          onClick={() => setEditing({ kind: 'paid', invoice })}
                          data-testid="payable-mark-paid"
                        >
                          {t('vendorBills.paid.mark')}
                        </Button>
                      )
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore query={invoices} label={t('vendorBills.loadMore')} />
      {editing?.kind === 'terms' && (
        <TermsDialog invoice={editing.invoice} onClose={() => setEditing(null)} />
      )}
      {editing?.kind === 'paid' && (
        <PaidDialog invoice={editing.invoice} today={today} onClose={() => setEditing(null)} />
      )}
    </Stack>
  );
}

/** What the partner owes Microsoft and when: countdown, totals, credit limit, due dates, invoices. */
export function PayablesTab() {
  const { t } = useI18n();
  const summary = usePayablesSummary();
  if (summary.isPending) return <Loader aria-label={t('common.loading')} />;
  if (summary.isError) return <ProblemAlert error={summary.error} title={t('vendorBills.error.load')} />;
  return (
    <Stack gap="lg">
      <SuspensionCountdown summary={summary.data} />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('vendorBills.payables.chart')}
            </Title>
            <DueDateChart summary={summary.data} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Totals summary={summary.data} />
            <CreditLimit summary={summary.data} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Title order={2} size="h3">
        {t('vendorBills.payables.title')}
      </Title>
      <PayablesTable today={summary.data.today} />
    </Stack>
  );
}
