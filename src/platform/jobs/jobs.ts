import { and, eq, sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, type JobWithMetadata, PgBoss } from 'pg-boss';
import type { Static, TSchema } from 'typebox';
import Value from 'typebox/value';
import type { AppContext } from '#platform/app';
import { type Database, type Queryable, type Tx, withTransaction } from '#platform/db';
import { invalid, notFound } from '#platform/errors';
import type { Logger } from '#platform/log';
import { jobEffects, jobProgress } from './schema.ts';

/** What a job is: its name, the version of its payload, and the payload's schema. */
export interface JobType<P extends TSchema = TSchema> {
  name: string;
  version: number;
  payload: P;
  /** Attempts after the first; pg-boss backs off exponentially between them. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
}

export function defineJob<P extends TSchema>(type: JobType<P>): JobType<P> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(type.name)) {
    throw new Error(`Job name "${type.name}" must be module.verb-noun in lower case`);
  }
  return type;
}

/** What a running job gets besides its payload. */
export interface JobRun {
  id: string;
  /** 0 on the first attempt. */
  attempt: number;
  partnerId: string | undefined;
  log: Logger;
  signal: AbortSignal;
  /** Records progress in its own short transaction, for the API and the UI. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /**
   * Marks an effect of this job as done inside `tx`; false means a previous delivery of the same job
   * already made it and committed, so the caller skips it.
   */
  once(tx: Tx, effect: string): Promise<boolean>;
}

export interface JobHandler<P extends TSchema = TSchema> {
  type: JobType<P>;
  run(payload: Static<P>, run: JobRun, app: AppContext): Promise<void>;
  /** A cron schedule (five fields) in an IANA zone, sending `payload` each time. */
  schedule?: { cron: string; tz?: string; payload: Static<P> };
}

export function handleJob<P extends TSchema>(
  type: JobType<P>,
  run: JobHandler<P>['run'],
  schedule?: JobHandler<P>['schedule'],
): JobHandler<P> {
  return schedule ? { type, run, schedule } : { type, run };
}

export interface SendOptions {
  partnerId?: string;
  startAfter?: Date;
  /** At most one queued job per key: a second send with the same key is dropped. */
  singletonKey?: string;
}

interface Envelope {
  v: number;
  partnerId: string | null;
  payload: unknown;
}

export type JobProgress = typeof jobProgress.$inferSelect;

export interface Jobs {
  /**
   * Queues a job inside the caller's transaction: it exists only if that transaction commits.
   * Returns the job's id (its progress row has the same id), or null when a singleton was dropped.
   */
  send<P extends TSchema>(
    tx: Tx,
    type: JobType<P>,
    payload: Static<P>,
    options?: SendOptions,
  ): Promise<string | null>;
  /** A job's progress; `partnerId` narrows it to one partner's jobs (another partner's is not found). */
  progress(id: string, partnerId?: string): Promise<JobProgress>;
  /** Starts workers and schedules for `handlers`; without calling it a process can still send. */
  work(handlers: readonly JobHandler[], app: AppContext): Promise<void>;
  /** Lets running jobs finish, then stops. */
  stop(): Promise<void>;
}

const PGBOSS_SCHEMA = 'pgboss';

export async function createJobs(database: Database, log: Logger, types: readonly JobType[]): Promise<Jobs> {
  const boss =
    database.engine === 'pglite'
      ? new PgBoss({
          db: fromPglite(database.client),
          backend: 'pglite',
          schema: PGBOSS_SCHEMA,
          useListenNotify: true,
        })
      : new PgBoss({
          connectionString: database.connectionString,
          schema: PGBOSS_SCHEMA,
          max: 4,
          useListenNotify: true,
        });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  // Workers and schedules are started by work(); until then this instance only sends.
  await boss.start();
  const known = new Map<string, JobType>();
  for (const type of types) await ensureQueue(boss, type, known);
  let stopped = false;

  async function send<P extends TSchema>(
    tx: Tx,
    type: JobType<P>,
    payload: Static<P>,
    options: SendOptions = {},
  ) {
    if (!known.has(type.name))
      throw new Error(`Job ${type.name} was not declared when the queues were created`);
    assertPayload(type, payload);
    const envelope: Envelope = { v: type.version, partnerId: options.partnerId ?? null, payload };
    const id = await boss.send(type.name, envelope as unknown as object, {
      db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql),
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
    if (id === null) return null;
    await tx
      .insert(jobProgress)
      .values({ id, name: type.name, partnerId: options.partnerId ?? null, status: 'queued' });
    return id;
  }

  async function progress(id: string, partnerId?: string): Promise<JobProgress> {
    const where =
      partnerId === undefined
        ? eq(jobProgress.id, id)
        : and(eq(jobProgress.id, id), eq(jobProgress.partnerId, partnerId));
    const [row] = await database.db.select().from(jobProgress).where(where);
    if (!row) throw notFound('Job');
    return row;
  }

  async function work(handlers: readonly JobHandler[], app: AppContext) {
    for (const handler of handlers) {
      if (!known.has(handler.type.name)) await ensureQueue(boss, handler.type, known);
      await boss.work(
        handler.type.name,
        { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2, includeMetadata: true },
        async ([job]) => {
          if (job) await runOne(database, log, handler, job as JobWithMetadata<Envelope>, app);
        },
      );
      if (handler.schedule) {
        const envelope: Envelope = {
          v: handler.type.version,
          partnerId: null,
          payload: handler.schedule.payload,
        };
        await boss.schedule(handler.type.name, handler.schedule.cron, envelope as unknown as object, {
          tz: handler.schedule.tz ?? 'UTC',
        });
      }
    }
  }

  async function stop() {
    if (stopped) return;
    stopped = true;
    await boss.stop({ graceful: true, timeout: 30_000, close: true });
  }

  return { send, progress, work, stop };
}

async function ensureQueue(boss: PgBoss, type: JobType, known: Map<string, JobType>) {
  await boss.createQueue(type.name, {
    retryLimit: type.retryLimit ?? 5,
    retryDelay: type.retryDelaySeconds ?? 10,
    retryBackoff: true,
    expireInSeconds: type.expireInSeconds ?? 15 * 60,
    notify: true,
  });
  // Warms pg-boss's queue cache now: a cache miss inside a caller's transaction would query the
  // database outside it, which on PGlite waits for that very transaction.
  await boss.getQueue(type.name);
  known.set(type.name, type);
}

function assertPayload(type: JobType, payload: unknown) {
  if (Value.Check(type.payload, payload)) return;
  const [first] = Value.Errors(type.payload, payload);
  const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'payload';
  throw invalid('invalid-job-payload', `Job ${type.name}: ${field} ${first?.message ?? 'is invalid'}`, {
    field,
  });
}

async function runOne(
  database: Database,
  log: Logger,
  handler: JobHandler,
  job: JobWithMetadata<Envelope>,
  app: AppContext,
) {
  const { name, version } = handler.type;
  const envelope = job.data;
  const jobLog = log.child({ job: name, jobId: job.id, attempt: job.retryCount });
  const progressRow = (values: Partial<JobProgress>) =>
    database.db
      .insert(jobProgress)
      .values({ id: job.id, name, partnerId: envelope.partnerId, status: 'running', ...values })
      .onConflictDoUpdate({ target: jobProgress.id, set: { ...values, updatedAt: new Date() } });
  if (envelope.v !== version) {
    // A job queued by an older release: refusing it is safer than guessing what its payload meant.
    const error = `Job ${name} was queued with payload version ${envelope.v}; this release runs version ${version}`;
    await progressRow({ status: 'failed', error, finishedAt: new Date() });
    throw new Error(error);
  }
  assertPayload(handler.type, envelope.payload);
  await progressRow({ status: 'running', startedAt: new Date(), error: null });
  const run: JobRun = {
    id: job.id,
    attempt: job.retryCount,
    partnerId: envelope.partnerId ?? undefined,
    log: jobLog,
    signal: job.signal,
    progress: async (done, total, message) => {
      await progressRow({
        done,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      });
    },
    once: (tx, effect) => markEffect(tx, job.id, effect),
  };
  try {
    await handler.run(envelope.payload, run, app);
    await progressRow({ status: 'succeeded', finishedAt: new Date() });
  } catch (error) {
    const lastAttempt = job.retryCount >= job.retryLimit;
    const message = error instanceof Error ? error.message : String(error);
    jobLog.warn({ err: error, lastAttempt }, 'job failed');
    await progressRow(
      lastAttempt
        ? { status: 'failed', error: message, finishedAt: new Date() }
        : { status: 'queued', error: message },
    );
    throw error;
  }
}

async function markEffect(tx: Queryable, jobId: string, effect: string): Promise<boolean> {
  const inserted = await tx
    .insert(jobEffects)
    .values({ jobId, effect })
    .onConflictDoNothing()
    .returning({ jobId: jobEffects.jobId });
  return inserted.length === 1;
}

/** Runs `work` and records its effect in one transaction, unless a previous delivery already did. */
export async function onceInTransaction(
  database: Database,
  run: JobRun,
  effect: string,
  work: (tx: Tx) => Promise<void>,
) {
  return withTransaction(database, async (tx) => {
    if (!(await run.once(tx, effect))) return false;
    await work(tx);
    return true;
  });
}
