import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import Type from 'typebox';
import { recordAudit } from '#modules/audit';
import { getCustomer } from '#modules/customers';
import type { PartnerCenterClient, Subscription } from '#modules/partner-center';
import { getConnectionClient, getPartner, partnerStaff, requirePermission } from '#modules/partners';
import { actorKey, type Caller, systemActor } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, type Tx, withTransaction } from '#platform/db';
import { conflict, invalid, isDomainError, notFound } from '#platform/errors';
import { defineJob } from '#platform/jobs';
import {
  type AccessChangeStatus,
  changeById,
  changesOfBatch,
  changesOfCustomer,
  claimChange,
  customerSubscriptionsForUpdate,
  dueChanges,
  insertChanges,
  openChangesOf,
  type ResellerRequestRow,
  resellerRequestForUpdate,
  resellerRequests,
  updateChange,
} from './access-queries.ts';
import {
  type AccessAction,
  type AccessReason,
  ATTEMPT_LEASE_MS,
  accessActions,
  coveredByBatch,
  isStaleEtag,
  isSwitchable,
  type Outcome,
  outcomeOf,
  type Renewal,
  renewalOf,
  targetStatus,
  withRenewal,
} from './access-rules.ts';
import { applyUpstreamSubscription, type ServiceFamily } from './mirror.ts';
import {
  type AccessChangeRow,
  getSubscriptionRow,
  type SubscriptionRow,
  updateSubscriptionRow,
} from './queries.ts';
import { serviceFamilies } from './schema.ts';

/** A batch of more than one subscription is carried out by this job, with progress. */
export const accessChangeBatchJob = defineJob({
  name: 'subscriptions.access-change',
  version: 1,
  payload: Type.Object({ batchId: Type.String({ format: 'uuid' }) }),
  retryLimit: 3,
});

/** Every minute: changes whose next attempt is due (409s, outages, work a crash left behind). */
export const dueAccessChangesJob = defineJob({
  name: 'subscriptions.access-change-due',
  version: 1,
  payload: Type.Object({}),
  retryLimit: 0,
});

/** Changes carried out by a job act as the system; the request that asked is in the change row. */
const jobCaller: Caller = { actor: systemActor('subscriptions') };

/** Short waits only: a change Microsoft keeps throttling is deferred, not held in a request. */
const clientTuning = { timeoutMs: 30_000, maxWaitMs: 30_000 };

export interface AccessChangeRequest {
  customerId: string;
  action: AccessAction;
  /** One or more subscriptions, taken as asked (their real state is read before changing them). */
  subscriptionIds?: readonly string[] | undefined;
  /** All of a service family's subscriptions the action applies to; without either, all the customer's. */
  serviceFamily?: ServiceFamily | undefined;
  /** `collections` suspends as collections, and reactivates only what collections suspended. */
  reason?: AccessReason | undefined;
  /** The partner, for the system (collections' jobs); staff act inside their own. */
  partnerId?: string | undefined;
}

export interface AccessChangeBatch {
  batchId: string;
  /** The job carrying out a batch of more than one subscription; null when done in the request. */
  jobId: string | null;
  changes: AccessChangeRow[];
}

function actingPartner(caller: Caller, partnerId: string | undefined): string {
  if (caller.actor.kind === 'system') {
    if (partnerId === undefined) throw new Error('The system asks for an access change of a named partner');
    return partnerId;
  }
  const actor = requirePermission(caller, 'subscriptions.suspend');
  partnerStaff(caller, 'Customer');
  if (partnerId !== undefined && partnerId !== actor.partnerId) throw notFound('Customer');
  return actor.partnerId;
}

function parseRequest(input: AccessChangeRequest) {
  if (!(accessActions as readonly string[]).includes(input.action)) {
    throw invalid('invalid-action', 'action must be suspend or reactivate', { field: 'action' });
  }
  if (input.subscriptionIds !== undefined && input.serviceFamily !== undefined) {
    throw invalid('subscriptions-or-family', 'Give subscriptionIds or serviceFamily, not both', {
      field: 'serviceFamily',
    });
  }
  if (input.subscriptionIds !== undefined && input.subscriptionIds.length === 0) {
    throw invalid('no-subscriptions', 'subscriptionIds names no subscription', { field: 'subscriptionIds' });
  }
  if (
    input.serviceFamily !== undefined &&
    !(serviceFamilies as readonly string[]).includes(input.serviceFamily)
  ) {
    throw invalid('invalid-service-family', `serviceFamily must be one of ${serviceFamilies.join(', ')}`, {
      field: 'serviceFamily',
    });
  }
  return { ...input, reason: input.reason ?? 'staff' };
}

