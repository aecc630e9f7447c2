import { sql } from 'drizzle-orm';
import { type Queryable, selectRows } from '#platform/db';

/**
 * Which local customer a Microsoft tenant is, for one partner: loaded once per import (a map, never
 * a query per line). Tenant ids are compared in lower case, as Microsoft writes them either way.
 */
export interface CustomerMatcher {
  /** The local customer's id, or null when the tenant is not known here (the line is kept and listed). */
  match(tenantId: string | null, customerName: string | null): string | null;
  /** Tenants met without a local customer, with the name Microsoft gave and how many lines. */
  unknown(): UnknownCustomer[];
  unknownLines(): number;
}

export interface UnknownCustomer {
  customerTenantId: string | null;
  customerName: string | null;
  lines: number;
}

export async function loadCustomerMatcher(db: Queryable, partnerId: string): Promise<CustomerMatcher> {
  // The customers module keeps this table; it exports no lookup by tenant id yet (asked of the lead).
  const rows = await selectRows<{ id: string; tenant_id: string }>(
    db,
    sql`SELECT id, tenant_id::text AS tenant_id FROM customers
        WHERE partner_id = ${partnerId} AND tenant_id IS NOT NULL`,
  );
  const known = new Map(rows.map((row) => [row.tenant_id.toLowerCase(), row.id]));
  const unknown = new Map<string, UnknownCustomer>();
  let unknownLines = 0;
  return {
    match(tenantId, customerName) {
      const key = tenantId?.toLowerCase() ?? '';
      const id = known.get(key);
      if (id !== undefined) return id;
      unknownLines += 1;
      const seen = unknown.get(key);
      if (seen) seen.lines += 1;
      else unknown.set(key, { customerTenantId: tenantId, customerName, lines: 1 });
      return null;
    },
    unknown: () => [...unknown.values()],
    unknownLines: () => unknownLines,
  };
}
