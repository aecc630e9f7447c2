import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, openDatabase, selectRows } from '#platform/db';
import { seedStore } from './seed.ts';
import type { Store } from './store.ts';

/**
 * The emulator's own database: an embedded PGlite in a folder, separate from partnerdesk's. Only what
 * requests change is kept — an explicit list below — and everything else (apps, derived billing data)
 * is rebuilt from the seed at every start, so a new derived field needs no change here. Access tokens
 * are dropped: clients simply ask for new ones.
 *
 * A table per collection, a jsonb row per item keyed by its id, with its position in the list: a
 * request writes only the rows it changed (a PATCH one subscription row, a token grant one refresh
 * token), where one blob of the whole state would be rewritten, audit log included, on every request.
 */
interface Collection {
  table: string;
  /** The items in order, each with its id. */
  rows(store: Store): Array<[id: string, item: unknown]>;
  /** Puts saved items back into the seeded store, in place: routes hold the store, not its lists. */
  restore(store: Store, rows: Array<[id: string, item: unknown]>): void;
}

type ListKey = { [K in keyof Store]: Store[K] extends unknown[] ? K : never }[keyof Store];
type MapKey = { [K in keyof Store]: Store[K] extends Map<string, unknown> ? K : never }[keyof Store];
type ItemOf<K extends ListKey> = Store[K] extends Array<infer Item> ? Item : never;

function list<K extends ListKey>(key: K, table: string, idOf: (item: ItemOf<K>) => string): Collection {
  return {
    table,
    rows: (store) => (store[key] as ItemOf<K>[]).map((item) => [idOf(item), item]),
    restore(store, rows) {
      const items = store[key] as unknown[];
      items.length = 0;
      for (const [, item] of rows) items.push(item);
    },
  };
}

function map<K extends MapKey>(key: K, table: string): Collection {
  return {
    table,
    rows: (store) => [...(store[key] as Map<string, unknown>)],
    restore(store, rows) {
      const items = store[key] as Map<string, unknown>;
      items.clear();
      for (const [id, item] of rows) items.set(id, item);
    },
  };
}

const collections: readonly Collection[] = [
  {
    // Of a partner tenant only its support profile can change (PUT /v1/profiles/supportprofile).
    table: 'support_profiles',
    rows: (store) => store.partners.map((partner) => [partner.tenantId, partner.supportProfile]),
    restore(store, rows) {
      const saved = new Map(rows);
      for (const partner of store.partners) {
        const profile = saved.get(partner.tenantId) as
          | Store['partners'][number]['supportProfile']
          | undefined;
        if (profile) partner.supportProfile = profile;
      }
    },
  },
  list('customers', 'customers', (customer) => customer.id),
  list('subscriptions', 'subscriptions', (subscription) => subscription.id),
  list('orders', 'orders', (order) => `${order.customerId}/${order.id}`),
  list('auditRecords', 'audit_records', (record) => String(record.sequence)),
  list('serviceRequests', 'service_requests', (request) => request.id),
  map('grants', 'grants'),
  map('refreshTokens', 'refresh_tokens'),
  map('customerCreations', 'customer_creations'),
];

/** JSON with Dates kept as Dates: `{"$date": "…"}` on the way in, a Date again on the way out. */
function serialize(item: unknown): string {
  return JSON.stringify(item, function (this: Record<string, unknown>, key, value) {
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : value;
  });
}

function deserialize(text: string): unknown {
  return JSON.parse(text, (_key, value) =>
    value !== null &&
    typeof value === 'object' &&
    typeof value.$date === 'string' &&
    Object.keys(value).length === 1
      ? new Date(value.$date)
      : value,
  );
}

/** What is stored for an item: its position and content, compared to find what a request changed. */
type Saved = Map<string, string>;

function snapshot(collection: Collection, store: Store): Map<string, { position: number; json: string }> {
  return new Map(
    collection.rows(store).map(([id, item], position) => [id, { position, json: serialize(item) }]),
  );
}

const signature = (row: { position: number; json: string }) => `${row.position}:${row.json}`;

/**
 * What the seed builds, as stored: a change to the seed plan (or to the shape of what is kept) makes
 * the saved state another seed's, so it is seeded again rather than half-restored.
 */
