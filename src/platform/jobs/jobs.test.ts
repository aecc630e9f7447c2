import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import Type from 'typebox';
import type { AppModule, RunningApp } from '#platform/app';
import { openDatabase, selectRows, withTransaction } from '#platform/db';
import { createLogger } from '#platform/log';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createJobs, defineJob, handleJob, onceInTransaction } from './index.ts';

const countVisit = defineJob({
  name: 'test.count-visit',
  version: 1,
  payload: Type.Object({ visit: Type.String(), failFirstAttempt: Type.Optional(Type.Boolean()) }),
  retryLimit: 2,
  retryDelaySeconds: 1,
});

/** Effects are rows in t_visits, so "ran once" is something the database can count. */
async function createVisits(app: RunningApp) {
  await app.app.database.db.execute(
    sql`create table t_visits (visit text not null, job_id uuid not null, worker text not null)`,
  );
}

async function visits(app: RunningApp, visit: string): Promise<number> {
  const [row] = await selectRows<{ count: string }>(
    app.app.database.db,
    sql`select count(*)::text as count from t_visits where visit = ${visit}`,
  );
  return Number(row!.count);
}

/** `failFirstAttempt` throws after the effect committed, standing for a worker dying before its ack. */
function visitModule(worker = 'first'): AppModule {
  return {
    name: 'test-visits',
    jobs: [
      handleJob(countVisit, async ({ visit, failFirstAttempt }, run, app) => {
        await onceInTransaction(app.database, run, 'record-visit', async (tx) => {
          await tx.execute(
            sql`insert into t_visits (visit, job_id, worker) values (${visit}, ${run.id}, ${worker})`,
          );
        });
        await run.progress(1, 1, 'visited');
        if (failFirstAttempt && run.attempt === 0) throw new Error('worker died after its effect');
      }),
    ],
  };
}

for (const engine of engines()) {
  describe(`jobs on ${engine}`, () => {
    let app: RunningApp;
    before(async () => {
      app = await startTestApp({ engine, modules: [visitModule()] });
      await createVisits(app);
    });
    after(() => app.close());

    it('a job sent in a committed transaction › runs once and reports its progress', async () => {
      const id = await withTransaction(app.app.database, (tx) =>
        app.app.jobs.send(tx, countVisit, { visit: 'committed' }),
      );
      assert.ok(id);
      const progress = await eventually('the job to succeed', async () => {
        const row = await app.app.jobs.progress(id);
        return row.status === 'succeeded' && row;
      });
      assert.equal(progress.done, 1);
      assert.equal(progress.message, 'visited');
      assert.equal(await visits(app, 'committed'), 1);
    });

    it('a job from a rolled-back transaction › never runs', async () => {
      let sentId: string | null = null;
      await assert.rejects(
        withTransaction(app.app.database, async (tx) => {
          sentId = await app.app.jobs.send(tx, countVisit, { visit: 'rolled-back' });
          throw new Error('the mutation failed');
        }),
        /the mutation failed/,
      );
      assert.ok(sentId);
      await assert.rejects(app.app.jobs.progress(sentId), /not found/);
      // A later job on the same queue runs, so the rolled-back one had every chance to.
      const later = await withTransaction(app.app.database, (tx) =>
        app.app.jobs.send(tx, countVisit, { visit: 'after-rollback' }),
      );
      await eventually(
        'the later job',
        async () => (await app.app.jobs.progress(later!)).status === 'succeeded',
      );
      assert.equal(await visits(app, 'rolled-back'), 0);
      const [queued] = await selectRows<{ count: string }>(
        app.app.database.db,
        sql`select count(*)::text as count from pgboss.job where id = ${sentId}`,
      );
      assert.equal(queued!.count, '0');
    });

    it('a redelivered job › does not repeat an effect the first delivery committed', async () => {
      const id = await withTransaction(app.app.database, (tx) =>
        app.app.jobs.send(tx, countVisit, { visit: 'redelivered', failFirstAttempt: true }),
      );
      await eventually(
        'the retry to succeed',
        async () => (await app.app.jobs.progress(id!)).status === 'succeeded',
        20_000,
      );
      assert.equal(await visits(app, 'redelivered'), 1);
      const [attempts] = await selectRows<{ retry_count: number }>(
        app.app.database.db,
        sql`select retry_count from pgboss.job where id = ${id}`,
      );
      assert.equal(attempts!.retry_count, 1);
    });

    it('a payload that does not match its schema › is refused when sent, naming the field', async () => {
      await assert.rejects(
        withTransaction(app.app.database, (tx) =>
          app.app.jobs.send(tx, countVisit, { visit: 42 } as unknown as { visit: string }),
        ),
        (error: Error & { location?: { field?: string } }) =>
          error.location?.field === 'visit' && /test\.count-visit/.test(error.message),
      );
    });

    it('job progress of another partner › is not found', async () => {
      const id = await withTransaction(app.app.database, (tx) =>
        app.app.jobs.send(
          tx,
          countVisit,
          { visit: 'partner-a' },
          { partnerId: '00000000-0000-4000-8000-00000000000a' },
        ),
      );
      await assert.rejects(app.app.jobs.progress(id!, '00000000-0000-4000-8000-00000000000b'), /not found/);
      assert.equal(
        (await app.app.jobs.progress(id!, '00000000-0000-4000-8000-00000000000a')).name,
        'test.count-visit',
      );
    });
  });
}

if (engines().includes('postgres')) {
  describe('jobs with two worker processes on postgres', () => {
    it('a job sent once › runs once, whichever worker takes it', async () => {
      const first = await startTestApp({ engine: 'postgres', modules: [visitModule()] });
      await createVisits(first);
      // A second process on the same database: its own pool, its own pg-boss, its own workers.
      const database = first.app.database;
      if (database.engine !== 'postgres') throw new Error('expected PostgreSQL');
      const secondProcess = await openDatabase({ databaseUrl: database.connectionString, poolSize: 3 });
      const secondJobs = await createJobs(secondProcess, createLogger('silent'), [countVisit]);
      await secondJobs.work(visitModule('second').jobs!, {
        ...first.app,
        database: secondProcess,
        jobs: secondJobs,
      });
      try {
        const ids: string[] = [];
        for (let n = 0; n < 40; n++) {
          ids.push(
            (await withTransaction(first.app.database, (tx) =>
              first.app.jobs.send(tx, countVisit, { visit: `v${n}` }),
            ))!,
          );
        }
        await eventually(
          'all 40 jobs to finish',
          async () => {
            const [done] = await selectRows<{ count: string }>(
              first.app.database.db,
              sql`select count(*)::text as count from job_progress where status = 'succeeded' and name = 'test.count-visit'`,
            );
            return done!.count === '40';
          },
          30_000,
        );
        const [totals] = await selectRows<{ rows: string; distinct_jobs: string; workers: string }>(
          first.app.database.db,
          sql`select count(*)::text as rows, count(distinct job_id)::text as distinct_jobs,
                count(distinct worker)::text as workers from t_visits`,
        );
        // Both processes took jobs, and no job was taken twice.
        assert.deepEqual(totals, { rows: '40', distinct_jobs: '40', workers: '2' });
      } finally {
        await secondJobs.stop();
        await secondProcess.close();
        await first.close();
      }
    });
  });
}
