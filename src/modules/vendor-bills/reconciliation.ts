import { sql } from 'drizzle-orm';
import { type Queryable, selectRows } from '#platform/db';
import { invalid } from '#platform/errors';
import { type Money, money } from '#platform/money';
import { costOfRecord } from './cost-of-record.ts';

export type ReconciliationStatus = 'matches' | 'differs' | 'no_lines' | 'no_total';

/** One vendor invoice checked against its billed lines. Amounts are exact decimal strings. */
export interface InvoiceReconciliation {
  invoiceNumber: string;
  currency: string;
  /** Microsoft's invoice total as the connector read it; null for a CSV-only partner (check the PDF). */
  microsoftTotal: string | null;
  /** Σ `cost` of the invoice's current billed lines; null when none are imported. */
  billedLinesTotal: string | null;
  /** billedLinesTotal − the total the lines must reach; null unless both are known. */
  difference: string | null;
  status: ReconciliationStatus;
}

interface Row {
  invoice_number: string;
  currency: string;
  document_type: 'invoice' | 'credit_note';
  total: string | null;
  lines_total: string | null;
  line_count: string | number;
}

/**
 * What an invoice's billed lines are off by: lines total − the total they must reach. Reference §3.5:
 * the billed lines' `Total` (tax included, like the invoice) sum to the invoice; credit notes are
 * deducted — a credit note's lines are refunds, so when Microsoft states a credit note's amount as a
 * positive figure its lines must reach its negative. Payables shows the same figure.
 */
export function linesDifference(
  invoice: { documentType: 'invoice' | 'credit_note'; currency: string; total: string },
  linesTotal: string,
): Money {
  const amount = money(invoice.total, invoice.currency);
  const expected =
    invoice.documentType === 'credit_note' && amount.amount.isPositive() && !amount.isZero()
      ? amount.negate()
      : amount;
  return money(linesTotal, invoice.currency).subtract(expected);
}

function reconcile(row: Row): InvoiceReconciliation {
  const hasLines = Number(row.line_count) > 0;
  const billedLinesTotal = hasLines ? money(row.lines_total ?? '0', row.currency) : null;
  const base = {
    invoiceNumber: row.invoice_number,
    currency: row.currency,
    microsoftTotal: row.total === null ? null : money(row.total, row.currency).toString(),
    billedLinesTotal: billedLinesTotal?.toString() ?? null,
  };
  if (row.total === null) return { ...base, difference: null, status: 'no_total' };
  if (billedLinesTotal === null) return { ...base, difference: null, status: 'no_lines' };
  const difference = linesDifference(
    { documentType: row.document_type, currency: row.currency, total: row.total },
    billedLinesTotal.toString(),
  );
  return { ...base, difference: difference.toString(), status: difference.isZero() ? 'matches' : 'differs' };
}

/** `yyyy-mm` → the month's first day and the next month's, or a clear refusal naming `period`. */
function monthRange(period: string): { from: string; to: string } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) {
    throw invalid('invalid-period', `period must be a billing month as yyyy-mm, not "${period}"`, {
      field: 'period',
    });
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { from: `${period}-01`, to: `${next}-01` };
}

/**
 * Checks each vendor invoice (of one billing month, or all; newest first; or the named ones) against
 * the sum of its current billed lines — reconciliation and legacy lines, never daily usage, which only
 * details the Azure lines (DESIGN.md "Cost of record") — in the invoice's currency, exactly.
 */
export async function reconcileInvoices(
  db: Queryable,
  partnerId: string,
  filter: { period?: string | undefined; invoiceNumbers?: readonly string[] } = {},
): Promise<InvoiceReconciliation[]> {
  const range = filter.period === undefined ? undefined : monthRange(filter.period);
  if (filter.invoiceNumbers?.length === 0) return [];
  const numbers =
    filter.invoiceNumbers &&
    sql.join(
      filter.invoiceNumbers.map((number) => sql`${number}`),
      sql`, `,
    );
  const rows = await selectRows<Row>(
    db,
    sql`select i.invoice_number, i.currency, i.document_type, i.total::text as total,
          lines.total::text as lines_total, coalesce(lines.count, 0) as line_count
        from vendor_invoices i
        left join lateral (
          select sum(d.total) as total, sum(d.line_count) as count
          from vendor_deliveries d
          where d.partner_id = i.partner_id and d.invoice_number = i.invoice_number
            and d.status = 'current' and ${costOfRecord('d')} and d.currency = i.currency
        ) lines on true
        where i.partner_id = ${partnerId}
          ${range ? sql`and i.billing_period_start >= ${range.from} and i.billing_period_start < ${range.to}` : sql``}
          ${numbers ? sql`and i.invoice_number in (${numbers})` : sql``}
        order by i.invoice_date desc, i.invoice_number desc`,
  );
  return rows.map(reconcile);
}

/**
 * Keeps the check of the invoices an import brought in on its summary (`summary.reconciliation`), so
 * the import's page shows whether each invoice's lines reach Microsoft's total — or, for a CSV-only
 * partner, the totals to check against the invoice PDF.
 */
export async function recordReconciliation(
  db: Queryable,
  partnerId: string,
  importId: string,
  invoiceNumbers: readonly string[],
): Promise<InvoiceReconciliation[]> {
  const checked = await reconcileInvoices(db, partnerId, { invoiceNumbers });
  await db.execute(
    sql`update vendor_imports
        set summary = summary || jsonb_build_object('reconciliation', ${JSON.stringify(checked)}::jsonb)
        where partner_id = ${partnerId} and id = ${importId}`,
  );
  return checked;
}
