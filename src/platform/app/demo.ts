import { sql } from 'drizzle-orm';
import { selectRows, type Tx, withTransaction } from '#platform/db';
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
export async function resetDemoData(
  app: AppContext,
  modules: readonly AppModule[],
  /** Records the reset in the same transaction as the emptying (the audit log lives in a module). */
  record: (tx: Tx) => Promise<unknown>,
): Promise<string[]> {
  await withTransaction(app.database, async (tx) => {
    const tables = await selectRows<{ name: string }>(
      tx,
      sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`,
    );
    // The audit log refuses TRUNCATE except to maintenance; the caller records the reset itself.
    await tx.execute(sql`set local partnerdesk.audit_maintenance = 'on'`);
    if (tables.length > 0)
      await tx.execute(sql.raw(`TRUNCATE ${tables.map((row) => row.name).join(', ')} CASCADE`));
    await tx.execute(sql`delete from pgboss.job`);
    await record(tx);
  });
  return seedDemoData(app, modules);
}
