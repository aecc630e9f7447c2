import { sql } from 'drizzle-orm';
import { selectRows } from '#platform/db';
import type { AppContext, AppModule } from './context.ts';
import { demoSeeds } from './schema.ts';

/** Runs each module's demo seed once, in module order; returns the modules that seeded now. */
export async function seedDemoData(app: AppContext, modules: readonly AppModule[]): Promise<string[]> {
  const done = new Set((await app.database.db.select().from(demoSeeds)).map((row) => row.module));
  const seeded: string[] = [];
  for (const module of modules) {
    if (!module.seedDemo || done.has(module.name)) continue;
    await module.seedDemo(app);
    await app.database.db.insert(demoSeeds).values({ module: module.name }).onConflictDoNothing();
    seeded.push(module.name);
  }
  return seeded;
}

/**
 * Empties every table of the installation and seeds the demo again. Only for demo installations:
 * the CLI asks for confirmation and says what it removes.
 */
export async function resetDemoData(app: AppContext, modules: readonly AppModule[]): Promise<string[]> {
  const tables = await selectRows<{ name: string }>(
    app.database.db,
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`,
  );
  const names = tables.map((row) => row.name);
  if (names.length > 0) {
    await app.database.db.execute(sql.raw(`TRUNCATE ${names.join(', ')} CASCADE`));
  }
  await app.database.db.execute(sql`delete from pgboss.job`);
  return seedDemoData(app, modules);
}
