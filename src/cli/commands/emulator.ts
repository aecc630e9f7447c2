import type { Command } from 'commander';
import { defaultEmulatorSeed, startEmulator } from '#modules/partner-center';
import { invalid } from '#platform/errors';

function portOf(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw invalid('emulator.port', `--port must be a whole number from 0 to 65535, not "${raw}"`, {
      field: 'port',
    });
  }
  return port;
}

export function register(program: Command) {
  program
    .command('emulator')
    .description('Start a local emulator of Microsoft Entra tokens and the Partner Center API')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <seed>', 'seed string the ids and secrets derive from', defaultEmulatorSeed)
    .action(async (options: { port: string; host: string; seed: string }) => {
      const emulator = await startEmulator({
        port: portOf(options.port),
        host: options.host,
        seed: options.seed,
      });
      const say = (line: string) => process.stdout.write(`${line}\n`);
      say(`Partner Center emulator listening on ${emulator.url}`);
      say(`  token authority and Partner Center base URL: ${emulator.url}`);
      say(`  admin: ${emulator.url}/_emulator/state, ${emulator.url}/_emulator/faults`);
      for (const credentials of emulator.admin.credentials) {
        say('');
        say(`${credentials.partnerName} (${credentials.cloud})`);
        say(`  tenant:        ${credentials.tenantId} (${credentials.domain})`);
        say(`  client id:     ${credentials.clientId}`);
        say(`  client secret: ${credentials.clientSecret}`);
        say(`  refresh token: ${credentials.refreshToken} (consented by ${credentials.userPrincipalName})`);
      }
      const stop = () => {
        emulator.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
