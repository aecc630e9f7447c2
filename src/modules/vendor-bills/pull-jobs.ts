import { handleJob } from '#platform/jobs';
import { pullJob, runPull, scheduleDailyPulls, schedulePullsJob } from './pulls.ts';

export const pullJobTypes = [pullJob, schedulePullsJob];

export const pullJobs = [
  handleJob(pullJob, async (payload, job, app) => {
    const outcome = await runPull(app, payload, {
      jobId: job.id,
      report: (done, total, message) => job.progress(done, total, message),
    });
    // The imports keep each failure with its reason; the job says the first one.
    if (outcome.error !== null) throw new Error(outcome.error);
  }),
  handleJob(
    schedulePullsJob,
    async (_payload, job, app) => {
      const queued = await scheduleDailyPulls(app);
      job.log.info({ jobs: queued }, 'vendor bill pulls queued');
    },
    // After Microsoft's night in Europe and the Americas; invoices appear by the 8th (reference §5.1).
    { cron: '30 5 * * *', payload: {} },
  ),
];