/** The subscriptions a request covers: those named (each must be switchable), or a batch's. */
function selectTargets(
  all: readonly SubscriptionRow[],
  request: ReturnType<typeof parseRequest>,
): SubscriptionRow[] {
  if (request.subscriptionIds === undefined) {
    return all.filter(
      (row) =>
        row.upstreamRemovedAt === null &&
        (request.serviceFamily === undefined || row.serviceFamily === request.serviceFamily) &&
        coveredByBatch(row, request.action, request.reason),
    );
  }
  const byId = new Map(all.map((row) => [row.id, row]));
  return [...new Set(request.subscriptionIds)].map((id) => {
    const row = byId.get(id);
    if (!row) throw notFound('Subscription');
    if (row.upstreamRemovedAt !== null || !isSwitchable(row.status)) {
      throw invalid(
        'not-switchable',
        `Subscription ${row.friendlyName} is ${row.upstreamRemovedAt ? 'no longer in Partner Center' : row.status}: it cannot be suspended or reactivated`,
        { field: 'subscriptionIds' },
      );
    }
    return row;
  });
}

/**
 * Asks for a suspension or reactivation of one subscription, all of a customer's, or a service
 * family's. The changes and their audit events are written in one transaction (`requested` for the
 * provider when the partner is an indirect reseller, else `pending`); then one subscription is carried
 * out here, in the request, and a batch by the job. Asking again while a change of the same subscription
 * is still open returns that change.
 */
export async function requestAccessChange(
  app: AppContext,
  caller: Caller,
  input: AccessChangeRequest,
): Promise<AccessChangeBatch> {
  const partnerId = actingPartner(caller, input.partnerId);
  const request = parseRequest(input);
  const now = app.clock.now();
  const newBatchId = randomUUID();
  const { changes, jobId } = await withTransaction(app.database, async (tx) => {
    const customer = await getCustomer(tx, { partnerId }, request.customerId);
    const partner = await getPartner(tx, partnerId);
    let providerId: string | null = null;
    if (partner.kind === 'indirect_reseller') {
      if (customer.providerId === null) {
        throw invalid('no-provider', 'The customer names no provider to carry out the request', {
          field: 'customerId',
        });
      }
      providerId = customer.providerId;
    }
    const targets = selectTargets(await customerSubscriptionsForUpdate(tx, partnerId, customer.id), request);
    const open = new Map(
      (
        await openChangesOf(
          tx,
          partnerId,
          targets.map((row) => row.id),
        )
      ).map((row) => [row.subscriptionId, row]),
    );
    for (const row of targets) {
      const other = open.get(row.id);
      if (other && other.action !== request.action) {
        throw conflict(
          'access-change-open',
          `Subscription ${row.friendlyName} has a ${other.action} still ${other.status}: wait until it is settled`,
        );
      }
    }
    const inserted = await insertChanges(
      tx,
      targets
        .filter((row) => !open.has(row.id))
        .map((row) => ({
          partnerId,
          subscriptionId: row.id,
          customerId: customer.id,
          batchId: newBatchId,
          action: request.action,
          reason: request.reason,
          requestedBy: actorKey(caller.actor),
          providerId,
          status: providerId === null ? ('pending' as const) : ('requested' as const),
          // The request or job creating it carries it out; the schedule takes over only after this.
          nextAttemptAt: providerId === null ? new Date(now.getTime() + ATTEMPT_LEASE_MS) : null,
          createdAt: now,
          updatedAt: now,
        })),
    );
    for (const change of inserted) {
      await recordAudit(tx, caller, {
        partnerId,
        customerId: customer.id,
        action: `subscription.${change.action}_requested`,
        target: { type: 'subscription', id: change.subscriptionId },
        after: {
          accessChangeId: change.id,
          batchId: change.batchId,
          reason: change.reason,
          status: change.status,
          providerId: change.providerId,
        },
      });
    }
    const queued = targets.length > 1 && inserted.some((change) => change.status === 'pending');
    const jobId = queued
      ? await app.jobs.send(tx, accessChangeBatchJob, { batchId: newBatchId }, { partnerId })
      : null;
    const byId = new Map(inserted.map((change) => [change.subscriptionId, change]));
    return { changes: targets.map((row) => open.get(row.id) ?? byId.get(row.id)!), jobId };
  });
  const batchId = changes.some((change) => change.batchId === newBatchId)
    ? newBatchId
    : (changes[0]?.batchId ?? newBatchId);
  const [only] = changes;
  if (changes.length === 1 && only!.status === 'pending' && only!.attempts === 0) {
    return { batchId, jobId, changes: [await carryOut(app, only!, caller)] };
  }
  return { batchId, jobId, changes };
}

