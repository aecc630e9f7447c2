import { handleJob } from '#platform/jobs';
import {
  accessChangeBatchJob,
  carryOutBatch,
  carryOutDueAccessChanges,
  dueAccessChangesJob,
} from './access-service.ts';

/**
 * Suspending and reactivating subscriptions through Partner Center, as the module plugs it in: the
 * routes, the batch job and the schedule that retries what Microsoft deferred. The work itself is in
 * access-service.ts, the rules in access-rules.ts.
 */
export { AccessChangeView, accessChangeRoutes, presentAccessChange } from './access-routes.ts';
export {
  type AccessChangeBatch,
  type AccessChangeRequest,
  carryOut,
  carryOutDueAccessChanges,
  requestAccessChange,
} from './access-service.ts';

export const accessChangeJobTypes = [accessChangeBatchJob, dueAccessChangesJob];

export const accessChangeJobs = [
  handleJob(accessChangeBatchJob, async ({ batchId }, run, app) => {
    if (run.partnerId === undefined) throw new Error('An access-change batch belongs to a partner');
    await carryOutBatch(
      app,
      run.partnerId,
      batchId,
      (done, total, message) => run.progress(done, total, message),
      run.signal,
    );
  }),
  // Every minute, never sooner: a 409 waits minutes (800082) or a day (900278), never a tight loop.
  handleJob(
    dueAccessChangesJob,
    async (_payload, run, app) => {
      const tried = await carryOutDueAccessChanges(app);
      if (tried > 0) run.log.info({ tried }, 'due subscription access changes carried out');
    },
    { cron: '* * * * *', payload: {} },
  ),
];
