import { and, asc, desc, eq, inArray, lt, ne, or, sql } from 'drizzle-orm';
import { byTenantKey, type Queryable, selectRows } from '#platform/db';
import { vendorDeliveries, vendorImports } from './schema.ts';

export type ImportRow = typeof vendorImports.$inferSelect;
export type NewImportRow = typeof vendorImports.$inferInsert;
export type DeliveryRow = typeof vendorDeliveries.$inferSelect;
export type NewDeliveryRow = typeof vendorDeliveries.$inferInsert;

/** The cost-line columns an import writes by COPY, in the order its rows list them. */
export const costLineColumns = [
  'partner_id',
  'delivery_id',
  'line_number',
  'import_id',
  'source_name',
  'source_line',
  'invoice_number',
  'customer_tenant_id',
  'customer_id',
  'customer_name',
  'customer_country',
  'reseller_mpn_id',
  'subscription_id',
  'entitlement_id',
  'order_id',
  'product_id',
  'sku_id',
  'availability_id',
  'product_name',
  'sku_name',
  'meter_id',
  'meter_name',
  'meter_category',
  'service_family',
  'charge_type',
  'reference_id',
  'period_start',
  'period_end',
  'charge_start',
  'charge_end',
  'usage_date',
  'quantity',
  'unit_price',
  'effective_unit_price',
  'subtotal',
  'tax',
  'cost',
  'currency',
  'pricing_currency',
  'pricing_total',
  'exchange_rate',
  'credit_type',
  'is_reservation',
  'extra',
] as const;

export const costLinesTable = 'vendor_cost_lines';

export async function insertImport(db: Queryable, values: NewImportRow): Promise<ImportRow> {
  const [row] = await db.insert(vendorImports).values(values).returning();
  return row!;
}

export async function updateImport(
  db: Queryable,
  row: Pick<ImportRow, 'partnerId' | 'id'>,
  values: Partial<NewImportRow>,
): Promise<ImportRow> {
  const [updated] = await db
    .update(vendorImports)
    .set(values)
    .where(byTenantKey(vendorImports, row))
    .returning();
  return updated!;
}

