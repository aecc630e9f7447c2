import Type from 'typebox';
import { recordAudit } from '#modules/audit';
import {
  applyUpstreamCustomer,
  type MirrorOutcome,
  markCustomersRemovedUpstream,
  syncedTenantIds,
} from '#modules/customers';
import {
  PartnerCenterAuthError,
  type PartnerCenterClient,
  PartnerCenterResponseError,
  type Customer as UpstreamCustomer,
} from '#modules/partner-center';
import {
  getConnection,
  getConnectionClient,
  listConnectedClouds,
  partnerStaff,
  recordConnectionOutcome,
  requirePermission,
} from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, withTransaction } from '#platform/db';
import { notFound } from '#platform/errors';
import { type Api, callerOf } from '#platform/http';
import { defineJob, handleJob } from '#platform/jobs';
import {
  applyUpstreamSubscription,
  markSubscriptionsRemovedUpstream,
  partnerCenterCaller,
} from './mirror.ts';
import { presentSyncRun, SyncRunView } from './presenters.ts';
import {
  insertSyncRun,
  lastSucceededSync,
  runningSync,
  type SyncCloud,
  type SyncKind,
  type SyncRun,
  syncRunById,
  syncRuns,
  updateSyncRun,
} from './queries.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Activity records can appear a little after the operation: each window starts this much earlier. */
const ACTIVITY_OVERLAP_MS = 10 * MINUTE_MS;
/** Partner Center keeps 90 days of activity; a longer gap needs a full pass. */
const ACTIVITY_LOG_REACH_MS = 85 * DAY_MS;
/** The schedule makes a pass full when the last successful full pass is this old. */
const FULL_PASS_EVERY_MS = DAY_MS;
/** A running run whose job reported nothing for this long is taken as stopped (process gone). */
const SILENT_JOB_MS = 60 * MINUTE_MS;

export const syncConnection = defineJob({
  name: 'subscriptions.sync',
  version: 1,
  payload: Type.Object({
    partnerId: Type.String({ format: 'uuid' }),
    syncId: Type.String({ format: 'uuid' }),
  }),
  // A failed run keeps its checkpoint and the next run (at most 15 minutes later) continues it.
  retryLimit: 0,
  expireInSeconds: 6 * 60 * 60,
});

export const scheduleSyncs = defineJob({
  name: 'subscriptions.schedule-syncs',
  version: 1,
  payload: Type.Object({}),
  retryLimit: 0,
});

/**
 * What makes a run resumable: the customers (tenant ids) already stored, and the instant from which
 * the data it stores is fresh — the start of the first run of a chain of resumed ones, so that the
 * next activity run also covers whatever changed while the chain was running.
 */
interface Checkpoint {
  coversFrom: string;
  /** Activity runs: the activity log is read from here. */
  since?: string;
  done: string[];
}

function checkpointOf(run: SyncRun): Checkpoint {
  const stored = (run.checkpoint ?? {}) as Partial<Checkpoint>;
  return {
    coversFrom: stored.coversFrom ?? run.startedAt.toISOString(),
    ...(stored.since !== undefined && { since: stored.since }),
    done: stored.done ?? [],
  };
}

/** Where an activity run starts reading the log, or undefined when only a full pass will do. */
async function activityWindow(db: Queryable, partnerId: string, cloud: SyncCloud, now: Date) {
  const last = await lastSucceededSync(db, partnerId, cloud);
  if (!last) return undefined;
  const since = new Date(new Date(checkpointOf(last).coversFrom).getTime() - ACTIVITY_OVERLAP_MS);
  return now.getTime() - since.getTime() > ACTIVITY_LOG_REACH_MS ? undefined : since;
}

/** Whether a `running` run's job is gone: finished without finishing the run, or silent too long. */
async function isAbandoned(app: AppContext, run: SyncRun): Promise<boolean> {
  if (run.jobId === null) return true;
  const job = await app.jobs.progress(run.jobId, run.partnerId).catch(() => undefined);
  if (!job || job.status === 'failed' || job.status === 'succeeded') return true;
  // job_progress is stamped by the wall clock, not the app's.
  return job.status === 'running' && Date.now() - job.updatedAt.getTime() > SILENT_JOB_MS;
}

