import type { SQL } from 'drizzle-orm';
import type { Database, Queryable, Tx } from './database.ts';

/**
 * Runs `work` in one transaction: committed when it returns, rolled back when it throws. Never call an
 * outside system (Microsoft, SMTP) inside `work`: on PGlite every other query waits for the
 * transaction, and on a server it holds locks across the network. Write to the outbox instead.
 */
export function withTransaction<T>(database: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return database.db.transaction((tx) => work(tx as Tx));
}

/** Rows of a raw SQL query, the same on PGlite and node-postgres. */
export async function selectRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
