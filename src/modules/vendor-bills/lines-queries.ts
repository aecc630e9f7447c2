import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, selectRows } from '#platform/db';
import { invalid } from '#platform/errors';
import { parsePeriod } from './completeness.ts';
import { costOfRecord } from './cost-of-record.ts';
import type { CostLine, ServiceFamily } from './lines.ts';
import { amountText } from './payables.ts';
import { vendorCostLines, vendorDeliveries } from './schema.ts';

/** A cost line as the API shows it: the normalised line, where it is stored and where it came from. */
export interface CostLineView extends CostLine {
  deliveryId: string;
  lineNumber: number;
  importId: string;
  customerId: string | null;
  deliveryVersion: number;
  kind: 'billed' | 'estimate';
}

export interface CostLineQuery {
  invoiceNumber?: string | undefined;
  /** `yyyy-mm`. */
  period?: string | undefined;
  customerId?: string | undefined;
  serviceFamily?: ServiceFamily | undefined;
  chargeType?: string | undefined;
  kind?: 'billed' | 'estimate' | undefined;
  /** Only lines whose customer tenant is not known here. */
  unknownCustomer?: boolean | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface CostLinePage {
  items: CostLineView[];
  /** Over every line the filters match, not just this page. */
  totals: { currency: string; cost: string; lines: number }[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): { deliveryId: string; lineNumber: number } {
  try {
    const [deliveryId, lineNumber] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof deliveryId === 'string' && UUID.test(deliveryId) && Number.isSafeInteger(lineNumber)) {
      return { deliveryId, lineNumber: lineNumber as number };
    }
  } catch {
    // reported below
  }
  throw invalid('invalid-cursor', 'cursor is not one this list gave out', { field: 'cursor' });
}

function encodeCursor(line: { deliveryId: string; lineNumber: number }): string {
  return Buffer.from(JSON.stringify([line.deliveryId, line.lineNumber])).toString('base64url');
}

/** Only lines of current deliveries are visible: an import's lines appear when it commits, or never. */
function matching(partnerId: string, query: CostLineQuery): SQL {
  const conditions: (SQL | undefined)[] = [
    eq(vendorCostLines.partnerId, partnerId),
    eq(vendorDeliveries.status, 'current'),
  ];
  if (query.invoiceNumber !== undefined)
    conditions.push(eq(vendorCostLines.invoiceNumber, query.invoiceNumber));
  if (query.period !== undefined) conditions.push(eq(vendorDeliveries.period, `${query.period}-01`));
  if (query.customerId !== undefined) conditions.push(eq(vendorCostLines.customerId, query.customerId));
  if (query.serviceFamily !== undefined)
    conditions.push(eq(vendorCostLines.serviceFamily, query.serviceFamily));
  if (query.chargeType !== undefined) conditions.push(eq(vendorCostLines.chargeType, query.chargeType));
  if (query.kind !== undefined) conditions.push(eq(vendorDeliveries.kind, query.kind));
  if (query.unknownCustomer === true) conditions.push(isNull(vendorCostLines.customerId));
  return and(...conditions)!;
}

const joinDelivery = and(
  eq(vendorDeliveries.partnerId, vendorCostLines.partnerId),
  eq(vendorDeliveries.id, vendorCostLines.deliveryId),
);

type LineRow = typeof vendorCostLines.$inferSelect & {
  form: CostLine['form'];
  period: string | null;
  kind: 'billed' | 'estimate';
  deliveryVersion: number;
};

function present(row: LineRow): CostLineView {
  const amount = (value: string | null) => amountText(value, row.currency);
  return {
    form: row.form,
    invoiceNumber: row.invoiceNumber,
    period: row.period ?? '',
    sourceName: row.sourceName ?? '',
    sourceLine: row.sourceLine,
    customerTenantId: row.customerTenantId,
    customerName: row.customerName,
    customerCountry: row.customerCountry,
    resellerMpnId: row.resellerMpnId,
    subscriptionId: row.subscriptionId,
    entitlementId: row.entitlementId,
    orderId: row.orderId,
    productId: row.productId,
    skuId: row.skuId,
    availabilityId: row.availabilityId,
    productName: row.productName,
    skuName: row.skuName,
    meterId: row.meterId,
    meterName: row.meterName,
    meterCategory: row.meterCategory,
    serviceFamily: row.serviceFamily,
    chargeType: row.chargeType,
    referenceId: row.referenceId,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    chargeStart: row.chargeStart,
    chargeEnd: row.chargeEnd,
    usageDate: row.usageDate,
    // Quantities and unit prices keep Microsoft's own digits; amounts show at least the minor unit.
    quantity: row.quantity,
    unitPrice: row.unitPrice,
    effectiveUnitPrice: row.effectiveUnitPrice,
    subtotal: amount(row.subtotal),
    tax: amount(row.tax),
    cost: amount(row.cost)!,
    currency: row.currency,
    pricingCurrency: row.pricingCurrency,
    pricingTotal: row.pricingTotal,
    exchangeRate: row.exchangeRate,
    creditType: row.creditType,
    isReservation: row.isReservation,
    extra: row.extra,
    deliveryId: row.deliveryId,
    lineNumber: row.lineNumber,
    importId: row.importId,
    customerId: row.customerId,
    deliveryVersion: row.deliveryVersion,
    kind: row.kind,
  };
}

export async function costLinePage(
  db: Queryable,
  partnerId: string,
  query: CostLineQuery,
): Promise<CostLinePage> {
  const limit = query.limit ?? 100;
  const where = matching(partnerId, query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const page = (
    await db
      .select()
      .from(vendorCostLines)
      .innerJoin(vendorDeliveries, joinDelivery)
      .where(
        after === undefined
          ? where
          : and(
              where,
              sql`(${vendorCostLines.deliveryId}, ${vendorCostLines.lineNumber}) > (${after.deliveryId}::uuid, ${after.lineNumber})`,
            ),
      )
      .orderBy(asc(vendorCostLines.deliveryId), asc(vendorCostLines.lineNumber))
      .limit(limit + 1)
  ).map(({ vendor_cost_lines: line, vendor_deliveries: delivery }) => ({
    ...line,
    form: delivery.form,
    period: delivery.period,
    kind: delivery.kind,
    deliveryVersion: delivery.version,
  }));
  const totals = await db
    .select({
      currency: vendorCostLines.currency,
      cost: sql<string>`sum(${vendorCostLines.cost})::text`,
      lines: sql<number>`count(*)::int`,
    })
    .from(vendorCostLines)
    .innerJoin(vendorDeliveries, joinDelivery)
    .where(where)
    .groupBy(vendorCostLines.currency)
    .orderBy(asc(vendorCostLines.currency));
  const items = page.slice(0, limit).map(present);
  return {
    items,
    totals: totals.map((total) => ({
      currency: total.currency,
      cost: amountText(total.cost, total.currency)!,
      lines: total.lines,
    })),
    nextCursor: page.length > limit ? encodeCursor(items.at(-1)!) : null,
  };
}

export async function listCostLines(
  app: AppContext,
  caller: Caller,
  query: CostLineQuery,
): Promise<CostLinePage> {
  const actor = requirePermission(caller, 'costs.manage');
  const period = query.period === undefined ? undefined : parsePeriod(query.period);
  return costLinePage(app.database.db, actor.partnerId, { ...query, period });
}

export interface UnknownCustomer {
  customerTenantId: string | null;
  customerName: string | null;
  lines: number;
  /** The cost of record and estimates; the daily usage detail behind billed lines is not added again. */
  costByCurrency: { currency: string; cost: string }[];
  /** `yyyy-mm`. */
  lastPeriod: string | null;
}

/**
 * Lines whose customer tenant is not known here, grouped by tenant: kept, never dropped, until the
 * customer is added (or synced) and matched.
 */
export async function unknownCustomers(db: Queryable, partnerId: string): Promise<UnknownCustomer[]> {
  const rows = await selectRows<{
    customerTenantId: string | null;
    customerName: string | null;
    currency: string;
    lines: number;
    cost: string | null;
    lastPeriod: string | null;
  }>(
    db,
    sql`select l.customer_tenant_id as "customerTenantId", max(l.customer_name) as "customerName",
               l.currency as "currency", count(*)::int as "lines",
               (sum(l.cost) filter (where d.kind = 'estimate' or ${costOfRecord('d')}))::text as "cost",
               to_char(max(d.period), 'YYYY-MM') as "lastPeriod"
          from vendor_cost_lines l
          join vendor_deliveries d on d.partner_id = l.partner_id and d.id = l.delivery_id
         where l.partner_id = ${partnerId} and d.status = 'current' and l.customer_id is null
         group by l.customer_tenant_id, l.currency
         order by l.customer_tenant_id nulls last, l.currency`,
  );
  const byTenant = new Map<string | null, UnknownCustomer>();
  for (const row of rows) {
    const entry = byTenant.get(row.customerTenantId) ?? {
      customerTenantId: row.customerTenantId,
      customerName: row.customerName,
      lines: 0,
      costByCurrency: [],
      lastPeriod: null,
    };
    entry.lines += row.lines;
    if (row.cost !== null)
      entry.costByCurrency.push({ currency: row.currency, cost: amountText(row.cost, row.currency)! });
    if (entry.lastPeriod === null || (row.lastPeriod !== null && row.lastPeriod > entry.lastPeriod)) {
      entry.lastPeriod = row.lastPeriod;
    }
    entry.customerName ??= row.customerName;
    byTenant.set(row.customerTenantId, entry);
  }
  return [...byTenant.values()];
}

export async function listUnknownCustomers(app: AppContext, caller: Caller): Promise<UnknownCustomer[]> {
  const actor = requirePermission(caller, 'costs.manage');
  return unknownCustomers(app.database.db, actor.partnerId);
}
