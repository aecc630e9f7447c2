import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { pruneAuditBefore, pseudonymiseActor } from '#modules/audit';
import { type AppContext, startApp } from '#platform/app';
import { loadConfig } from '#platform/config';
import { modules, version } from '../../main.ts';

/** The operator as the audit log names them: the account running the command. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}

async function withApp(work: (app: AppContext) => Promise<string>): Promise<void> {
  const config = { ...loadConfig(), runJobs: false, loadDemoData: false };
  const running = await startApp({ config, modules, version });
  try {
    process.stdout.write(`${await work(running.app)}\n`);
  } finally {
    await running.close();
  }
}

export function register(program: Command) {
  const audit = program.command('audit').description('Audit log maintenance (each run is itself recorded)');
  audit
    .command('prune')
    .description("Delete every partner's audit events from before the start of a month (UTC)")
    .requiredOption('--before <YYYY-MM>', 'the first month to keep, e.g. 2025-01')
    .requiredOption('--yes', 'confirm that the older audit events of every partner are to be deleted')
    .action(async (options: { before: string }) => {
      await withApp(async (app) => {
        const { deleted, cutoff } = await pruneAuditBefore(app, operatorName(), options.before);
        return `Deleted ${deleted} audit events from before ${cutoff.toISOString()} (recorded as audit.pruned)`;
      });
    });
  audit
    .command('pseudonymise')
    .description("Replace an erased person's name on their audit events with a pseudonym")
    .requiredOption('--actor <id>', 'the user id of the erased person')
    .requiredOption('--yes', "confirm that the person's name is to be removed from the audit log for good")
    .action(async (options: { actor: string }) => {
      await withApp(async (app) => {
        const { pseudonym, updated } = await pseudonymiseActor(app, operatorName(), options.actor);
        return `Relabelled ${updated} audit events of ${options.actor} as ${pseudonym} (recorded as audit.actor_pseudonymised)`;
      });
    });
}
