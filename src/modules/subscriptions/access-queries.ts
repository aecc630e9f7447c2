import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { byTenantKey, type Queryable, scoped, type Tx } from '#platform/db';
import type { AccessChangeRow, SubscriptionRow } from './queries.ts';
import { subscriptionAccessChanges as changes, subscriptions } from './schema.ts';

type NewAccessChange = typeof changes.$inferInsert;
export type AccessChangeStatus = AccessChangeRow['status'];

/** Not settled yet: waiting for a provider, for its first attempt, or for its next one. */
export const openStatuses: readonly AccessChangeStatus[] = ['requested', 'pending', 'waiting'];

/** A customer's subscriptions, locked: two requests for the same subscriptions queue behind each other. */
export function customerSubscriptionsForUpdate(
  tx: Tx,
  partnerId: string,
  customerId: string,
): Promise<SubscriptionRow[]> {
  return tx
    .select()
    .from(subscriptions)
    .where(scoped(subscriptions, { partnerId }, eq(subscriptions.customerId, customerId)))
    .orderBy(subscriptions.offerName, subscriptions.id)
    .for('update');
}

export function openChangesOf(
  tx: Tx,
  partnerId: string,
  subscriptionIds: readonly string[],
): Promise<AccessChangeRow[]> {
  if (subscriptionIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(changes)
    .where(
      scoped(
        changes,
        { partnerId },
        inArray(changes.subscriptionId, [...subscriptionIds]),
        inArray(changes.status, [...openStatuses]),
      ),
    );
}

export function insertChanges(tx: Tx, values: NewAccessChange[]): Promise<AccessChangeRow[]> {
  if (values.length === 0) return Promise.resolve([]);
  return tx.insert(changes).values(values).returning();
}

export async function changeById(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<AccessChangeRow | undefined> {
  const [row] = await db
    .select()
    .from(changes)
    .where(scoped(changes, { partnerId }, eq(changes.id, id)));
  return row;
}

export async function updateChange(
  db: Queryable,
  row: Pick<AccessChangeRow, 'partnerId' | 'id'>,
  values: Partial<NewAccessChange>,
): Promise<AccessChangeRow> {
  const [updated] = await db.update(changes).set(values).where(byTenantKey(changes, row)).returning();
  return updated!;
}

/**
 * Takes a change for one attempt, in one statement so two workers never both take it: its creator
 * takes a fresh one (pending, never tried); anyone takes one that is due. Taking it counts the
 * attempt and leases it until `leaseUntil`, after which a crashed attempt is picked up again.
 */
export async function claimChange(
  db: Queryable,
  row: Pick<AccessChangeRow, 'partnerId' | 'id'>,
  now: Date,
  leaseUntil: Date,
  correlationId: string,
): Promise<AccessChangeRow | undefined> {
  const [claimed] = await db
    .update(changes)
    .set({
      attempts: sql`${changes.attempts} + 1`,
      nextAttemptAt: leaseUntil,
      correlationId: sql`coalesce(${changes.correlationId}, ${correlationId})`,
      updatedAt: now,
    })
    .where(
      and(
        eq(changes.partnerId, row.partnerId),
        eq(changes.id, row.id),
        or(
          and(eq(changes.status, 'pending'), eq(changes.attempts, 0)),
          and(inArray(changes.status, ['pending', 'waiting']), lte(changes.nextAttemptAt, now)),
        ),
      ),
    )
    .returning();
  return claimed;
}

/** A customer's changes, newest first; one batch's when `batchId` is given. */
export function changesOfCustomer(
  db: Queryable,
  partnerId: string,
  customerId: string,
  batchId: string | undefined,
  limit: number,
): Promise<AccessChangeRow[]> {
  return db
    .select()
    .from(changes)
    .where(
      scoped(
        changes,
        { partnerId },
        eq(changes.customerId, customerId),
        batchId === undefined ? undefined : eq(changes.batchId, batchId),
      ),
    )
    .orderBy(desc(changes.createdAt), asc(changes.id))
    .limit(limit);
}

export function changesOfBatch(
  db: Queryable,
  partnerId: string,
  batchId: string,
): Promise<AccessChangeRow[]> {
  return db
    .select()
    .from(changes)
    .where(scoped(changes, { partnerId }, eq(changes.batchId, batchId)))
    .orderBy(asc(changes.createdAt), asc(changes.id));
}

/**
 * Changes due for an attempt, of every partner: the schedule works for the whole installation, and
 * each change is then carried out inside its own partner.
 */
export function dueChanges(db: Queryable, now: Date, limit: number): Promise<AccessChangeRow[]> {
  return db
    .select()
    .from(changes)
    .where(and(inArray(changes.status, ['pending', 'waiting']), lte(changes.nextAttemptAt, now)))
    .orderBy(asc(changes.nextAttemptAt), asc(changes.id))
    .limit(limit);
}

// --- a reseller's requests, seen by its provider ---
// The one path across partners: rows stay the reseller's, and are found by `provider_id` = the
// caller's own partner, never by the reseller's id.

export interface ResellerRequestRow {
  change: AccessChangeRow;
  subscription: Pick<SubscriptionRow, 'friendlyName' | 'offerName' | 'serviceFamily'>;
}

export async function resellerRequests(
  db: Queryable,
  providerId: string,
  status: AccessChangeStatus | undefined,
  limit: number,
): Promise<ResellerRequestRow[]> {
  return db
    .select({
      change: changes,
      subscription: {
        friendlyName: subscriptions.friendlyName,
        offerName: subscriptions.offerName,
        serviceFamily: subscriptions.serviceFamily,
      },
    })
    .from(changes)
    .innerJoin(
      subscriptions,
      and(eq(subscriptions.partnerId, changes.partnerId), eq(subscriptions.id, changes.subscriptionId)),
    )
    .where(
      and(eq(changes.providerId, providerId), status === undefined ? undefined : eq(changes.status, status)),
    )
    .orderBy(desc(changes.createdAt), asc(changes.id))
    .limit(limit);
}

export async function resellerRequestForUpdate(
  tx: Tx,
  providerId: string,
  id: string,
): Promise<AccessChangeRow | undefined> {
  const [row] = await tx
    .select()
    .from(changes)
    .where(and(eq(changes.providerId, providerId), eq(changes.id, id)))
    .for('update');
  return row;
}