/** What stopped a change before Partner Center could refuse it. */
function failure(errorCode: string, errorMessage: string): Performed {
  return { outcome: { status: 'failed', errorCode, errorMessage } };
}

/**
 * Carries out one change, outside any transaction: GET the subscription, save what new commerce
 * drops before suspending, PATCH the whole subscription with `If-Match` (a stale etag is re-read and
 * retried once), re-read it and store it as the sync does; on reactivation put back the saved
 * auto-renew and scheduled changes with a second PATCH. Each step that writes is its own short
 * transaction with its audit event. A change already taken by another worker, or not due, is returned
 * as it stands. Repeating it is safe: the GET first sees what an earlier attempt already did.
 */
export async function carryOut(
  app: AppContext,
  change: AccessChangeRow,
  caller: Caller = jobCaller,
): Promise<AccessChangeRow> {
  const db = app.database.db;
  const now = app.clock.now();
  const claimed = await claimChange(
    db,
    change,
    now,
    new Date(now.getTime() + ATTEMPT_LEASE_MS),
    randomUUID(),
  );
  if (!claimed) return (await changeById(db, change.partnerId, change.id))!;
  let result: Performed;
  try {
    result = await perform(app, claimed, caller);
  } catch (error) {
    const outcome = outcomeOf(error, app.clock.now(), claimed.attempts);
    if (!outcome) throw error;
    result = { outcome };
  }
  return 'upstream' in result
    ? settleSucceeded(app, claimed, result.upstream, caller)
    : settleUnfinished(app, claimed, result.outcome, caller);
}

/** The subscription as Partner Center has it once the change is made, or why it is not (yet). */
type Performed = { upstream: Subscription } | { outcome: Outcome };

async function perform(app: AppContext, change: AccessChangeRow, caller: Caller): Promise<Performed> {
  const db = app.database.db;
  const row = await getSubscriptionRow(db, change.partnerId, change.subscriptionId);
  const customer = await getCustomer(db, { partnerId: change.partnerId }, change.customerId);
  if (customer.tenantId === null) {
    return failure('no-tenant', `The customer ${customer.name} has no Microsoft tenant id yet`);
  }
  const tenantId = customer.tenantId;
  let client: PartnerCenterClient;
  try {
    // A reseller's request is carried out through its provider's connection: only the provider
    // transacts with Microsoft.
    client = await getConnectionClient(app, change.providerId ?? change.partnerId, row.cloud, {
      caller,
      tuning: clientTuning,
    });
  } catch (error) {
    if (isDomainError(error) && error.kind === 'not_found') {
      return failure('no-connection', `There is no Partner Center connection for the ${row.cloud} cloud`);
    }
    throw error;
  }
  const call = { correlationId: change.correlationId ?? randomUUID() };
  const target = targetStatus(change.action);
  let read = await client.getSubscription(tenantId, row.microsoftId, call);
  if (read.status !== target && !isSwitchable(read.status)) {
    return failure('not-switchable', `Partner Center shows the subscription ${read.status}`);
  }
  let changed = false;
  if (read.status !== target) {
    if (change.action === 'suspend' && row.kind === 'new_commerce') {
      await saveRenewal(app, change, renewalOf(read), caller);
    }
    ({ read, changed } = await patchGuarded(client, tenantId, read, call, (current) =>
      current.status === target ? undefined : { ...current, status: target },
    ));
  }
  // What the suspension saved (read before this attempt: nothing else writes it meanwhile).
  const saved = change.action === 'reactivate' ? savedRenewal(row) : undefined;
  if (saved) {
    const restored = await patchGuarded(client, tenantId, read, call, (current) =>
      withRenewal(current, saved),
    );
    read = restored.read;
    changed ||= restored.changed;
  }
  // What a PATCH answers is not the whole story (Microsoft applies effects after it): read it again.
  return { upstream: changed ? await client.getSubscription(tenantId, row.microsoftId, call) : read };
}

