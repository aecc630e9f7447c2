import { type AppContext, startApp } from '#platform/app';
import { loadConfig } from '#platform/config';
import { modules, version } from '../main.ts';

/**
 * Runs a command's work against the installation (migrated, no workers, no demo seeding), then
 * closes it. Mail the work queues stays in the outbox until `serve` delivers it.
 */
export async function withApp<T>(work: (app: AppContext) => Promise<T>): Promise<T> {
  const config = { ...loadConfig(), runJobs: false, loadDemoData: false };
  const running = await startApp({ config, modules, version });
  try {
    return await work(running.app);
  } finally {
    await running.close();
  }
}
