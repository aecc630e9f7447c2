import Type from 'typebox';
import { isScoped } from '#platform/actor';
import { notFound } from '#platform/errors';
import { purgeExpiredIdempotencyKeys } from '#platform/http';
import { defineJob, handleJob } from '#platform/jobs';
import { deliverMail, deliverMailHandler } from '#platform/outbox';
import type { AppModule } from './context.ts';

const purgeIdempotencyKeys = defineJob({
  name: 'platform.purge-idempotency-keys',
  version: 1,
  payload: Type.Object({}),
});

const JobProgressView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
  ]),
  done: Type.Integer(),
  total: Type.Union([Type.Integer(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** What the platform itself runs: mail delivery, housekeeping, and job progress for the UI. */
export const platformModule: AppModule = {
  name: 'platform',
  jobTypes: [deliverMail, purgeIdempotencyKeys],
  jobs: [
    deliverMailHandler,
    handleJob(
      purgeIdempotencyKeys,
      async (_payload, run, app) => {
        const purged = await purgeExpiredIdempotencyKeys(app.database, app.clock.now());
        run.log.info({ purged }, 'expired idempotency keys purged');
      },
      { cron: '17 * * * *', payload: {} },
    ),
  ],
  routes(api, app) {
    api.get(
      '/jobs/:id',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['jobs'],
          summary: 'Progress of a job (an import, a sync, a billing run)',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: JobProgressView },
        },
      },
      async (request) => {
        const actor = request.actor;
        // Jobs are partner work: customer users never see them, and staff only their partner's.
        if (!isScoped(actor) || actor.kind === 'customer') throw notFound('Job');
        const row = await app.jobs.progress(request.params.id, actor.partnerId);
        return {
          ...row,
          createdAt: row.createdAt.toISOString(),
          startedAt: row.startedAt?.toISOString() ?? null,
          finishedAt: row.finishedAt?.toISOString() ?? null,
        };
      },
    );
  },
};