/**
 * PATCHes `read` as `change` makes it (nothing when `change` says there is nothing to do); when the
 * etag is stale, re-reads once and tries once more. A second stale etag is reported to the caller.
 */
async function patchGuarded(
  client: PartnerCenterClient,
  tenantId: string,
  read: Subscription,
  call: { correlationId: string },
  change: (current: Subscription) => Subscription | undefined,
): Promise<{ read: Subscription; changed: boolean }> {
  const patch = async (current: Subscription) => {
    const wanted = change(current);
    if (!wanted) return { read: current, changed: false };
    // "*" (any version) only if Partner Center ever sends no etag: it always documents one.
    const ifMatch = current.etag ?? '*';
    return { read: await client.patchSubscription(tenantId, wanted, { ifMatch, ...call }), changed: true };
  };
  try {
    return await patch(read);
  } catch (error) {
    if (!isStaleEtag(error)) throw error;
    return patch(await client.getSubscription(tenantId, read.id, call));
  }
}

function savedRenewal(row: SubscriptionRow): Renewal | undefined {
  if (row.savedAutoRenew === null && row.savedScheduledChanges === null) return undefined;
  return { autoRenew: row.savedAutoRenew === true, scheduledChanges: row.savedScheduledChanges };
}

/** Before suspending a new-commerce subscription: what Microsoft will drop, kept in our row. */
async function saveRenewal(app: AppContext, change: AccessChangeRow, renewal: Renewal, caller: Caller) {
  const now = app.clock.now();
  await withTransaction(app.database, async (tx) => {
    const row = await getSubscriptionRow(tx, change.partnerId, change.subscriptionId);
    const before = { savedAutoRenew: row.savedAutoRenew, savedScheduledChanges: row.savedScheduledChanges };
    const after = { savedAutoRenew: renewal.autoRenew, savedScheduledChanges: renewal.scheduledChanges };
    if (isDeepStrictEqual(before, after)) return;
    await updateSubscriptionRow(tx, row, { ...after, updatedAt: now });
    await recordAudit(tx, caller, {
      partnerId: change.partnerId,
      customerId: change.customerId,
      action: 'subscription.renewal_saved',
      target: { type: 'subscription', id: row.id },
      before,
      after,
    });
  });
}

/** Done: the subscription stored as re-read, who suspended it (or the saved values cleared), audited. */
async function settleSucceeded(
  app: AppContext,
  change: AccessChangeRow,
  upstream: Subscription,
  caller: Caller,
): Promise<AccessChangeRow> {
  const now = app.clock.now();
  return withTransaction(app.database, async (tx) => {
    const before = await getSubscriptionRow(tx, change.partnerId, change.subscriptionId);
    const { row } = await applyUpstreamSubscription(
      tx,
      change.partnerId,
      change.customerId,
      before.cloud,
      upstream,
      {
        now,
        caller,
      },
    );
    const local =
      change.action === 'suspend'
        ? { suspendedBy: row.suspendedBy ?? change.reason, suspendedAt: row.suspendedAt ?? now }
        : { suspendedBy: null, suspendedAt: null, savedAutoRenew: null, savedScheduledChanges: null };
    const after = await updateSubscriptionRow(tx, row, { ...local, updatedAt: now });
    const settled = await updateChange(tx, change, {
      status: 'succeeded',
      nextAttemptAt: null,
      errorCode: null,
      errorMessage: null,
      completedAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId: change.partnerId,
      customerId: change.customerId,
      action: change.action === 'suspend' ? 'subscription.suspended' : 'subscription.reactivated',
      target: { type: 'subscription', id: change.subscriptionId },
      before: accessFacts(before),
      after: { ...accessFacts(after), accessChangeId: change.id },
    });
    return settled;
  });
}

