import { sql } from 'drizzle-orm';
import { requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, selectRows } from '#platform/db';
import { invalid } from '#platform/errors';
import { costOfRecord } from './cost-of-record.ts';
import { amountText, publicationDateOf } from './payables.ts';

/**
 * Whether a billing month's cost is final. A period is `estimated` — recent activity and unbilled
 * usage only — until a current billed delivery of the cost of record (reconciliation or legacy lines,
 * not the daily usage detail behind them) exists for it; then it is `final`. Billing waits on this.
 */
export interface PeriodCompleteness {
  /** `yyyy-mm`. */
  period: string;
  currency: string;
  status: 'estimated' | 'final';
  billedTotal: string | null;
  estimateTotal: string | null;
  invoiceNumbers: string[];
  /** New-commerce invoices and their files are published by the 8th of the next month. */
  finalExpectedBy: string;
}

const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;

interface PeriodRow {
  period: string;
  currency: string;
  billedTotal: string | null;
  estimateTotal: string | null;
  invoiceNumbers: string[] | null;
}

async function periodRows(
  db: Queryable,
  partnerId: string,
  filter: { currency?: string | undefined; period?: string | undefined },
): Promise<PeriodRow[]> {
  const billed = costOfRecord('d');
  return selectRows<PeriodRow>(
    db,
    sql`select to_char(d.period, 'YYYY-MM') as "period", d.currency as "currency",
               (sum(d.total) filter (where ${billed}))::text as "billedTotal",
               (sum(d.total) filter (where d.kind = 'estimate'))::text as "estimateTotal",
               array_agg(distinct d.invoice_number order by d.invoice_number)
                 filter (where ${billed} and d.invoice_number is not null) as "invoiceNumbers"
          from vendor_deliveries d
         where d.partner_id = ${partnerId} and d.status = 'current' and d.period is not null
           ${filter.currency === undefined ? sql`` : sql`and d.currency = ${filter.currency}`}
           ${filter.period === undefined ? sql`` : sql`and d.period = ${`${filter.period}-01`}::date`}
         group by 1, 2
         order by 1 desc, 2`,
  );
}

function present(row: PeriodRow): PeriodCompleteness {
  return {
    period: row.period,
    currency: row.currency,
    status: row.billedTotal === null ? 'estimated' : 'final',
    billedTotal: amountText(row.billedTotal, row.currency),
    estimateTotal: amountText(row.estimateTotal, row.currency),
    invoiceNumbers: row.invoiceNumbers ?? [],
    finalExpectedBy: publicationDateOf(row.period),
  };
}

/** A billing month as `yyyy-mm`, given so or as its first day. */
export function parsePeriod(period: string): string {
  const month = /^\d{4}-\d{2}-01$/.test(period) ? period.slice(0, 7) : period;
  if (!MONTH.test(month)) {
    throw invalid('invalid-period', 'period must be a month such as 2026-03', { field: 'period' });
  }
  return month;
}

/**
 * One period's completeness in one currency (`period` as `yyyy-mm` or its first day), for billing to
 * wait on: `estimated` with no totals when nothing of it has arrived yet.
 */
export async function periodStatus(
  db: Queryable,
  partnerId: string,
  period: string,
  currency: string,
): Promise<PeriodCompleteness> {
  const month = parsePeriod(period);
  const [row] = await periodRows(db, partnerId, { currency, period: month });
  return present(
    row ?? { period: month, currency, billedTotal: null, estimateTotal: null, invoiceNumbers: null },
  );
}

/** Every period the partner has cost data for, newest first. */
export async function listPeriods(
  app: AppContext,
  caller: Caller,
  filter: { currency?: string | undefined },
): Promise<PeriodCompleteness[]> {
  const actor = requirePermission(caller, 'costs.manage');
  return (await periodRows(app.database.db, actor.partnerId, filter)).map(present);
}
