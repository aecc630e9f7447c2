import type { Decimal } from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import { getPartner, requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, type Tx, withTransaction } from '#platform/db';
import { invalid, notFound } from '#platform/errors';
import { money, parseDecimal } from '#platform/money';
import { addLocalDays, assertLocalDate, daysBetween, localDate } from '#platform/time';
import { type PayableStatus, payableState } from './payable-terms.ts';
import {
  billedLinesTotals,
  invoiceRowForUpdate,
  invoiceRows,
  invoicesByNumberForUpdate,
  type PayablesSettings,
  saveSettingsRow,
  settingsRow,
  type VendorInvoiceRow,
} from './payables-queries.ts';
import { linesDifference } from './reconciliation.ts';
import { vendorInvoices } from './schema.ts';

export type VendorCloud = VendorInvoiceRow['cloud'];
export type DocumentType = VendorInvoiceRow['documentType'];

/** An invoice number an import met in billed lines: its period and currency, nothing of Microsoft's total. */
export interface BilledInvoiceSeen {
  invoiceNumber: string;
  currency: string;
  /** The billing month's first day, `yyyy-mm-01`. */
  period: string;
  /** The file's line sum: kept by the import's summary, never taken for Microsoft's invoice total. */
  total: string;
}

/** Microsoft's Invoice resource as the connector read it. */
export interface ConnectorInvoice {
  invoiceNumber: string;
  /** `yyyy-mm-dd` (UTC, as every Partner Center date); a longer ISO instant is cut to its date. */
  invoiceDate: string;
  documentType: DocumentType;
  currency: string;
  total: string;
  billingPeriodStart?: string | null | undefined;
  billingPeriodEnd?: string | null | undefined;
  /** As Microsoft reports it: "negative if a payment was received" (reference §2.7). */
  paidAmount?: string | null | undefined;
}

export interface UpsertOutcome {
  created: number;
  updated: number;
}