function accessFacts(row: SubscriptionRow) {
  return {
    status: row.status,
    autoRenew: row.autoRenew,
    scheduledChanges: row.scheduledChanges,
    suspendedBy: row.suspendedBy,
    suspendedAt: row.suspendedAt,
    savedAutoRenew: row.savedAutoRenew,
    savedScheduledChanges: row.savedScheduledChanges,
  };
}

/** Deferred to `nextAttemptAt`, or failed with Microsoft's code and words; audited either way. */
async function settleUnfinished(
  app: AppContext,
  change: AccessChangeRow,
  outcome: Outcome,
  caller: Caller,
): Promise<AccessChangeRow> {
  const now = app.clock.now();
  return withTransaction(app.database, async (tx) => {
    const settled = await updateChange(tx, change, {
      status: outcome.status,
      nextAttemptAt: outcome.status === 'waiting' ? outcome.nextAttemptAt : null,
      errorCode: outcome.errorCode,
      errorMessage: outcome.errorMessage,
      completedAt: outcome.status === 'failed' ? now : null,
      updatedAt: now,
    });
    const row = await getSubscriptionRow(tx, change.partnerId, change.subscriptionId);
    // A suspension that did not happen leaves nothing saved to restore later.
    if (
      outcome.status === 'failed' &&
      change.action === 'suspend' &&
      row.status !== 'suspended' &&
      savedRenewal(row)
    ) {
      await updateSubscriptionRow(tx, row, {
        savedAutoRenew: null,
        savedScheduledChanges: null,
        updatedAt: now,
      });
    }
    await recordAudit(tx, caller, {
      partnerId: change.partnerId,
      customerId: change.customerId,
      action:
        outcome.status === 'waiting'
          ? 'subscription.access_change_deferred'
          : 'subscription.access_change_failed',
      target: { type: 'subscription', id: change.subscriptionId },
      before: { status: change.status },
      after: {
        accessChangeId: change.id,
        action: change.action,
        status: settled.status,
        attempts: settled.attempts,
        errorCode: settled.errorCode,
        errorMessage: settled.errorMessage,
        nextAttemptAt: settled.nextAttemptAt,
      },
    });
    return settled;
  });
}

/** The job's work: a batch's changes still to do, one by one, with progress. */
export async function carryOutBatch(
  app: AppContext,
  partnerId: string,
  batchId: string,
  progress: (done: number, total: number, message: string) => Promise<void>,
  signal?: AbortSignal,
): Promise<AccessChangeRow[]> {
  const changes = await changesOfBatch(app.database.db, partnerId, batchId);
  const settled: AccessChangeRow[] = [];
  for (const change of changes) {
    if (signal?.aborted) break;
    settled.push(change.status === 'pending' ? await carryOut(app, change) : change);
    const counts = new Map<string, number>();
    for (const { status } of settled) counts.set(status, (counts.get(status) ?? 0) + 1);
    const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
    await progress(settled.length, changes.length, summary);
  }
  return settled;
}

/** The schedule's work: changes whose next attempt is due, of every partner. Returns how many it tried. */
export async function carryOutDueAccessChanges(app: AppContext, limit = 100): Promise<number> {
  const due = await dueChanges(app.database.db, app.clock.now(), limit);
  for (const change of due) {
    // One change that fails for a reason of ours (not Microsoft's answer) must not hold up the others.
    await carryOut(app, change).catch((error: unknown) =>
      app.log.error({ err: error, change: change.id }, 'an access change could not be carried out'),
    );
  }
  return due.length;
}

function staffReader(caller: Caller, permission: string): string {
  const actor = requirePermission(caller, permission);
  partnerStaff(caller, 'Customer');
  return actor.partnerId;
}

