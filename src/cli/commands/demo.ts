import type { Command } from 'commander';
import { resetDemoData, startApp } from '#platform/app';
import { loadConfig } from '#platform/config';
import { modules, version } from '../../main.ts';

export function register(program: Command) {
  const demo = program.command('demo').description('Demo data');
  demo
    .command('reset')
    .description('Remove ALL data of this installation and load the demo data again')
    .requiredOption('--yes', 'confirm that every partner, customer, bill and ticket here is to be deleted')
    .action(async () => {
      const config = { ...loadConfig(), runJobs: false, loadDemoData: false };
      const running = await startApp({ config, modules, version });
      try {
        const seeded = await resetDemoData(running.app, modules);
        process.stdout.write(
          `Demo data reset in ${running.app.database.description}${seeded.length ? ` (${seeded.join(', ')})` : ''}\n`,
        );
      } finally {
        await running.close();
      }
    });
}
