import { and, desc, eq, inArray, isNull, notInArray, type SQL, sql } from 'drizzle-orm';
import { byTenantKey, type Queryable, type Scope, scoped, type Tx } from '#platform/db';
import { notFound } from '#platform/errors';
import { partnerCenterSyncs, subscriptionAccessChanges, subscriptions } from './schema.ts';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type NewSubscriptionRow = typeof subscriptions.$inferInsert;
export type AccessChangeRow = typeof subscriptionAccessChanges.$inferSelect;
export type SyncRun = typeof partnerCenterSyncs.$inferSelect;
export type NewSyncRun = typeof partnerCenterSyncs.$inferInsert;
export type SyncCloud = SyncRun['cloud'];
export type SyncKind = SyncRun['kind'];

/** One subscription of the partner, by our id; another partner's is not found. */
export async function getSubscriptionRow(
  db: Queryable,
  partnerId: string,
  subscriptionId: string,
): Promise<SubscriptionRow> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(scoped(subscriptions, { partnerId }, eq(subscriptions.id, subscriptionId)));
  if (!row) throw notFound('Subscription');
  return row;
}

/** The row mirroring Partner Center's subscription `microsoftId` (ids compared ignoring case), locked. */
export async function subscriptionByMicrosoftIdForUpdate(
  tx: Tx,
  partnerId: string,
  microsoftId: string,
): Promise<SubscriptionRow | undefined> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(
      scoped(
        subscriptions,
        { partnerId },
        sql`lower(${subscriptions.microsoftId}) = ${microsoftId.toLowerCase()}`,
      ),
    )
    .for('update');
  return row;
}

/** A customer's subscriptions in `scope` (a customer user's scope narrows them to their own customer). */
export function subscriptionsOfCustomer(
  db: Queryable,
  scope: Scope,
  customerId: string,
): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(subscriptions)
    .where(scoped(subscriptions, scope, eq(subscriptions.customerId, customerId)))
    .orderBy(subscriptions.offerName, subscriptions.id);
}

/** The latest access change of each of `subscriptionIds`. */
export async function latestAccessChanges(
  db: Queryable,
  partnerId: string,
  subscriptionIds: readonly string[],
): Promise<Map<string, AccessChangeRow>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([subscriptionAccessChanges.subscriptionId])
    .from(subscriptionAccessChanges)
    .where(
      scoped(
        subscriptionAccessChanges,
        { partnerId },
        inArray(subscriptionAccessChanges.subscriptionId, [...subscriptionIds]),
      ),
    )
    .orderBy(
      subscriptionAccessChanges.subscriptionId,
      desc(subscriptionAccessChanges.createdAt),
      desc(subscriptionAccessChanges.id),
    );
  return new Map(rows.map((row) => [row.subscriptionId, row]));
}

export async function insertSubscription(tx: Tx, values: NewSubscriptionRow): Promise<SubscriptionRow> {
  const [row] = await tx.insert(subscriptions).values(values).returning();
  return row!;
}

export async function updateSubscriptionRow(
  tx: Tx,
  row: SubscriptionRow,
  values: Partial<NewSubscriptionRow>,
): Promise<SubscriptionRow> {
  const [updated] = await tx
    .update(subscriptions)
    .set(values)
    .where(byTenantKey(subscriptions, row))
    .returning();
  return updated!;
}

/**
 * A customer's mirrored subscriptions that Partner Center no longer lists (`seenMicrosoftIds` is what
 * it listed), not yet marked, locked for the caller to mark.
 */
export function subscriptionsGoneUpstream(
  tx: Tx,
  partnerId: string,
  customerId: string,
  seenMicrosoftIds: readonly string[],
): Promise<SubscriptionRow[]> {
  const seen = seenMicrosoftIds.map((id) => id.toLowerCase());
  return tx
    .select()
    .from(subscriptions)
    .where(
      scoped(
        subscriptions,
        { partnerId },
        eq(subscriptions.customerId, customerId),
        isNull(subscriptions.upstreamRemovedAt),
        seen.length === 0 ? undefined : notInArray(sql`lower(${subscriptions.microsoftId})`, seen),
      ),
    )
    .for('update');
}

// --- sync runs ---

export async function syncRunById(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<SyncRun | undefined> {
  const [row] = await db
    .select()
    .from(partnerCenterSyncs)
    .where(scoped(partnerCenterSyncs, { partnerId }, eq(partnerCenterSyncs.id, id)));
  return row;
}

export async function runningSync(
  db: Queryable,
  partnerId: string,
  cloud: SyncCloud,
): Promise<SyncRun | undefined> {
  const [row] = await db
    .select()
    .from(partnerCenterSyncs)
    .where(
      scoped(
        partnerCenterSyncs,
        { partnerId },
        eq(partnerCenterSyncs.cloud, cloud),
        eq(partnerCenterSyncs.status, 'running'),
      ),
    );
  return row;
}

/** The connection's runs, latest first, optionally only those matching `where`. */
export function syncRuns(
  db: Queryable,
  partnerId: string,
  options: { cloud?: SyncCloud | undefined; limit: number; where?: SQL | undefined },
): Promise<SyncRun[]> {
  return db
    .select()
    .from(partnerCenterSyncs)
    .where(
      scoped(
        partnerCenterSyncs,
        { partnerId },
        options.cloud === undefined ? undefined : eq(partnerCenterSyncs.cloud, options.cloud),
        options.where,
      ),
    )
    .orderBy(desc(partnerCenterSyncs.startedAt), desc(partnerCenterSyncs.id))
    .limit(options.limit);
}

/** The latest run that succeeded, of `kind` if given. */
export async function lastSucceededSync(
  db: Queryable,
  partnerId: string,
  cloud: SyncCloud,
  kind?: SyncKind,
): Promise<SyncRun | undefined> {
  const [row] = await syncRuns(db, partnerId, {
    cloud,
    limit: 1,
    where: and(
      eq(partnerCenterSyncs.status, 'succeeded'),
      kind === undefined ? undefined : eq(partnerCenterSyncs.kind, kind),
    ),
  });
  return row;
}

export async function insertSyncRun(tx: Tx, values: NewSyncRun): Promise<SyncRun> {
  const [row] = await tx.insert(partnerCenterSyncs).values(values).returning();
  return row!;
}

export async function updateSyncRun(
  db: Queryable,
  run: SyncRun,
  values: Partial<NewSyncRun>,
): Promise<SyncRun> {
  const [row] = await db
    .update(partnerCenterSyncs)
    .set(values)
    .where(byTenantKey(partnerCenterSyncs, run))
    .returning();
  return row!;
}