/** The billing month after `period` (`yyyy-mm…`), as `yyyy-mm`. */
function nextMonth(period: string): string {
  const [year, month] = period.slice(0, 7).split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/**
 * New-commerce invoices and their reconciliation files are published "by the 8th" of the month after
 * their billing month (reference §5.1): the day a period's billed data is expected.
 */
export function publicationDateOf(period: string): string {
  return `${nextMonth(period)}-08`;
}

/**
 * Records the invoices an import of billed lines names, so a CSV-only partner still sees its payables:
 * one row per invoice number not known yet (source `import`, total null — the file's line sum is not
 * Microsoft's invoice total, which the partner checks against the PDF). Its invoice date is an
 * ESTIMATE, the period's publication date, until the connector reads Microsoft's own. A known invoice
 * is left as it is: connector facts and the partner's own fields are never overwritten. The caller's
 * import writes the one audit event.
 */
export async function recordBilledInvoices(
  tx: Tx,
  partnerId: string,
  cloud: VendorCloud,
  invoices: readonly BilledInvoiceSeen[],
): Promise<UpsertOutcome> {
  const unique = new Map(invoices.map((invoice) => [invoice.invoiceNumber, invoice]));
  const known = await invoicesByNumberForUpdate(tx, partnerId, [...unique.keys()]);
  const fresh = [...unique.values()].filter((invoice) => !known.has(invoice.invoiceNumber));
  if (fresh.length > 0) {
    await tx
      .insert(vendorInvoices)
      .values(
        fresh.map((invoice) => ({
          partnerId,
          invoiceNumber: invoice.invoiceNumber,
          cloud,
          invoiceDate: publicationDateOf(invoice.period),
          billingPeriodStart: `${invoice.period.slice(0, 7)}-01`,
          billingPeriodEnd: addLocalDays(`${nextMonth(invoice.period)}-01`, -1),
          currency: invoice.currency,
          total: null,
          source: 'import' as const,
        })),
      )
      // A concurrent import of the same invoice got there first: its row stands.
      .onConflictDoNothing();
  }
  return { created: fresh.length, updated: 0 };
}

function sameAmount(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return parseDecimal(a).equals(parseDecimal(b));
}

/** The columns Microsoft owns: what the connector read wins over anything an import guessed. */
function microsoftColumns(invoice: ConnectorInvoice) {
  return {
    invoiceDate: invoice.invoiceDate.slice(0, 10),
    documentType: invoice.documentType,
    currency: invoice.currency,
    total: parseDecimal(invoice.total, { field: `${invoice.invoiceNumber}.total` }).toFixed(),
    billingPeriodStart: invoice.billingPeriodStart?.slice(0, 10) ?? null,
    billingPeriodEnd: invoice.billingPeriodEnd?.slice(0, 10) ?? null,
  };
}

/**
 * What Microsoft says was paid, as a positive amount. A payment the partner recorded by hand stays
 * theirs: Microsoft shows a payment only days after it was made.
 */
function importedPayment(invoice: ConnectorInvoice, row: VendorInvoiceRow | undefined) {
  if (row?.paidSource === 'manual' || invoice.paidAmount === undefined) return {};
  const paid =
    invoice.paidAmount === null
      ? null
      : parseDecimal(invoice.paidAmount, { field: `${invoice.invoiceNumber}.paidAmount` }).abs();
  if (paid === null || paid.isZero()) {
    return row?.paidSource === 'imported' ? { paidAmount: null, paidSource: null } : {};
  }
  return { paidAmount: paid.toFixed(), paidSource: 'imported' as const };
}

const amountColumns = new Set(['total', 'paidAmount']);

/**
 * Stores Microsoft's invoices as the connector read them: Microsoft's facts (date, total, currency,
 * document type, billing period, what it says was paid) win; the partner's own fields (terms override,
 * a payment recorded by hand) are kept. An invoice first met in an imported file becomes a connector
 * invoice. The caller's pull writes the one audit event. Returns how many were created and changed.
 */
export async function upsertVendorInvoicesFromConnector(
  tx: Tx,
  partnerId: string,
  cloud: VendorCloud,
  invoices: readonly ConnectorInvoice[],
  now: Date = new Date(),
): Promise<UpsertOutcome> {
  const known = await invoicesByNumberForUpdate(
    tx,
    partnerId,
    invoices.map((invoice) => invoice.invoiceNumber),
  );
  const outcome: UpsertOutcome = { created: 0, updated: 0 };
  for (const invoice of invoices) {
    const row = known.get(invoice.invoiceNumber);
    const columns = { ...microsoftColumns(invoice), ...importedPayment(invoice, row), cloud };
    if (row === undefined) {
      await tx
        .insert(vendorInvoices)
        .values({ partnerId, invoiceNumber: invoice.invoiceNumber, source: 'connector', ...columns });
      outcome.created += 1;
      continue;
    }
    const changed =
      row.source !== 'connector' ||
      Object.entries(columns).some(([name, value]) => {
        const old = row[name as keyof typeof columns] as string | null;
        return amountColumns.has(name) ? !sameAmount(old, value as string | null) : old !== value;
      });
    if (!changed) continue;
    await tx
      .update(vendorInvoices)
      .set({ ...columns, source: 'connector', updatedAt: now })
      .where(and(eq(vendorInvoices.partnerId, partnerId), eq(vendorInvoices.id, row.id)));
    outcome.updated += 1;
  }
  return outcome;
}

/** A vendor invoice with where it stands today. */
export interface VendorInvoiceView {
  id: string;
  invoiceNumber: string;
  cloud: VendorCloud;
  documentType: DocumentType;
  invoiceDate: string;
  billingPeriodStart: string | null;
  billingPeriodEnd: string | null;
  currency: string;
  /** Microsoft's total, or null when only imported files are known. */
  total: string | null;
  billedLinesTotal: string | null;
  /** The billed lines less what they must reach (`linesDifference`, as the reconciliation check says). */
  difference: string | null;
  termsDays: number;
  termsOverridden: boolean;
  dueDate: string | null;
  paidAt: string | null;
  paidAmount: string | null;
  paidSource: VendorInvoiceRow['paidSource'];
  status: PayableStatus;
  daysOverdue: number;
  suspensionDate: string | null;
  /** What is still to pay; null when no amount is known yet. */
  outstanding: string | null;
  source: VendorInvoiceRow['source'];
}

/** Everything the payables of one partner are judged by on one day. */
export interface PayablesContext {
  partnerId: string;
  today: string;
  partnerTermsDays: number;
  settings: PayablesSettings;
}

export async function payablesContext(db: Queryable, partnerId: string, now: Date): Promise<PayablesContext> {
  const partner = await getPartner(db, partnerId);
  return {
    partnerId,
    // Due dates are calendar days: "today" is the partner's, not the server's.
    today: localDate(now, partner.timeZone),
    partnerTermsDays: partner.paymentTermsDays,
    settings: await settingsRow(db, partnerId),
  };
}

/** An amount as the API writes it: exact, never shorter than the currency's minor unit. */
export function amountText(amount: Decimal | string | null, currency: string): string | null {
  return amount === null ? null : money(amount, currency).toString();
}

export function presentVendorInvoice(
  row: VendorInvoiceRow,
  billedLinesTotal: string | null,
  context: PayablesContext,
): VendorInvoiceView {
  const termsDays = row.termsDays ?? context.partnerTermsDays;
  const state = payableState(
    {
      documentType: row.documentType,
      invoiceDate: row.invoiceDate,
      termsDays,
      total: row.total,
      billedLinesTotal,
      paidAt: row.paidAt,
      paidAmount: row.paidAmount,
    },
    context.today,
    context.settings.warnDaysBefore,
  );
  return {
    id: row.id,
    invoiceNumber: row.invoiceNumber,
    cloud: row.cloud,
    documentType: row.documentType,
    invoiceDate: row.invoiceDate,
    billingPeriodStart: row.billingPeriodStart,
    billingPeriodEnd: row.billingPeriodEnd,
    currency: row.currency,
    total: amountText(row.total, row.currency),
    billedLinesTotal: amountText(billedLinesTotal, row.currency),
    difference:
      row.total === null || billedLinesTotal === null
        ? null
        : linesDifference({ ...row, total: row.total }, billedLinesTotal).toString(),
    termsDays,
    termsOverridden: row.termsDays !== null,
    dueDate: state.dueDate,
    paidAt: row.paidAt,
    paidAmount: amountText(row.paidAmount, row.currency),
    paidSource: row.paidSource,
    status: state.status,
    daysOverdue: state.daysOverdue,
    suspensionDate: state.suspensionDate,
    outstanding: amountText(state.outstanding, row.currency),
    source: row.source,
  };
}

/**
 * Every vendor invoice of the partner as it stands today. Status depends on today, the terms and the
 * billed lines, so it is worked out here rather than in SQL: a partner has a few invoices a month.
 */
export async function vendorInvoiceViews(
  db: Queryable,
  context: PayablesContext,
  filter: { currency?: string | undefined } = {},
) {
  const rows = await invoiceRows(db, context.partnerId, filter);
  const totals = await billedLinesTotals(
    db,
    context.partnerId,
    rows.map((row) => row.invoiceNumber),
  );
  return rows.map((row) => presentVendorInvoice(row, totals.get(row.invoiceNumber) ?? null, context));
}

export interface VendorInvoiceQuery {
  status?: PayableStatus | undefined;
  currency?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

function encodeCursor(view: VendorInvoiceView): string {
  return Buffer.from(JSON.stringify([view.invoiceDate, view.invoiceNumber])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === 'string')) {
      return key as [string, string];
    }
  } catch {
    // reported below
  }
  throw invalid('invalid-cursor', 'cursor is not one this list gave out', { field: 'cursor' });
}

