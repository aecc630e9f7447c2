import { type SQL, sql } from 'drizzle-orm';

/**
 * Whether a delivery (the `vendor_deliveries` row aliased `alias`) is the cost of record: billed lines
 * of the reconciliation or legacy files. Daily rated usage of a billed period carries its invoice number
 * too, but it is the detail behind the billed lines, never added to them (DESIGN.md "Cost of record").
 */
export function costOfRecord(alias: string): SQL {
  return sql.raw(`(${alias}.kind = 'billed' and ${alias}.form <> 'daily_usage')`);
}
