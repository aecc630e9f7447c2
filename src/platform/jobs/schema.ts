import { bigint, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Progress of every job we send, readable by the API. pg-boss keeps its own queue tables; this one is
 * ours because people look at it (a bar in the UI, a line in the CLI) and it outlives pg-boss retention.
 */
export const jobProgress = pgTable(
  'job_progress',
  {
    id: uuid('id').primaryKey(),
    /** The partner whose work it is; null for installation-wide housekeeping. */
    partnerId: uuid('partner_id'),
    name: text('name').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    done: bigint('done', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }),
    message: text('message'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_progress_partner_created').on(t.partnerId, t.createdAt)],
);

/** Effects a job has already made, so a redelivered job (delivery is at least once) skips them. */
export const jobEffects = pgTable(
  'job_effects',
  {
    jobId: uuid('job_id').notNull(),
    effect: text('effect').notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.effect] })],
);
