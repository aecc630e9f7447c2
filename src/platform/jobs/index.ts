export {
  createJobs,
  defineJob,
  handleJob,
  type JobHandler,
  type JobProgress,
  type JobRun,
  type Jobs,
  type JobType,
  onceInTransaction,
  type SendOptions,
} from './jobs.ts';
export { jobEffects, jobProgress } from './schema.ts';
