import type { Command } from 'commander';
import { startApp } from '#platform/app';
import { loadConfig } from '#platform/config';
import { modules, version, webDist } from '../../main.ts';
import { buildWebIfStale } from '../web-build.ts';

export function register(program: Command) {
  program
    .command('serve')
    .description('Start the API, the web app and the job workers')
    .option('--no-web-build', 'do not build the web app when it is missing or stale')
    .action(async (options: { webBuild: boolean }) => {
      const config = loadConfig();
      const say = (line: string) => process.stdout.write(`${line}\n`);
      if (options.webBuild) await buildWebIfStale(say);
      const running = await startApp({ config, modules, version, webDist, listen: true });
      const { app } = running;
      say(`partnerdesk ${version}`);
      say(`  database: ${app.database.description}`);
      say(`  mail:     ${app.mail.summary}`);
      say(
        `  jobs:     ${config.runJobs ? 'workers running in this process' : 'RUN_JOBS=false: this process only sends jobs'}`,
      );
      if (running.generatedSecretKey) {
        say(
          `  secrets:  generated a secret key into ${config.dataDir} (set PARTNERDESK_SECRET_KEY to manage it yourself)`,
        );
      }
      if (running.seeded.length > 0) say(`  demo:     demo data loaded (${running.seeded.join(', ')})`);
      for (const module of modules) {
        for (const line of (await module.startupNotes?.(app, running.seeded)) ?? []) say(line);
      }
      say(`Open ${running.url}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(`${signal}: finishing in-flight requests and jobs…`);
        running.close().then(
          () => process.exit(0),
          (error: unknown) => {
            app.log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