function isUniqueViolation(error: unknown): boolean {
  for (let cause = error; cause instanceof Error || (typeof cause === 'object' && cause !== null); ) {
    if ((cause as { code?: unknown }).code === '23505') return true;
    cause = (cause as { cause?: unknown }).cause;
    if (cause === undefined) break;
  }
  return false;
}

/**
 * Starts a sync of one connection, or returns the one already running (one per connection). An
 * `activity` run with no successful run to continue from (or one older than the activity log keeps)
 * runs as `full`. A run continues the checkpoint of the connection's previous run of the same kind
 * when that one failed, so work done before a crash or a revoked credential is not repeated.
 */
export async function startSync(
  app: AppContext,
  partnerId: string,
  cloud: SyncCloud,
  requested: SyncKind,
  trigger: SyncRun['trigger'],
  caller: Caller = partnerCenterCaller,
): Promise<SyncRun> {
  const { db } = app.database;
  const running = await runningSync(db, partnerId, cloud);
  if (running && !(await isAbandoned(app, running))) return running;
  const now = app.clock.now();
  try {
    return await withTransaction(app.database, async (tx) => {
      if (running) {
        await updateSyncRun(tx, running, {
          status: 'failed',
          finishedAt: now,
          error:
            'The sync stopped without finishing (its job ended or went silent); the next run continues from its checkpoint.',
        });
      }
      const since = requested === 'activity' ? await activityWindow(tx, partnerId, cloud, now) : undefined;
      const kind: SyncKind = since ? 'activity' : 'full';
      const [previous] = await syncRuns(tx, partnerId, { cloud, limit: 1 });
      const resumed = previous?.status === 'failed' && previous.kind === kind ? previous : undefined;
      const checkpoint: Checkpoint = resumed
        ? checkpointOf(resumed)
        : { coversFrom: now.toISOString(), ...(since && { since: since.toISOString() }), done: [] };
      const run = await insertSyncRun(tx, {
        partnerId,
        cloud,
        kind,
        trigger,
        status: 'running',
        startedAt: now,
        done: checkpoint.done.length,
        checkpoint: { ...checkpoint },
        counts: resumed?.counts ?? {},
      });
      const jobId = await app.jobs.send(tx, syncConnection, { partnerId, syncId: run.id }, { partnerId });
      if (trigger === 'manual') {
        await recordAudit(tx, caller, {
          partnerId,
          action: 'connection.sync_requested',
          target: { type: 'connection' },
          after: { cloud, kind, syncId: run.id, ...(resumed && { continues: resumed.id }) },
        });
      }
      return updateSyncRun(tx, run, { jobId });
    });
  } catch (error) {
    // Another process started one between our look and our insert: that one is the running sync.
    const winner = isUniqueViolation(error) ? await runningSync(db, partnerId, cloud) : undefined;
    if (winner) return winner;
    throw error;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The tenant ids a run syncs: every listed customer, or those the activity log names plus new ones. */
async function customersToSync(
  app: AppContext,
  client: PartnerCenterClient,
  run: SyncRun,
  listed: readonly UpstreamCustomer[],
): Promise<string[]> {
  const ids = listed.map((customer) => customer.id.toLowerCase());
  const since = checkpointOf(run).since;
  if (run.kind === 'full' || since === undefined) return ids;
  const named = new Set<string>();
  for await (const record of client.listAuditRecords(new Date(since))) {
    if (record.customerId) named.add(record.customerId);
  }
  const known = await syncedTenantIds(app.database.db, run.partnerId);
  return ids.filter((id) => named.has(id) || !known.has(id));
}

type Counts = Record<string, number>;

function tally(
  counts: Counts,
  what: 'customers' | 'subscriptions',
  outcome: MirrorOutcome | 'removed',
  by = 1,
) {
  if (by === 0) return;
  const key = `${what}${outcome.charAt(0).toUpperCase()}${outcome.slice(1)}`;
  counts[key] = (counts[key] ?? 0) + by;
}

/** Why a run failed, naming the customer whose step it was and what Partner Center sent. */
function failureText(error: unknown, step: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const where = error instanceof PartnerCenterResponseError && error.path ? ` (at ${error.path})` : '';
  return `${step ? `${step}: ` : ''}${message}${where}`.slice(0, 4000);
}

/**
 * Runs one sync: lists the connection's customers, then for each one to sync reads it and its
 * subscriptions from Partner Center (outside any transaction) and stores them in one short transaction
 * with the run's checkpoint — so a customer is applied whole or not at all, and a re-run continues
 * after the last one stored. A full pass ends by marking what Partner Center no longer lists.
 * Any failure stops the run as `failed` with the reason, keeping its checkpoint; a refused credential
 * is also recorded on the connection.
 */
export async function runSync(
  app: AppContext,
  partnerId: string,
  syncId: string,
  report: (done: number, total: number, message?: string) => Promise<void> = async () => {},
): Promise<SyncRun | undefined> {
  const { db } = app.database;
  let run = await syncRunById(db, partnerId, syncId);
  if (run?.status !== 'running') return run;
  const checkpoint = checkpointOf(run);
  const done = new Set(checkpoint.done);
  let counts: Counts = { ...run.counts };
  let step: string | undefined;
  try {
    const client = await getConnectionClient(app, partnerId, run.cloud);
    step = 'Listing customers';
    const listed = await collect(client.listCustomers());
    const targets = await customersToSync(app, client, run, listed);
    const todo = targets.filter((id) => !done.has(id));
    const total = done.size + todo.length;
    run = await updateSyncRun(db, run, { total, done: done.size });
    await report(done.size, total);
    for (const tenantId of todo) {
      const name = listed.find((customer) => customer.id.toLowerCase() === tenantId)?.companyProfile
        ?.companyName;
      step = `Customer ${name ? `${name} (${tenantId})` : tenantId}`;
      const upstream = await client.getCustomer(tenantId);
      const subscriptions = await collect(client.listSubscriptions(tenantId));
      const current: SyncRun = run;
      const next = { ...counts };
      run = await withTransaction(app.database, async (tx) => {
        const now = app.clock.now();
        const { outcome, customer } = await applyUpstreamCustomer(tx, partnerId, current.cloud, upstream, {
          now,
        });
        tally(next, 'customers', outcome);
        for (const subscription of subscriptions) {
          const applied = await applyUpstreamSubscription(
            tx,
            customer.partnerId,
            customer.id,
            current.cloud,
            subscription,
            { now },
          );
          tally(next, 'subscriptions', applied.outcome);
        }
        const removed = await markSubscriptionsRemovedUpstream(
          tx,
          customer.partnerId,
          customer.id,
          subscriptions.map((subscription) => subscription.id),
          { now },
        );
        tally(next, 'subscriptions', 'removed', removed);
        return updateSyncRun(tx, current, {
          done: done.size + 1,
          checkpoint: { ...checkpoint, done: [...done, tenantId] },
          counts: next,
        });
      });
      done.add(tenantId);
      counts = next;
      await report(done.size, total, step);
    }
    step = undefined;
    const finished: SyncRun = run;
    run = await withTransaction(app.database, async (tx) => {
      const now = app.clock.now();
      if (finished.kind === 'full') {
        const listedIds = listed.map((customer) => customer.id);
        const gone = await markCustomersRemovedUpstream(tx, partnerId, finished.cloud, listedIds, { now });
        tally(counts, 'customers', 'removed', gone.length);
        for (const customer of gone) {
          const removed = await markSubscriptionsRemovedUpstream(tx, customer.partnerId, customer.id, [], {
            now,
          });
          tally(counts, 'subscriptions', 'removed', removed);
        }
      }
      return updateSyncRun(tx, finished, { status: 'succeeded', finishedAt: now, counts, error: null });
    });
    await recordConnectionOutcome(app, partnerId, run.cloud, { error: null });
    return run;
  } catch (error) {
    const message = failureText(error, step);
    if (error instanceof PartnerCenterAuthError) {
      await recordConnectionOutcome(app, partnerId, run.cloud, { error: message });
    }
    await updateSyncRun(db, run, { status: 'failed', finishedAt: app.clock.now(), error: message });
    throw new Error(message, { cause: error });
  }
}

/**
 * Every 15 minutes, for each connection: an activity run, or a full pass when the last successful
 * one is a day old (so at least one full pass a day, wherever the partner is). A running sync is left
 * to finish; a failed one is continued.
 */
export async function scheduleDueSyncs(app: AppContext): Promise<SyncRun[]> {
  const now = app.clock.now();
  const started: SyncRun[] = [];
  for (const { partnerId, cloud } of await listConnectedClouds(app.database.db)) {
    const lastFull = await lastSucceededSync(app.database.db, partnerId, cloud, 'full');
    const kind =
      !lastFull || now.getTime() - lastFull.startedAt.getTime() >= FULL_PASS_EVERY_MS ? 'full' : 'activity';
    try {
      started.push(await startSync(app, partnerId, cloud, kind, 'schedule'));
    } catch (error) {
      // One connection that cannot start must not keep the others from their sync.
      app.log.error({ err: error, partnerId, cloud }, 'a scheduled sync could not start');
    }
  }
  return started;
}

export const syncJobTypes = [syncConnection, scheduleSyncs];

export const syncJobs = [
  handleJob(syncConnection, async ({ partnerId, syncId }, job, app) => {
    await runSync(app, partnerId, syncId, (done, total, message) => job.progress(done, total, message));
  }),
  handleJob(
    scheduleSyncs,
    async (_payload, job, app) => {
      const started = await scheduleDueSyncs(app);
      job.log.info({ syncs: started.map((run) => run.id) }, 'Partner Center syncs started');
    },
    { cron: '*/15 * * * *', payload: {} },
  ),
];

const clouds = ['public', 'usgov', 'china'] as const;
const SyncParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Staff start a sync of a connection and watch its runs. */
export function syncRoutes(api: Api, app: AppContext) {
  api.post(
    '/partner-center/syncs',
    {
      config: { access: { permission: 'partner.manage' } },
      schema: {
        tags: ['subscriptions'],
        summary:
          'Sync customers and subscriptions from Partner Center now; a sync already running is returned instead',
        body: Type.Object(
          {
            cloud: Type.Enum(clouds),
            kind: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('activity')])),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ sync: SyncRunView, jobId: Type.String() }) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const actor = partnerStaff(caller, 'Connection');
      // The connection must exist: its absence is a 404 here, not a failed run later.
      await getConnection(app, caller, request.body.cloud);
      const run = await startSync(
        app,
        actor.partnerId,
        request.body.cloud,
        request.body.kind ?? 'full',
        'manual',
        caller,
      );
      return reply.code(202).send({ sync: presentSyncRun(run), jobId: run.jobId! });
    },
  );

  api.get(
    '/partner-center/syncs',
    {
      config: { access: { permission: 'customers.read' } },
      schema: {
        tags: ['subscriptions'],
        summary: 'Partner Center sync runs, latest first',
        querystring: Type.Object({
          cloud: Type.Optional(Type.Enum(clouds)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(SyncRunView) }) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requirePermission(caller, 'customers.read');
      const actor = partnerStaff(caller, 'Sync');
      const runs = await syncRuns(app.database.db, actor.partnerId, {
        cloud: request.query.cloud,
        limit: request.query.limit ?? 20,
      });
      return { items: runs.map(presentSyncRun) };
    },
  );

  api.get(
    '/partner-center/syncs/:id',
    {
      config: { access: { permission: 'customers.read' } },
      schema: {
        tags: ['subscriptions'],
        summary: 'One Partner Center sync run: status, progress, counts, error',
        params: SyncParams,
        response: { 200: SyncRunView },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requirePermission(caller, 'customers.read');
      const actor = partnerStaff(caller, 'Sync');
      const run = await syncRunById(app.database.db, actor.partnerId, request.params.id);
      if (!run) throw notFound('Sync');
      return presentSyncRun(run);
    },
  );
}
