import { rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { INSTALLATION, recordAudit } from '#modules/audit';
import { currentTotp, demoTotpSecret, demoUsers } from '#modules/identity';
import type { Caller } from '#platform/actor';
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
        const operator: Caller = { actor: { kind: 'operator', name: userInfo().username } };
        const seeded = await resetDemoData(running.app, modules, (tx) =>
          recordAudit(tx, operator, {
            partnerId: INSTALLATION,
            action: 'demo.reset',
            target: { type: 'installation' },
          }),
        );
        process.stdout.write(
          `Demo data reset in ${running.app.database.description}${seeded.length ? ` (${seeded.join(', ')})` : ''}\n`,
        );
        if (config.runEmulator) {
          // The demo's Microsoft goes back to its seed too: what was suspended, revoked or changed there
          // would otherwise come back into the fresh demo at its first sync.
          const emulatorData = join(config.dataDir, 'emulator');
          await rm(emulatorData, { recursive: true, force: true });
          process.stdout.write(
            `The demo's Partner Center emulator (${emulatorData}) starts again from its seed\n`,
          );
        }
      } finally {
        await running.close();
      }
    });
  demo
    .command('codes')
    .description('Print the current TOTP codes of the demo accounts (they change every 30 seconds)')
    .action(() => {
      const now = new Date();
      for (const user of demoUsers.filter((demoUser) => demoUser.mfa)) {
        process.stdout.write(`${currentTotp(demoTotpSecret(user.email), now)}  ${user.email}\n`);
      }
    });
}
