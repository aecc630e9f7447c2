import { Command } from 'commander';
import { isDomainError } from '#platform/errors';
import { version } from '../main.ts';
import * as audit from './commands/audit.ts';
import * as demo from './commands/demo.ts';
import * as emulator from './commands/emulator.ts';
import * as importCommand from './commands/import.ts';
import * as migrate from './commands/migrate.ts';
import * as partners from './commands/partners.ts';
import * as serve from './commands/serve.ts';
import * as users from './commands/users.ts';

const program = new Command('partnerdesk')
  .description('Billing and support desk for Microsoft CSP partners')
  .version(version)
  .showHelpAfterError();

for (const command of [serve, migrate, partners, users, audit, demo, emulator, importCommand])
  command.register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Configuration and input errors are the user's to fix: say what and where, without a stack trace.
  if (isDomainError(error)) {
    process.stderr.write(`partnerdesk: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
