import { asc, eq, inArray } from 'drizzle-orm';
import type { Queryable, Tx } from '#platform/db';
import { partnerProviders, partners } from './schema.ts';

export type Partner = typeof partners.$inferSelect;
export type NewPartner = typeof partners.$inferInsert;

/** The partner row itself is the tenant: it is looked up by its own id. */
export async function partnerById(db: Queryable, id: string): Promise<Partner | undefined> {
  const [row] = await db.select().from(partners).where(eq(partners.id, id));
  return row;
}

/** The row, locked until the transaction ends, so concurrent edits see each other's changes. */
export async function partnerForUpdate(tx: Tx, id: string): Promise<Partner | undefined> {
  const [row] = await tx.select().from(partners).where(eq(partners.id, id)).for('update');
  return row;
}

export async function partnerBySlug(db: Queryable, slug: string): Promise<Partner | undefined> {
  const [row] = await db.select().from(partners).where(eq(partners.slug, slug));
  return row;
}

export async function partnersBySlugs(db: Queryable, slugs: readonly string[]): Promise<Partner[]> {
  if (slugs.length === 0) return [];
  return db
    .select()
    .from(partners)
    .where(inArray(partners.slug, [...slugs]));
}

export async function allPartners(db: Queryable): Promise<Partner[]> {
  return db.select().from(partners).orderBy(asc(partners.slug));
}

/** The providers a reseller transacts through. */
export async function providersOf(db: Queryable, partnerId: string): Promise<Partner[]> {
  const rows = await db
    .select({ provider: partners })
    .from(partnerProviders)
    .innerJoin(partners, eq(partners.id, partnerProviders.providerId))
    .where(eq(partnerProviders.partnerId, partnerId))
    .orderBy(asc(partners.slug));
  return rows.map((row) => row.provider);
}

export async function insertPartner(
  tx: Tx,
  values: NewPartner,
  providerIds: readonly string[],
): Promise<Partner> {
  const [row] = await tx.insert(partners).values(values).returning();
  if (providerIds.length > 0) {
    await tx
      .insert(partnerProviders)
      .values(providerIds.map((providerId) => ({ partnerId: row!.id, providerId })));
  }
  return row!;
}

export async function updatePartner(tx: Tx, id: string, values: Partial<NewPartner>): Promise<Partner> {
  const [row] = await tx.update(partners).set(values).where(eq(partners.id, id)).returning();
  return row!;
}