function seedPlan(seed: string): string {
  const { store } = seedStore(seed, new Date(0));
  const hash = createHash('sha256');
  for (const collection of collections) {
    for (const row of snapshot(collection, store).values()) hash.update(signature(row));
  }
  return hash.digest('hex');
}

export interface EmulatorPersistence {
  /** Where the state lives and whether it was restored, for start-up messages. */
  description: string;
  /** Writes what changed since the last save, in one transaction; saves run one after another. */
  save(store: Store): Promise<void>;
  close(): Promise<void>;
}

export interface PersistenceOptions {
  dataDir: string;
  seed: string;
  /** Forget the saved state and start again from the seed. */
  reset?: boolean;
}

/**
 * Opens the emulator's database in `dataDir` (creating its tables when missing) and either restores
 * the state saved for this seed into `store` — a store freshly seeded — or saves `store` as the start.
 */
export async function openPersistence(
  options: PersistenceOptions,
  store: Store,
): Promise<EmulatorPersistence> {
  const database = await openDatabase({ dataDir: options.dataDir });
  try {
    await createTables(database);
    const plan = seedPlan(options.seed);
    const [saved] = await selectRows<{ seed: string; plan: string }>(
      database.db,
      sql`select seed, plan from seed`,
    );
    const restore = !options.reset && saved?.seed === options.seed && saved.plan === plan;
    if (restore) {
      for (const collection of collections) {
        const rows = await selectRows<{ id: string; item: string }>(
          database.db,
          sql`select id, item::text as item from ${sql.identifier(collection.table)} order by position`,
        );
        collection.restore(
          store,
          rows.map((row) => [row.id, deserialize(row.item)]),
        );
      }
    } else {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`delete from seed`);
        for (const collection of collections)
          await tx.execute(sql`delete from ${sql.identifier(collection.table)}`);
      });
    }
    const written = new Map<Collection, Saved>(
      collections.map((collection) => [
        collection,
        restore
          ? new Map([...snapshot(collection, store)].map(([id, row]) => [id, signature(row)]))
          : new Map(),
      ]),
    );
    let queue: Promise<void> = Promise.resolve();
    const save = (current: Store) => {
      const run = queue.then(() => writeChanges(database, written, current));
      queue = run.catch(() => {});
      return run;
    };
    if (!restore) {
      await save(store);
      // Named last: a start interrupted while seeding leaves no seed, so the next one seeds again.
      await database.db.execute(sql`insert into seed (seed, plan) values (${options.seed}, ${plan})`);
    }
    return {
      description: `${database.description} (${restore ? 'saved state restored' : `seeded from "${options.seed}"`})`,
      save,
      close: async () => {
        await queue;
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

async function createTables(database: Database): Promise<void> {
  await database.db.execute(sql`create table if not exists seed (seed text not null, plan text not null)`);
  for (const { table } of collections) {
    await database.db.execute(
      sql`create table if not exists ${sql.identifier(table)} (
        id text primary key, position integer not null, item jsonb not null)`,
    );
  }
}

/** Rows per insert: far below PostgreSQL's 65,535 parameters at three a row. */
const CHUNK = 1000;

async function writeChanges(
  database: Database,
  written: Map<Collection, Saved>,
  store: Store,
): Promise<void> {
  const statements: SQL[] = [];
  const nowWritten = new Map<Collection, Saved>();
  for (const [collection, saved] of written) {
    const current = snapshot(collection, store);
    const table = sql.identifier(collection.table);
    const changed = [...current].filter(([id, row]) => saved.get(id) !== signature(row));
    const removed = [...saved.keys()].filter((id) => !current.has(id));
    if (changed.length === 0 && removed.length === 0) continue;
    for (let start = 0; start < changed.length; start += CHUNK) {
      const values = changed
        .slice(start, start + CHUNK)
        .map(([id, row]) => sql`(${id}, ${row.position}, ${row.json}::jsonb)`);
      statements.push(
        sql`insert into ${table} (id, position, item) values ${sql.join(values, sql`, `)}
            on conflict (id) do update set position = excluded.position, item = excluded.item`,
      );
    }
    if (removed.length > 0) {
      statements.push(
        sql`delete from ${table} where id in (${sql.join(
          removed.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      );
    }
    nowWritten.set(collection, new Map([...current].map(([id, row]) => [id, signature(row)])));
  }
  if (statements.length === 0) return;
  await database.db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(statement);
  });
  for (const [collection, saved] of nowWritten) written.set(collection, saved);
}
