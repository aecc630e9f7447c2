import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Queryable, scoped, selectRows, type Tx } from '#platform/db';
import { costOfRecord } from './cost-of-record.ts';
import { vendorBillSettings, vendorInvoiceNotices, vendorInvoices } from './schema.ts';

export type VendorInvoiceRow = typeof vendorInvoices.$inferSelect;
export type VendorBillSettingsRow = typeof vendorBillSettings.$inferSelect;

export async function invoiceRows(
  db: Queryable,
  partnerId: string,
  filter: { currency?: string | undefined } = {},
): Promise<VendorInvoiceRow[]> {
  return db
    .select()
    .from(vendorInvoices)
    .where(
      scoped(
        vendorInvoices,
        { partnerId },
        filter.currency === undefined ? undefined : eq(vendorInvoices.currency, filter.currency),
      ),
    )
    .orderBy(desc(vendorInvoices.invoiceDate), desc(vendorInvoices.invoiceNumber));
}

/** The partner's invoices of these numbers, locked, by number. */
export async function invoicesByNumberForUpdate(
  tx: Tx,
  partnerId: string,
  numbers: readonly string[],
): Promise<Map<string, VendorInvoiceRow>> {
  if (numbers.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(vendorInvoices)
    .where(scoped(vendorInvoices, { partnerId }, inArray(vendorInvoices.invoiceNumber, [...numbers])))
    .for('update');
  return new Map(rows.map((row) => [row.invoiceNumber, row]));
}

export async function invoiceRowForUpdate(
  tx: Tx,
  partnerId: string,
  id: string,
): Promise<VendorInvoiceRow | undefined> {
  const [row] = await tx
    .select()
    .from(vendorInvoices)
    .where(scoped(vendorInvoices, { partnerId }, eq(vendorInvoices.id, id)))
    .for('update');
  return row;
}

/**
 * The sum of each invoice's current billed lines, by invoice number (a delivery's `total` is the sum
 * of its lines' cost). Invoices without billed lines are absent.
 */
export async function billedLinesTotals(
  db: Queryable,
  partnerId: string,
  invoiceNumbers: readonly string[],
): Promise<Map<string, string>> {
  if (invoiceNumbers.length === 0) return new Map();
  const rows = await selectRows<{ invoiceNumber: string; total: string }>(
    db,
    sql`select d.invoice_number as "invoiceNumber", sum(d.total)::text as "total"
          from vendor_deliveries d
         where d.partner_id = ${partnerId} and d.status = 'current' and ${costOfRecord('d')}
           and d.invoice_number in (${sql.join(
             invoiceNumbers.map((number) => sql`${number}`),
             sql`, `,
           )})
         group by d.invoice_number`,
  );
  return new Map(rows.map((row) => [row.invoiceNumber, row.total]));
}

/**
 * What the current estimates add up to in one currency, for periods whose billed data has not
 * arrived: Microsoft counts unbilled charges against the credit limit (reference §5.2).
 */
export async function unbilledTotal(db: Queryable, partnerId: string, currency: string): Promise<string> {
  const [row] = await selectRows<{ total: string | null }>(
    db,
    sql`select sum(e.total)::text as total
          from vendor_deliveries e
         where e.partner_id = ${partnerId} and e.status = 'current' and e.kind = 'estimate'
           and e.currency = ${currency}
           and not exists (
             select 1 from vendor_deliveries b
              where b.partner_id = e.partner_id and b.status = 'current' and ${costOfRecord('b')}
                and b.period = e.period and b.currency = e.currency)`,
  );
  return row?.total ?? '0';
}

// A type, not an interface: audit events take it as a plain record of fields.
export type PayablesSettings = {
  creditLimitUsd: string | null;
  warnDaysBefore: number;
};

/** The partner's payables settings; the table's defaults until the partner saves its own. */
export async function settingsRow(db: Queryable, partnerId: string): Promise<PayablesSettings> {
  const [row] = await db.select().from(vendorBillSettings).where(eq(vendorBillSettings.partnerId, partnerId));
  return { creditLimitUsd: row?.creditLimitUsd ?? null, warnDaysBefore: row?.warnDaysBefore ?? 7 };
}

export async function saveSettingsRow(tx: Tx, partnerId: string, settings: PayablesSettings, now: Date) {
  await tx
    .insert(vendorBillSettings)
    .values({ partnerId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: vendorBillSettings.partnerId, set: { ...settings, updatedAt: now } });
}

/**
 * Partners with an invoice that may still call for a warning. Installation-wide on purpose: the daily
 * warnings job then works inside each partner.
 */
export async function partnersWithUnpaidInvoices(db: Queryable): Promise<string[]> {
  const rows = await db
    .selectDistinct({ partnerId: vendorInvoices.partnerId })
    .from(vendorInvoices)
    .where(and(eq(vendorInvoices.documentType, 'invoice'), sql`${vendorInvoices.paidAt} is null`))
    .orderBy(asc(vendorInvoices.partnerId));
  return rows.map((row) => row.partnerId);
}

/** Records that `notice` went out for an invoice; false when it already had (a re-run sends nothing). */
export async function claimNotice(
  tx: Tx,
  partnerId: string,
  invoiceId: string,
  notice: string,
  now: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(vendorInvoiceNotices)
    .values({ partnerId, invoiceId, notice, sentAt: now })
    .onConflictDoNothing()
    .returning({ notice: vendorInvoiceNotices.notice });
  return inserted.length === 1;
}

/** The notices already sent about the partner's invoices, as `invoiceId:notice`. */
export async function sentNotices(db: Queryable, partnerId: string): Promise<Set<string>> {
  const rows = await db
    .select({ invoiceId: vendorInvoiceNotices.invoiceId, notice: vendorInvoiceNotices.notice })
    .from(vendorInvoiceNotices)
    .where(eq(vendorInvoiceNotices.partnerId, partnerId));
  return new Set(rows.map((row) => `${row.invoiceId}:${row.notice}`));
}
