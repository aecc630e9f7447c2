import { and, asc, eq, ilike, inArray, isNotNull, isNull, not, or, type SQL, sql } from 'drizzle-orm';
import { byTenantKey, type Queryable, type Scope, scoped, type Tx } from '#platform/db';
import { contacts, customers } from './schema.ts';

export type Customer = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;
export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;

/** The customers table is its own customer: a customer user's scope narrows it to their row. */
const customerScope = { partnerId: customers.partnerId, customerId: customers.id };

export async function customerById(db: Queryable, scope: Scope, id: string): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(scoped(customerScope, scope, eq(customers.id, id)));
  return row;
}

export async function customerForUpdate(tx: Tx, scope: Scope, id: string): Promise<Customer | undefined> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(scoped(customerScope, scope, eq(customers.id, id)))
    .for('update');
  return row;
}

/** Another customer of the partner with the same domain, ignoring case. */
export async function customerWithDomain(
  db: Queryable,
  scope: Scope,
  domain: string,
  exceptId?: string,
): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(
      scoped(
        customerScope,
        scope,
        sql`lower(${customers.domain}) = ${domain.toLowerCase()}`,
        exceptId === undefined ? undefined : sql`${customers.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export interface CustomerPage {
  /** Name or domain contains this, ignoring case. */
  search?: string | undefined;
  status?: Customer['status'] | undefined;
  cloud?: Customer['cloudInstance'] | undefined;
  /** Only customers Partner Center no longer lists (true) or only the others (false). */
  removedUpstream?: boolean | undefined;
  /** Queries selecting ids of customers to keep (registered filters); all must match. */
  idFilters?: SQL[] | undefined;
  /** The last row of the previous page. */
  after?: { name: string; id: string } | undefined;
  limit: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Customers by name, then id: a stable order for cursor pages. */
export async function customerPage(db: Queryable, scope: Scope, page: CustomerPage): Promise<Customer[]> {
  const pattern = page.search ? `%${escapeLike(page.search)}%` : undefined;
  const conditions: (SQL | undefined)[] = [
    pattern ? or(ilike(customers.name, pattern), ilike(customers.domain, pattern)) : undefined,
    page.status ? eq(customers.status, page.status) : undefined,
    page.cloud ? eq(customers.cloudInstance, page.cloud) : undefined,
    page.removedUpstream === undefined
      ? undefined
      : page.removedUpstream
        ? isNotNull(customers.upstreamRemovedAt)
        : isNull(customers.upstreamRemovedAt),
    ...(page.idFilters ?? []).map((ids) => sql`${customers.id} in (${ids})`),
    page.after
      ? sql`(${customers.name}, ${customers.id}) > (${page.after.name}, ${page.after.id})`
      : undefined,
  ];
  return db
    .select()
    .from(customers)
    .where(scoped(customerScope, scope, and(...conditions)))
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(page.limit);
}

/**
 * The customers a partner's Partner Center connection mirrors: its own, and — for an indirect provider —
 * its resellers' customers that transact through it (rows of other partners whose `provider_id` is
 * this partner). The provider's tenant lists those customers and carries the commerce relationship;
 * the reseller owns the customer. This is the one reach across partners; every other query is scoped.
 */
function mirroredByConnectionOf(partnerId: string): SQL {
  return or(eq(customers.partnerId, partnerId), eq(customers.providerId, partnerId))!;
}

/**
 * The row an upstream customer lands on: by tenant id first, then by domain — only a row typed in here
 * (no tenant yet) in the same cloud instance, never one already linked to another tenant; own rows
 * before a reseller's.
 */
export async function mirrorTargetForUpdate(
  tx: Tx,
  partnerId: string,
  cloud: Customer['cloudInstance'],
  tenantId: string,
  domain: string | undefined,
): Promise<Customer | undefined> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(
      and(
        mirroredByConnectionOf(partnerId),
        or(
          eq(customers.tenantId, tenantId),
          domain === undefined
            ? undefined
            : and(
                sql`lower(${customers.domain}) = ${domain.toLowerCase()}`,
                isNull(customers.tenantId),
                eq(customers.cloudInstance, cloud),
              ),
        ),
      ),
    )
    .orderBy(
      sql`(${customers.tenantId} = ${tenantId}) is not true`,
      sql`${customers.partnerId} <> ${partnerId}`,
    )
    .limit(1)
    .for('update');
  return row;
}

/** Tenant ids of the connection's customers that a sync has stored. */
export async function mirroredTenantIds(db: Queryable, partnerId: string): Promise<Set<string>> {
  const rows = await db
    .select({ tenantId: customers.tenantId })
    .from(customers)
    .where(
      and(mirroredByConnectionOf(partnerId), isNotNull(customers.syncedAt), isNotNull(customers.tenantId)),
    );
  return new Set(rows.map((row) => row.tenantId!));
}

/** Mirrored customers of one cloud that are not in `seenTenantIds` and not yet marked, locked. */
export function mirroredCustomersNotSeen(
  tx: Tx,
  partnerId: string,
  cloud: Customer['cloudInstance'],
  seenTenantIds: readonly string[],
): Promise<Customer[]> {
  return tx
    .select()
    .from(customers)
    .where(
      and(
        mirroredByConnectionOf(partnerId),
        eq(customers.cloudInstance, cloud),
        isNotNull(customers.syncedAt),
        isNull(customers.upstreamRemovedAt),
        seenTenantIds.length === 0 ? undefined : not(inArray(customers.tenantId, [...seenTenantIds])),
      ),
    )
    .for('update');
}

export async function insertCustomer(tx: Tx, values: NewCustomer): Promise<Customer> {
  const [row] = await tx.insert(customers).values(values).returning();
  return row!;
}

export async function updateCustomerRow(
  tx: Tx,
  customer: Customer,
  values: Partial<NewCustomer>,
): Promise<Customer> {
  const [row] = await tx.update(customers).set(values).where(byTenantKey(customers, customer)).returning();
  return row!;
}

export async function contactsOf(db: Queryable, scope: Scope, customerId: string): Promise<Contact[]> {
  return db
    .select()
    .from(contacts)
    .where(scoped(contacts, scope, eq(contacts.customerId, customerId)))
    .orderBy(asc(contacts.name), asc(contacts.id));
}

export async function contactForUpdate(
  tx: Tx,
  scope: Scope,
  customerId: string,
  id: string,
): Promise<Contact | undefined> {
  const [row] = await tx
    .select()
    .from(contacts)
    .where(scoped(contacts, scope, eq(contacts.customerId, customerId), eq(contacts.id, id)))
    .for('update');
  return row;
}

export async function insertContact(tx: Tx, values: NewContact): Promise<Contact> {
  const [row] = await tx.insert(contacts).values(values).returning();
  return row!;
}

export async function updateContactRow(
  tx: Tx,
  contact: Contact,
  values: Partial<NewContact>,
): Promise<Contact> {
  const [row] = await tx.update(contacts).set(values).where(byTenantKey(contacts, contact)).returning();
  return row!;
}

export async function deleteContactRow(tx: Tx, contact: Contact): Promise<void> {
  await tx.delete(contacts).where(byTenantKey(contacts, contact));
}
