import { and, eq, type SQL } from 'drizzle-orm';
import { type PgColumn, primaryKey, uuid } from 'drizzle-orm/pg-core';

/**
 * Every tenant-owned table starts with these two columns and is keyed by both, so that foreign keys
 * carry the partner too and the database itself refuses a row pointing into another partner.
 */
export function tenantColumns() {
  return {
    partnerId: uuid('partner_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
  };
}

export function tenantPrimaryKey(table: { partnerId: PgColumn; id: PgColumn }) {
  return primaryKey({ columns: [table.partnerId, table.id] });
}

/** The part of an actor a query is narrowed by. */
export interface Scope {
  partnerId: string;
  /** Customer users only see their own customer's rows. */
  customerId?: string | undefined;
}

interface ScopableTable {
  partnerId: PgColumn;
  customerId?: PgColumn;
}

/**
 * The where-condition that keeps a query inside the actor's partner, and inside its customer when the
 * actor is a customer user and the table belongs to customers. A row outside it is simply not found.
 */
export function scoped(table: ScopableTable, scope: Scope, ...conditions: (SQL | undefined)[]): SQL {
  const parts: (SQL | undefined)[] = [eq(table.partnerId, scope.partnerId)];
  if (scope.customerId !== undefined) {
    if (!table.customerId) {
      throw new Error('A customer-scoped actor cannot query a table that does not belong to customers');
    }
    parts.push(eq(table.customerId, scope.customerId));
  }
  return and(...parts, ...conditions) as SQL;
}

/** The one row of a tenant table with this key: `(partner_id, id)`. */
export function byTenantKey(
  table: { partnerId: PgColumn; id: PgColumn },
  key: { partnerId: string; id: string },
): SQL {
  return and(eq(table.partnerId, key.partnerId), eq(table.id, key.id)) as SQL;
}
