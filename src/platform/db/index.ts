export { type BulkLoad, bulkLoad, copyLine } from './bulk-load.ts';
export {
  type Database,
  type Db,
  type OpenOptions,
  openDatabase,
  type PgliteDatabase,
  type PostgresDatabase,
  type Queryable,
  type Tx,
} from './database.ts';
export { migrate, migrationsFolder } from './migrate.ts';
export { byTenantKey, type Scope, scoped, tenantColumns, tenantPrimaryKey } from './tenancy.ts';
export { selectRows, withTransaction } from './transaction.ts';
