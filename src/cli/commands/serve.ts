import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { type RunningEmulator, startEmulator } from '#modules/partner-center';
import { connectDemoPartnersTo } from '#modules/partners';
import { type SyncRun, scheduleDueSyncs, syncRunById } from '#modules/subscriptions';
import { scheduleDailyPulls } from '#modules/vendor-bills';
import { type RunningApp, startApp } from '#platform/app';
import { type Config, loadConfig } from '#platform/config';
import { invalid } from '#platform/errors';
import { modules, version, webDist } from '../../main.ts';
import { buildWebIfStale } from '../web-build.ts';

/**
 * The demo's Partner Center: the emulator in this process, its state in DATA_DIR/emulator, with the
 * demo partners' connections pointed at it. Not started without demo data or with EMULATOR=off.
 */
async function startDemoEmulator(
  config: Config,
  running: RunningApp,
): Promise<{ emulator: RunningEmulator; connected: number; syncs: number } | undefined> {
  if (!config.loadDemoData || !config.runEmulator) return undefined;
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ port: config.emulatorPort, dataDir: join(config.dataDir, 'emulator') });
  } catch (error) {
    await running.close();
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    throw invalid(
      'emulator-port-in-use',
      `EMULATOR_PORT ${config.emulatorPort} is in use (another partnerdesk or \`partnerdesk emulator\`?): set EMULATOR_PORT=0 for any free port, or EMULATOR=off`,
      { field: 'EMULATOR_PORT' },
    );
  }
  try {
    const connected = await connectDemoPartnersTo(running.app, emulator.url);
    // The demo's customers and subscriptions come from the emulator: sync now rather than at the next tick.
    const syncs = await scheduleDueSyncs(running.app);
    // Without job workers here the syncs wait for another process; so do the pulls, at their schedule.
    if (config.runJobs) {
      pullDemoBillsAfter(running.app, syncs).catch((error: unknown) =>
        running.app.log.warn({ err: error }, 'the demo could not pull its Microsoft bills'),
      );
    }
    return { emulator, connected, syncs: syncs.length };
  } catch (error) {
    await running.close();
    await emulator.close();
    throw error;
  }
}

/**
 * The demo's Microsoft bills are pulled once its first syncs are done, so that their lines find the
 * customers the syncs bring in; later days the schedule pulls what is new.
 */
async function pullDemoBillsAfter(app: RunningApp['app'], syncs: readonly SyncRun[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const run of syncs) {
    while (Date.now() < deadline) {
      const current = await syncRunById(app.database.db, run.partnerId, run.id);
      if (current?.status !== 'running') break;
      await delay(500);
    }
  }
  await scheduleDailyPulls(app);
}

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
      const demoEmulator = await startDemoEmulator(config, running);
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
      if (demoEmulator) {
        const { emulator, connected, syncs } = demoEmulator;
        say(`  emulator: Partner Center emulator at ${emulator.url}, ${emulator.storage}`);
        if (connected > 0) {
          say(
            `  emulator: the demo partners' ${connected} Partner Center connections go to this local emulator, not to Microsoft`,
          );
        }
        if (syncs > 0) {
          say(
            `  sync:     ${syncs} Partner Center syncs started (customers and subscriptions from the emulator); Microsoft's bills are pulled after them`,
          );
        }
      }
      for (const module of modules) {
        for (const line of (await module.startupNotes?.(app, running.seeded)) ?? []) say(line);
      }
      say(`Open ${running.url}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(`${signal}: finishing in-flight requests and jobs…`);
        running
          .close()
          .then(() => demoEmulator?.emulator.close())
          .then(
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