/** Newest invoice first; the cursor is the last one's (invoice date, number). */
function after(view: VendorInvoiceView, [date, number]: [string, string]): boolean {
  return view.invoiceDate < date || (view.invoiceDate === date && view.invoiceNumber < number);
}

export async function listVendorInvoices(app: AppContext, caller: Caller, query: VendorInvoiceQuery) {
  const actor = requirePermission(caller, 'costs.manage');
  const limit = query.limit ?? 50;
  const context = await payablesContext(app.database.db, actor.partnerId, app.clock.now());
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const matching = (await vendorInvoiceViews(app.database.db, context, { currency: query.currency }))
    .filter((view) => query.status === undefined || view.status === query.status)
    .filter((view) => cursor === undefined || after(view, cursor));
  const items = matching.slice(0, limit);
  return { items, nextCursor: matching.length > limit ? encodeCursor(items.at(-1)!) : null };
}

export interface VendorInvoiceChange {
  termsDays?: number | null | undefined;
  paidAt?: string | null | undefined;
  paidAmount?: string | null | undefined;
}

function parseTermsDays(value: number | null): number | null {
  if (value !== null && (!Number.isInteger(value) || value < 0 || value > 365)) {
    throw invalid('out-of-range', 'termsDays must be a whole number of days from 0 to 365, or null', {
      field: 'termsDays',
    });
  }
  return value;
}

function parsePaidAt(value: string | null, today: string): string | null {
  if (value === null) return null;
  assertLocalDate(value, 'paidAt');
  if (daysBetween(today, value) > 0) {
    throw invalid('future-date', `paidAt cannot be later than today (${today})`, { field: 'paidAt' });
  }
  return value;
}