/** A customer's access changes, newest first; one batch's when `batchId` is given. */
export async function listAccessChanges(
  app: AppContext,
  caller: Caller,
  customerId: string,
  options: { batchId?: string | undefined } = {},
): Promise<AccessChangeRow[]> {
  const partnerId = staffReader(caller, 'subscriptions.read');
  const customer = await getCustomer(app.database.db, { partnerId }, customerId);
  return changesOfCustomer(app.database.db, partnerId, customer.id, options.batchId, 500);
}

export interface ResellerRequest extends ResellerRequestRow {
  resellerName: string;
  customerName: string;
}

/**
 * A provider's view of what its resellers asked it to carry out: rows stay the resellers', found by
 * `provider_id` = the caller's partner (the one documented path across partners).
 */
export async function listResellerRequests(
  app: AppContext,
  caller: Caller,
  options: { status?: AccessChangeStatus | undefined } = {},
): Promise<ResellerRequest[]> {
  const providerId = staffReader(caller, 'subscriptions.suspend');
  const db = app.database.db;
  const rows = await resellerRequests(db, providerId, options.status, 500);
  const names = new Map<string, Promise<string>>();
  const nameOf = (key: string, look: () => Promise<string>) => {
    if (!names.has(key)) names.set(key, look());
    return names.get(key)!;
  };
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      resellerName: await nameOf(
        row.change.partnerId,
        async () => (await getPartner(db, row.change.partnerId)).displayName,
      ),
      customerName: await nameOf(`${row.change.partnerId}/${row.change.customerId}`, () =>
        resellerCustomerName(db, row.change),
      ),
    })),
  );
}

async function resellerCustomerName(db: Queryable, change: AccessChangeRow): Promise<string> {
  return (await getCustomer(db, { partnerId: change.partnerId }, change.customerId)).name;
}

/** The provider takes a reseller's request: its row becomes `pending`, audited, and is carried out now. */
export async function carryOutResellerRequest(
  app: AppContext,
  caller: Caller,
  id: string,
): Promise<AccessChangeRow> {
  const providerId = staffReader(caller, 'subscriptions.suspend');
  const now = app.clock.now();
  const accepted = await decideResellerRequest(app, providerId, id, async (tx, change) => {
    const row = await updateChange(tx, change, {
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + ATTEMPT_LEASE_MS),
      updatedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId: providerId,
      customerId: null,
      action: 'subscription.reseller_request_accepted',
      target: { type: 'subscription_access_change', id: change.id },
      before: { status: change.status },
      after: { status: row.status, resellerId: change.partnerId, action: change.action },
    });
    return row;
  });
  return accepted.status === 'pending' ? carryOut(app, accepted, caller) : accepted;
}

/** The provider declines a reseller's request, saying why; the reseller sees the reason on it. */
export async function declineResellerRequest(
  app: AppContext,
  caller: Caller,
  id: string,
  reason: string,
): Promise<AccessChangeRow> {
  const providerId = staffReader(caller, 'subscriptions.suspend');
  const text = reason.trim();
  if (text === '') throw invalid('required', 'reason is required', { field: 'reason' });
  const now = app.clock.now();
  return decideResellerRequest(app, providerId, id, async (tx, change) => {
    const row = await updateChange(tx, change, {
      status: 'declined',
      errorCode: 'declined',
      errorMessage: text.slice(0, 2000),
      completedAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId: providerId,
      customerId: null,
      action: 'subscription.reseller_request_declined',
      target: { type: 'subscription_access_change', id: change.id },
      before: { status: change.status },
      after: { status: row.status, resellerId: change.partnerId, action: change.action, reason: text },
    });
    return row;
  });
}

/** Decides a `requested` change of the provider's; deciding one already decided returns it as it is. */
async function decideResellerRequest(
  app: AppContext,
  providerId: string,
  id: string,
  decide: (tx: Tx, change: AccessChangeRow) => Promise<AccessChangeRow>,
): Promise<AccessChangeRow> {
  return withTransaction(app.database, async (tx) => {
    const change = await resellerRequestForUpdate(tx, providerId, id);
    if (!change) throw notFound('Request');
    return change.status === 'requested' ? decide(tx, change) : change;
  });
}
