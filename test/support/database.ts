import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { fromPglite, PgBoss } from 'pg-boss';
import { type Database, migrate, migrationsFolder, openDatabase } from '#platform/db';

export type Engine = 'pglite' | 'postgres';

const root = fileURLToPath(new URL('../..', import.meta.url));
const templateDir = join(root, 'test-results', 'templates');

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL names a server (CI sets it). */
export function engines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Templates are keyed by the migrations and the job queue's version: a change makes new ones. */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    const path = join(migrationsFolder, file);
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(path));
  }
  hash.update(JSON.parse(readFileSync(join(root, 'node_modules/pg-boss/package.json'), 'utf8')).version);
  return hash.digest('hex').slice(0, 12);
}

function serverUrl(database?: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

async function installJobSchema(boss: PgBoss) {
  await boss.start();
  await boss.stop({ graceful: false, close: true });
}

/** Migrates a PGlite database once and keeps it as a data-directory image for every test file. */
async function pgliteTemplate(key: string): Promise<string> {
  const file = join(templateDir, `pglite-${key}.tar.gz`);
  if (existsSync(file)) return file;
  const database = await openDatabase({});
  if (database.engine !== 'pglite') throw new Error('expected PGlite');
  await migrate(database);
  await installJobSchema(
    new PgBoss({ db: fromPglite(database.client), backend: 'pglite', schema: 'pgboss' }),
  );
  const image = await database.client.dumpDataDir('gzip');
  await database.close();
  await mkdir(templateDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, Buffer.from(await image.arrayBuffer()));
  await rename(temporary, file);
  return file;
}

/** Migrates a PostgreSQL database once and marks it a template for `CREATE DATABASE … TEMPLATE`. */
async function postgresTemplate(key: string): Promise<string> {
  const name = `partnerdesk_template_${key}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1 and datistemplate', [name]);
    if (found.rowCount === 1) return name;
    const building = `${name}_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const database = await openDatabase({ databaseUrl: serverUrl(building), poolSize: 2 });
    await migrate(database);
    await installJobSchema(new PgBoss({ connectionString: serverUrl(building), schema: 'pgboss', max: 2 }));
    await database.close();
    try {
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      await admin.query(`ALTER DATABASE "${name}" IS_TEMPLATE true`);
    } catch (error) {
      // Another process finished the same template first: ours is not needed.
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
    return name;
  } finally {
    await admin.end();
  }
}

/** Builds the templates of every engine in use; `npm test` runs this once before the test files. */
export async function prepareTemplates(): Promise<void> {
  const key = templateKey();
  for (const engine of engines()) {
    if (engine === 'pglite') await pgliteTemplate(key);
    else await postgresTemplate(key);
  }
}

/** A fresh, migrated database for one test file: a copy of the template, dropped when closed. */
export async function openTestDatabase(engine: Engine): Promise<Database> {
  const key = templateKey();
  if (engine === 'pglite') {
    const image = await readFile(await pgliteTemplate(key));
    return openDatabase({ loadDataDir: new Blob([image]) });
  }
  const template = await postgresTemplate(key);
  const name = `partnerdesk_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: serverUrl(name), poolSize: 5 });
  const close = database.close;
  database.close = async () => {
    await close();
    const cleanup = new pg.Client({ connectionString: serverUrl() });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  };
  return database;
}
