import type { Command } from 'commander';
import { loadConfig } from '#platform/config';
import { migrate, openDatabase } from '#platform/db';

export function register(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations (start-up does this too)')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrate(database);
        process.stdout.write(`Migrations applied to ${database.description}\n`);
      } finally {
        await database.close();
      }
    });
}
