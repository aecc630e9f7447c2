import { sql } from 'drizzle-orm';
import { type Database, selectRows, withTransaction } from '#platform/db';

/**
 * Links the daily usage lines of an invoice's current usage delivery to the current billed
 * reconciliation line they detail: the recon line's subscription is the usage's Azure entitlement
 * (reference §3.6), an Azure plan line is one per entitlement and meter (product and SKU), and the usage
 * date lies within its charge period. Links to a billed version no longer current are cleared first.
 * Set-based, in batches of usage lines (each its own short transaction); returns the lines linked.
 */
export async function linkUsageToBilled(
  database: Database,
  partnerId: string,
  invoiceNumbers: readonly string[],
  batch: number,
): Promise<number> {
  let linked = 0;
  for (const invoiceNumber of invoiceNumbers) {
    const [current] = await selectRows<{ usage: string | null; billed: string | null; lines: number | null }>(
      database.db,
      sql`SELECT max(id::text) FILTER (WHERE form = 'daily_usage') AS usage,
                 max(id::text) FILTER (WHERE form = 'billed_recon') AS billed,
                 max(line_count) FILTER (WHERE form = 'daily_usage') AS lines
          FROM vendor_deliveries
          WHERE partner_id = ${partnerId} AND invoice_number = ${invoiceNumber} AND status = 'current'`,
    );
    if (!current?.usage) continue;
    await database.db.execute(sql`UPDATE vendor_cost_lines SET billed_delivery_id = NULL, billed_line_number = NULL
      WHERE partner_id = ${partnerId} AND delivery_id = ${current.usage}
        AND billed_delivery_id IS NOT NULL AND billed_delivery_id IS DISTINCT FROM ${current.billed}::uuid`);
    if (!current.billed) continue;
    for (let from = 1; from <= (current.lines ?? 0); from += batch) {
      linked += await withTransaction(database, async (tx) => {
        // Fresh lines have no statistics yet: without this the planner nests a loop over both sides.
        await tx.execute(sql`SET LOCAL enable_nestloop = off`);
        const [row] = await selectRows<{ count: number }>(
          tx,
          sql`WITH matched AS (
                SELECT DISTINCT ON (u.line_number) u.line_number, b.line_number AS billed_line_number
                FROM vendor_cost_lines u
                JOIN vendor_cost_lines b ON b.partner_id = u.partner_id AND b.delivery_id = ${current.billed}
                  AND coalesce(b.entitlement_id, b.subscription_id) = u.entitlement_id
                  AND b.product_id IS NOT DISTINCT FROM u.product_id
                  AND b.sku_id IS NOT DISTINCT FROM u.sku_id
                  AND (b.meter_id IS NULL OR u.meter_id IS NULL OR b.meter_id = u.meter_id)
                  AND (b.charge_start IS NULL OR u.usage_date IS NULL OR u.usage_date >= b.charge_start)
                  AND (b.charge_end IS NULL OR u.usage_date IS NULL OR u.usage_date <= b.charge_end)
                WHERE u.partner_id = ${partnerId} AND u.delivery_id = ${current.usage}
                  AND u.line_number >= ${from} AND u.line_number < ${from + batch}
                  AND u.billed_delivery_id IS NULL
                ORDER BY u.line_number, b.line_number),
              changed AS (
                UPDATE vendor_cost_lines u
                SET billed_delivery_id = ${current.billed}, billed_line_number = m.billed_line_number
                FROM matched m
                WHERE u.partner_id = ${partnerId} AND u.delivery_id = ${current.usage}
                  AND u.line_number = m.line_number
                RETURNING 1)
              SELECT count(*)::int AS count FROM changed`,
        );
        return row!.count;
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return linked;
}