export async function importById(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<ImportRow | undefined> {
  const [row] = await db
    .select()
    .from(vendorImports)
    .where(and(eq(vendorImports.partnerId, partnerId), eq(vendorImports.id, id)));
  return row;
}

export async function importForUpdate(
  tx: Queryable,
  row: Pick<ImportRow, 'partnerId' | 'id'>,
): Promise<ImportRow | undefined> {
  const [locked] = await tx.select().from(vendorImports).where(byTenantKey(vendorImports, row)).for('update');
  return locked;
}

/** A page of imports, latest first; the cursor is the last row's `startedAt|id`. */
export async function listImportRows(
  db: Queryable,
  partnerId: string,
  page: { after?: { startedAt: Date; id: string } | undefined; limit: number },
): Promise<ImportRow[]> {
  const { after } = page;
  return db
    .select()
    .from(vendorImports)
    .where(
      and(
        eq(vendorImports.partnerId, partnerId),
        after
          ? or(
              lt(vendorImports.startedAt, after.startedAt),
              and(eq(vendorImports.startedAt, after.startedAt), lt(vendorImports.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(vendorImports.startedAt), desc(vendorImports.id))
    .limit(page.limit);
}

/** Imports still marked running, of one partner or of all. */
export function runningImports(db: Queryable, partnerId?: string): Promise<ImportRow[]> {
  return db
    .select()
    .from(vendorImports)
    .where(
      and(
        eq(vendorImports.status, 'running'),
        partnerId === undefined ? undefined : eq(vendorImports.partnerId, partnerId),
      ),
    );
}

export function deliveriesOfImport(
  db: Queryable,
  partnerId: string,
  importId: string,
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(vendorDeliveries)
    .where(and(eq(vendorDeliveries.partnerId, partnerId), eq(vendorDeliveries.importId, importId)))
    .orderBy(asc(vendorDeliveries.createdAt), asc(vendorDeliveries.deliveryKey));
}

/** Every version of one delivery, the newest first; loading ones (never visible) are left out. */
export function deliveryHistory(
  db: Queryable,
  partnerId: string,
  deliveryKey: string,
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(vendorDeliveries)
    .where(
      and(
        eq(vendorDeliveries.partnerId, partnerId),
        eq(vendorDeliveries.deliveryKey, deliveryKey),
        ne(vendorDeliveries.status, 'loading'),
      ),
    )
    .orderBy(desc(vendorDeliveries.createdAt), desc(vendorDeliveries.version));
}

export async function currentDelivery(
  db: Queryable,
  partnerId: string,
  deliveryKey: string,
): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(vendorDeliveries)
    .where(
      and(
        eq(vendorDeliveries.partnerId, partnerId),
        eq(vendorDeliveries.deliveryKey, deliveryKey),
        eq(vendorDeliveries.status, 'current'),
      ),
    );
  return row;
}

/** The next version a delivery key becomes visible as: versions count only what was ever current. */
export async function nextVersion(db: Queryable, partnerId: string, deliveryKey: string): Promise<number> {
  const [row] = await selectRows<{ next: number }>(
    db,
    sql`SELECT coalesce(max(version), 0)::int + 1 AS next FROM vendor_deliveries
        WHERE partner_id = ${partnerId} AND delivery_key = ${deliveryKey} AND version > 0`,
  );
  return row!.next;
}

/**
 * Creates a delivery `loading`. It has no version yet: it gets a placeholder below zero (unique per
 * key, as the version index wants) and its real version only if it becomes current.
 */
export async function insertLoadingDelivery(
  db: Queryable,
  values: Omit<NewDeliveryRow, 'version' | 'status'>,
): Promise<DeliveryRow> {
  for (;;) {
    const [placeholder] = await selectRows<{ version: number }>(
      db,
      sql`SELECT coalesce(min(version), 0)::int - 1 AS version FROM vendor_deliveries
          WHERE partner_id = ${values.partnerId} AND delivery_key = ${values.deliveryKey} AND version < 0`,
    );
    const [row] = await db
      .insert(vendorDeliveries)
      .values({ ...values, version: placeholder!.version, status: 'loading' })
      // Another import took the same placeholder at the same moment: take the next one.
      .onConflictDoNothing()
      .returning();
    if (row) return row;
  }
}

export async function updateDelivery(
  db: Queryable,
  row: Pick<DeliveryRow, 'partnerId' | 'id'>,
  values: Partial<NewDeliveryRow>,
): Promise<DeliveryRow> {
  const [updated] = await db
    .update(vendorDeliveries)
    .set(values)
    .where(byTenantKey(vendorDeliveries, row))
    .returning();
  return updated!;
}

/** Deliveries whose lines must go: `loading` ones of imports that are no longer running. */
export function abandonedDeliveries(db: Queryable, partnerId?: string): Promise<DeliveryRow[]> {
  return db
    .select({ delivery: vendorDeliveries })
    .from(vendorDeliveries)
    .innerJoin(
      vendorImports,
      and(
        eq(vendorImports.partnerId, vendorDeliveries.partnerId),
        eq(vendorImports.id, vendorDeliveries.importId),
      ),
    )
    .where(
      and(
        eq(vendorDeliveries.status, 'loading'),
        ne(vendorImports.status, 'running'),
        partnerId === undefined ? undefined : eq(vendorDeliveries.partnerId, partnerId),
      ),
    )
    .then((rows) => rows.map((row) => row.delivery));
}

/** Discarded deliveries that may still hold lines (an import stopped between its commit and the purge). */
export function discardedWithLines(db: Queryable, partnerId: string): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(vendorDeliveries)
    .where(
      and(
        eq(vendorDeliveries.partnerId, partnerId),
        eq(vendorDeliveries.status, 'discarded'),
        sql`EXISTS (SELECT 1 FROM vendor_cost_lines l
                    WHERE l.partner_id = ${vendorDeliveries.partnerId} AND l.delivery_id = ${vendorDeliveries.id})`,
      ),
    );
}

/** Deletes up to `limit` lines of a delivery (lowest line numbers first); returns how many went. */
export async function deleteLinesBatch(
  db: Queryable,
  delivery: Pick<DeliveryRow, 'partnerId' | 'id'>,
  limit: number,
): Promise<number> {
  const deleted = await selectRows<{ count: number }>(
    db,
    sql`WITH gone AS (
          DELETE FROM vendor_cost_lines
          WHERE partner_id = ${delivery.partnerId} AND delivery_id = ${delivery.id}
            AND line_number <= (
              SELECT min(line_number) + ${limit - 1} FROM vendor_cost_lines
              WHERE partner_id = ${delivery.partnerId} AND delivery_id = ${delivery.id})
          RETURNING 1)
        SELECT count(*)::int AS count FROM gone`,
  );
  return deleted[0]!.count;
}

export async function deleteDeliveries(db: Queryable, partnerId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .delete(vendorDeliveries)
    .where(and(eq(vendorDeliveries.partnerId, partnerId), inArray(vendorDeliveries.id, ids)));
}
