import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

/** Any drizzle database over PostgreSQL: the same queries run on PGlite and on a server. */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;
/** Where a query can run: the database itself or an open transaction. */
export type Queryable = Db | Tx;

interface DatabaseBase {
  db: Db;
  /** Where it lives, for start-up messages (never with a password). */
  description: string;
  close(): Promise<void>;
}

export interface PgliteDatabase extends DatabaseBase {
  engine: 'pglite';
  client: PGlite;
}

export interface PostgresDatabase extends DatabaseBase {
  engine: 'postgres';
  pool: pg.Pool;
  connectionString: string;
}

export type Database = PgliteDatabase | PostgresDatabase;

/** NUMERIC, BIGINT and dates come back as strings so no amount is ever turned into a float. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.NUMERIC || oid === pg.types.builtins.INT8) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface OpenOptions {
  /** A PostgreSQL connection string; without it an embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `undefined` keeps it in memory. */
  dataDir?: string | undefined;
  /** A dumped PGlite data directory to start from (test templates). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(
  dataDir: string | undefined,
  loadDataDir: Blob | undefined,
): Promise<PgliteDatabase> {
  let dir: string | undefined;
  if (dataDir) {
    dir = join(dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    // PGlite parses NUMERIC to float by default: keep exact strings, as node-postgres does above.
    parsers: { 1700: (value: string) => value, 20: (value: string) => value },
  });
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    engine: 'pglite',
    client,
    db,
    description: dir ? `embedded PGlite in ${dir}` : 'embedded PGlite in memory',
    close: () => client.close(),
  };
}

async function openPostgres(connectionString: string, poolSize: number): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString, max: poolSize, types: pgTypes });
  // An idle connection the server drops (restart, admin command) is replaced on next use; without a
  // listener node-postgres would turn it into an uncaught exception that ends the process.
  pool.on('error', () => {});
  // A failed first connection is reported at start, not at the first request.
  const probe = await pool.connect();
  probe.release();
  const db = drizzleNodePg({ client: pool }) as unknown as Db;
  const url = new URL(connectionString);
  url.password = '';
  return {
    engine: 'postgres',
    pool,
    connectionString,
    db,
    description: `PostgreSQL at ${url.host}${url.pathname}`,
    close: () => pool.end(),
  };
}
