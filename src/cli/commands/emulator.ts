import { resolve } from 'node:path';
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
    .option('--data <dir>', "folder of the emulator's own database, kept across restarts", './data/emulator')
    .option('--reset', 'forget the changes saved in --data and start again from the seed')
    .action(async (options: { port: string; host: string; seed: string; data: string; reset?: true }) => {
      const emulator = await startEmulator({
        port: portOf(options.port),
        host: options.host,
        seed: options.seed,
        dataDir: resolve(options.data),
        reset: options.reset ?? false,
      }).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
        throw invalid('emulator.port', `--port ${options.port} is in use; 0 picks a free one`, {
          field: 'port',
        });
      });
      const say = (line: string) => process.stdout.write(`${line}\n`);
      say(`Partner Center emulator listening on ${emulator.url}`);
      say(`  state: ${emulator.storage}`);
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