function parsePaidAmount(value: string | null): string | null {
  if (value === null) return null;
  const amount: Decimal = parseDecimal(value, { field: 'paidAmount' });
  if (amount.isNegative()) {
    throw invalid('negative-amount', 'paidAmount must be zero or more', { field: 'paidAmount' });
  }
  return amount.toFixed();
}

const tracked = (row: VendorInvoiceRow) => ({
  termsDays: row.termsDays,
  paidAt: row.paidAt,
  paidAmount: row.paidAmount,
  paidSource: row.paidSource,
});

/**
 * The partner's own fields of an invoice: its terms (null goes back to the partner's) and a payment
 * recorded by hand. A date without an amount means paid in full. Clearing both clears the payment.
 */
export async function updateVendorInvoice(
  app: AppContext,
  caller: Caller,
  id: string,
  change: VendorInvoiceChange,
): Promise<VendorInvoiceView> {
  const actor = requirePermission(caller, 'costs.manage');
  const now = app.clock.now();
  return withTransaction(app.database, async (tx) => {
    const context = await payablesContext(tx, actor.partnerId, now);
    const row = await invoiceRowForUpdate(tx, actor.partnerId, id);
    if (!row) throw notFound('Vendor invoice');
    const next = { ...tracked(row) };
    if (change.termsDays !== undefined) next.termsDays = parseTermsDays(change.termsDays);
    const paymentTouched = change.paidAt !== undefined || change.paidAmount !== undefined;
    if (change.paidAt !== undefined) next.paidAt = parsePaidAt(change.paidAt, context.today);
    if (change.paidAmount !== undefined) next.paidAmount = parsePaidAmount(change.paidAmount);
    if (paymentTouched) {
      next.paidSource = next.paidAt === null && next.paidAmount === null ? null : 'manual';
    }
    const [updated] = await tx
      .update(vendorInvoices)
      .set({ ...next, updatedAt: now })
      .where(and(eq(vendorInvoices.partnerId, actor.partnerId), eq(vendorInvoices.id, id)))
      .returning();
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      action: 'payable.updated',
      target: { type: 'vendor_invoice', id },
      before: tracked(row),
      after: next,
    });
    const totals = await billedLinesTotals(tx, actor.partnerId, [row.invoiceNumber]);
    return presentVendorInvoice(updated!, totals.get(row.invoiceNumber) ?? null, context);
  });
}

export interface PayablesSettingsView extends PayablesSettings {
  /** The partner's default terms (partner settings; changed there). */
  paymentTermsDays: number;
}

export async function getPayablesSettings(app: AppContext, caller: Caller): Promise<PayablesSettingsView> {
  const actor = requirePermission(caller, 'costs.manage');
  const partner = await getPartner(app.database.db, actor.partnerId);
  const settings = await settingsRow(app.database.db, actor.partnerId);
  return {
    creditLimitUsd: amountText(settings.creditLimitUsd, 'USD'),
    warnDaysBefore: settings.warnDaysBefore,
    paymentTermsDays: partner.paymentTermsDays,
  };
}

export async function savePayablesSettings(
  app: AppContext,
  caller: Caller,
  input: PayablesSettings,
): Promise<PayablesSettingsView> {
  const actor = requirePermission(caller, 'costs.manage');
  if (!Number.isInteger(input.warnDaysBefore) || input.warnDaysBefore < 0 || input.warnDaysBefore > 90) {
    throw invalid('out-of-range', 'warnDaysBefore must be a whole number of days from 0 to 90', {
      field: 'warnDaysBefore',
    });
  }
  const creditLimit =
    input.creditLimitUsd === null ? null : parseDecimal(input.creditLimitUsd, { field: 'creditLimitUsd' });
  if (creditLimit?.isNegative()) {
    throw invalid('negative-amount', 'creditLimitUsd must be zero or more', { field: 'creditLimitUsd' });
  }
  const settings = { creditLimitUsd: creditLimit?.toFixed() ?? null, warnDaysBefore: input.warnDaysBefore };
  await withTransaction(app.database, async (tx) => {
    const before = await settingsRow(tx, actor.partnerId);
    await saveSettingsRow(tx, actor.partnerId, settings, app.clock.now());
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      action: 'payable.settings_changed',
      target: { type: 'vendor_bill_settings', id: actor.partnerId },
      before,
      after: settings,
    });
  });
  return getPayablesSettings(app, caller);
}
