import { and, asc, eq, isNull, sql } from 'drizzle-orm';
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

/** Staff of a partner (`customerId` null) or users of one customer. */
export async function listUsers(
  db: Queryable,
  partnerId: string,
  customerId: string | null,
): Promise<User[]> {
  return db
    .select()
    .from(users)
    .where(
      and(
        eq(users.partnerId, partnerId),
        customerId === null ? isNull(users.customerId) : eq(users.customerId, customerId),
      ),
    )
    .orderBy(asc(users.name));
}
