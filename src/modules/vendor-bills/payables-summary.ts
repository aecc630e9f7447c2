import type { Decimal } from 'decimal.js';
import { requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { parseDecimal } from '#platform/money';
import { addLocalDays, daysBetween } from '#platform/time';
import { noticeDue, type PayableNotice } from './payable-terms.ts';
import { amountText, payablesContext, type VendorInvoiceView, vendorInvoiceViews } from './payables.ts';
import { unbilledTotal } from './payables-queries.ts';

/** The due-date chart looks this far ahead (and at everything already overdue). */
export const DUE_CHART_DAYS = 90;

export interface PayablesWarning {
  kind: PayableNotice | 'credit_limit_exceeded';
  invoiceId: string | null;
  invoiceNumber: string | null;
  currency: string;
  /** What is outstanding on the invoice, or how far the credit limit is exceeded. */
  amount: string | null;
  dueDate: string | null;
  daysOverdue: number;
  suspensionDate: string | null;
}

export interface PayablesSummary {
  today: string;
  byCurrency: { currency: string; open: string; dueSoon: string; overdue: string }[];
  dueByDate: { dueDate: string; currency: string; amount: string }[];
  nextSuspensionDate: string | null;
  daysToSuspension: number | null;
  creditLimitUsd: string | null;
  /** What is outstanding on USD invoices: other currencies have no rate here and are not guessed. */
  openUsd: string;
  /** Unbilled charges (current estimates of periods not billed yet) in USD: they count against the limit. */
  unbilledUsd: string;
  /** Credit limit − (outstanding + unbilled), in USD; null without a credit limit. */
  headroomUsd: string | null;
  /** Currencies with amounts outstanding that openUsd and headroomUsd leave out. */
  currenciesNotInUsd: string[];
  warnings: PayablesWarning[];
}

const zero = () => parseDecimal('0');
const outstandingOf = (view: VendorInvoiceView): Decimal =>
  view.outstanding === null ? zero() : parseDecimal(view.outstanding);

function addTo<K>(totals: Map<K, Decimal>, key: K, amount: Decimal) {
  totals.set(key, (totals.get(key) ?? zero()).plus(amount));
}

function byCurrency(unpaid: readonly VendorInvoiceView[]): PayablesSummary['byCurrency'] {
  const buckets = new Map<string, { open: Decimal; dueSoon: Decimal; overdue: Decimal }>();
  for (const view of unpaid) {
    const bucket = buckets.get(view.currency) ?? { open: zero(), dueSoon: zero(), overdue: zero() };
    const key = view.status === 'due_soon' ? 'dueSoon' : view.status === 'overdue' ? 'overdue' : 'open';
    bucket[key] = bucket[key].plus(outstandingOf(view));
    buckets.set(view.currency, bucket);
  }
  return [...buckets]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, bucket]) => ({
      currency,
      open: amountText(bucket.open, currency)!,
      dueSoon: amountText(bucket.dueSoon, currency)!,
      overdue: amountText(bucket.overdue, currency)!,
    }));
}

function dueByDate(unpaid: readonly VendorInvoiceView[], today: string): PayablesSummary['dueByDate'] {
  const horizon = addLocalDays(today, DUE_CHART_DAYS);
  const totals = new Map<string, Decimal>();
  for (const view of unpaid) {
    if (view.dueDate !== null && view.dueDate <= horizon) {
      addTo(totals, `${view.dueDate} ${view.currency}`, outstandingOf(view));
    }
  }
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, amount]) => {
      const [dueDate, currency] = key.split(' ') as [string, string];
      return { dueDate, currency, amount: amountText(amount, currency)! };
    });
}

function invoiceWarnings(unpaid: readonly VendorInvoiceView[], today: string): PayablesWarning[] {
  return unpaid.flatMap((view) => {
    const kind = noticeDue(view, today);
    if (kind === null) return [];
    return [
      {
        kind,
        invoiceId: view.id,
        invoiceNumber: view.invoiceNumber,
        currency: view.currency,
        amount: view.outstanding,
        dueDate: view.dueDate,
        daysOverdue: view.daysOverdue,
        suspensionDate: view.suspensionDate,
      },
    ];
  });
}

/**
 * The payables dashboard: what is open, due soon and overdue per currency, the due-date chart, the
 * countdown to the day Partner Center would suspend the partner, and the credit limit's headroom.
 */
export async function payablesSummary(app: AppContext, caller: Caller): Promise<PayablesSummary> {
  const actor = requirePermission(caller, 'costs.manage');
  const db = app.database.db;
  const context = await payablesContext(db, actor.partnerId, app.clock.now());
  const { today } = context;
  const unpaid = (await vendorInvoiceViews(db, context)).filter((view) => view.status !== 'paid');
  const suspensionDates = unpaid.flatMap((view) =>
    view.suspensionDate === null ? [] : [view.suspensionDate],
  );
  const nextSuspensionDate = suspensionDates.sort()[0] ?? null;

  const openUsd = unpaid
    .filter((view) => view.currency === 'USD')
    .reduce((total, view) => total.plus(outstandingOf(view)), zero());
  const unbilledUsd = parseDecimal(await unbilledTotal(db, actor.partnerId, 'USD'));
  const creditLimit = context.settings.creditLimitUsd;
  const headroom = creditLimit === null ? null : parseDecimal(creditLimit).minus(openUsd).minus(unbilledUsd);

  const warnings = invoiceWarnings(unpaid, today);
  if (headroom?.isNegative()) {
    warnings.push({
      kind: 'credit_limit_exceeded',
      invoiceId: null,
      invoiceNumber: null,
      currency: 'USD',
      amount: amountText(headroom.negated(), 'USD'),
      dueDate: null,
      daysOverdue: 0,
      suspensionDate: null,
    });
  }
  return {
    today,
    byCurrency: byCurrency(unpaid),
    dueByDate: dueByDate(unpaid, today),
    nextSuspensionDate,
    daysToSuspension: nextSuspensionDate === null ? null : daysBetween(today, nextSuspensionDate),
    creditLimitUsd: amountText(creditLimit, 'USD'),
    openUsd: amountText(openUsd, 'USD')!,
    unbilledUsd: amountText(unbilledUsd, 'USD')!,
    headroomUsd: amountText(headroom, 'USD'),
    currenciesNotInUsd: [...new Set(unpaid.map((view) => view.currency))].filter((c) => c !== 'USD').sort(),
    warnings,
  };
}
