import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable, Scope } from '#platform/db';
import { notFound } from '#platform/errors';
import { users } from './schema.ts';

export type User = typeof users.$inferSelect;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The one lookup that is not scoped by partner: sign-in and password reset start from an address,
 * which is unique in the installation, and learn the partner from the row.
 */
export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normaliseEmail(email)}`);
  return user;
}

export async function emailInUse(db: Queryable, email: string): Promise<boolean> {
  return (await findUserByEmail(db, email)) !== undefined;
}

/** A user inside the scope (a customer-scoped actor only reaches its own customer's users). */
export async function getUser(db: Queryable, scope: Scope, id: string): Promise<User> {
  const conditions = [eq(users.partnerId, scope.partnerId), eq(users.id, id)];
  if (scope.customerId !== undefined) conditions.push(eq(users.customerId, scope.customerId));
  const [user] = await db
    .select()
    .from(users)
    .where(and(...conditions));
  if (!user) throw notFound('User');
  return user;
}

export async function getUserById(db: Queryable, partnerId: string, id: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.partnerId, partnerId), eq(users.id, id)));
  return user;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The names of a partner's users by id, in one query (for a page of rows naming who did what). Ids of
 * another partner's users, of users since erased, and anything that is not a user id get no entry.
 */
export async function userNamesByIds(
  db: Queryable,
  partnerId: string,
  ids: Iterable<string>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter((id) => UUID.test(id));
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.partnerId, partnerId), inArray(users.id, wanted)));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export interface UserFilter {
  status?: User['status'] | undefined;
  /** Part of the name or e-mail address, any case. */
  q?: string | undefined;
}

/** Staff of a partner (`customerId` null) or users of one customer, by name. */
export async function listUsers(
  db: Queryable,
  partnerId: string,
  customerId: string | null,
  filter: UserFilter = {},
): Promise<User[]> {
  const conditions = [
    eq(users.partnerId, partnerId),
    customerId === null ? isNull(users.customerId) : eq(users.customerId, customerId),
  ];
  if (filter.status) conditions.push(eq(users.status, filter.status));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern))!);
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.name));
}

/** A partner's active staff holding one role, by e-mail: whom a module writes to about its work. */
export function listStaffWithRole(db: Queryable, partnerId: string, role: string): Promise<User[]> {
  return db
    .select()
    .from(users)
    .where(
      and(
        eq(users.partnerId, partnerId),
        isNull(users.customerId),
        eq(users.status, 'active'),
        sql`${role} = any(${users.roles})`,
      ),
    )
    .orderBy(asc(users.email));
}
