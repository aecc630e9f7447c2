import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { foreignKey, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { engines, openTestDatabase } from '#test/database';
import {
  bulkLoad,
  type Database,
  migrate,
  openDatabase,
  scoped,
  selectRows,
  tenantColumns,
  tenantPrimaryKey,
  withTransaction,
} from './index.ts';

// Tables made by these tests only, shaped like every tenant-owned table.
const customers = pgTable('t_customers', { ...tenantColumns(), name: text('name').notNull() }, (t) => [
  tenantPrimaryKey(t),
]);
const invoices = pgTable(
  't_invoices',
  { ...tenantColumns(), customerId: uuid('customer_id').notNull(), total: numeric('total').notNull() },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId, t.customerId], foreignColumns: [customers.partnerId, customers.id] }),
  ],
);

const partnerA = '00000000-0000-4000-8000-00000000000a';
const partnerB = '00000000-0000-4000-8000-00000000000b';

for (const engine of engines()) {
  describe(`db on ${engine}`, () => {
    let database: Database;
    before(async () => {
      database = await openTestDatabase(engine);
      for (const statement of [
        sql`create table t_customers (partner_id uuid not null, id uuid not null default gen_random_uuid(),
              name text not null, primary key (partner_id, id))`,
        sql`create table t_invoices (partner_id uuid not null, id uuid not null default gen_random_uuid(),
              customer_id uuid not null, total numeric not null, primary key (partner_id, id),
              foreign key (partner_id, customer_id) references t_customers (partner_id, id))`,
        sql`create table t_load (n integer, label text, note text, at timestamptz, flag boolean, data jsonb)`,
      ]) {
        await database.db.execute(statement);
      }
    });
    after(() => database.close());

    it('withTransaction › commits when the work returns and rolls back everything when it throws', async () => {
      await withTransaction(database, (tx) =>
        tx.insert(customers).values({ partnerId: partnerA, name: 'Kept' }),
      );
      await assert.rejects(
        withTransaction(database, async (tx) => {
          await tx.insert(customers).values({ partnerId: partnerA, name: 'Lost' });
          throw new Error('boom');
        }),
        /boom/,
      );
      const names = (await database.db.select().from(customers)).map((row) => row.name);
      assert.deepEqual(names, ['Kept']);
    });

    it('numeric values › come back as exact strings, never floats', async () => {
      const [customer] = await database.db
        .insert(customers)
        .values({ partnerId: partnerA, name: 'Exact' })
        .returning();
      await database.db.insert(invoices).values({
        partnerId: partnerA,
        customerId: customer!.id,
        total: '0.1000000000000000055511151231257827',
      });
      const [row] = await database.db.select().from(invoices).where(eq(invoices.customerId, customer!.id));
      assert.equal(row!.total, '0.1000000000000000055511151231257827');
    });

    it('composite foreign keys › refuse a row of partner B pointing at a customer of partner A', async () => {
      const [customer] = await database.db
        .insert(customers)
        .values({ partnerId: partnerA, name: 'Of A' })
        .returning();
      await assert.rejects(
        database.db.insert(invoices).values({ partnerId: partnerB, customerId: customer!.id, total: '1' }),
        (error: Error & { cause?: { code?: string } }) =>
          (error.cause?.code ?? (error as { code?: string }).code) === '23503',
      );
    });

    it('scoped › keeps a query inside the partner, and inside the customer for customer actors', async () => {
      const [a1] = await database.db
        .insert(customers)
        .values({ partnerId: partnerA, name: 'A1' })
        .returning();
      const [a2] = await database.db
        .insert(customers)
        .values({ partnerId: partnerA, name: 'A2' })
        .returning();
      const [b1] = await database.db
        .insert(customers)
        .values({ partnerId: partnerB, name: 'B1' })
        .returning();
      for (const customer of [a1!, a2!, b1!]) {
        await database.db
          .insert(invoices)
          .values({ partnerId: customer.partnerId, customerId: customer.id, total: '10' });
      }
      const ofPartnerB = await database.db
        .select()
        .from(invoices)
        .where(scoped(invoices, { partnerId: partnerB }));
      assert.deepEqual(
        ofPartnerB.map((row) => row.customerId),
        [b1!.id],
      );
      const ofCustomerA2 = await database.db
        .select()
        .from(invoices)
        .where(scoped(invoices, { partnerId: partnerA, customerId: a2!.id }));
      assert.deepEqual(
        ofCustomerA2.map((row) => row.customerId),
        [a2!.id],
      );
      // Another partner's id with the right customer id finds nothing: "not found", never "forbidden".
      const crossed = await database.db
        .select()
        .from(invoices)
        .where(scoped(invoices, { partnerId: partnerB, customerId: a2!.id }, eq(invoices.total, '10')));
      assert.equal(crossed.length, 0);
      assert.throws(
        () => scoped(customers, { partnerId: partnerA, customerId: a2!.id }),
        /customer-scoped actor/,
      );
    });

    it('bulkLoad › loads every row exactly, in chunks, with special characters and nulls intact', async () => {
      const tricky = 'tab\there, newline\nthere, backslash \\ and \\N, «ünïcödé» 中文';
      function* rows() {
        for (let n = 0; n < 2_500; n++) {
          yield [
            n,
            n % 7 === 0 ? tricky : `row ${n}`,
            n % 5 === 0 ? null : 'x',
            new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
            n % 2 === 0,
            { n },
          ];
        }
      }
      const progress: number[] = [];
      const loaded = await bulkLoad(database, {
        table: 't_load',
        columns: ['n', 'label', 'note', 'at', 'flag', 'data'],
        rows: rows(),
        chunkRows: 1_000,
        onProgress: (count) => progress.push(count),
      });
      assert.equal(loaded, 2_500);
      assert.deepEqual(progress, [1_000, 2_000, 2_500]);
      const [summary] = await selectRows<{ count: string; nulls: string; tricky: string; evens: string }>(
        database.db,
        sql`select count(*)::text as count, count(*) filter (where note is null)::text as nulls,
              count(*) filter (where label = ${tricky})::text as tricky, count(*) filter (where flag)::text as evens from t_load`,
      );
      assert.deepEqual(summary, { count: '2500', nulls: '500', tricky: '358', evens: '1250' });
      const [last] = await selectRows<{ at: string; data: { n: number } }>(
        database.db,
        sql`select to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at, data from t_load where n = 2499`,
      );
      assert.deepEqual(last, { at: '2026-01-01 00:41:39', data: { n: 2499 } });
    });

    it('bulkLoad › an empty source loads nothing and opens no COPY', async () => {
      assert.equal(await bulkLoad(database, { table: 't_load', columns: ['n'], rows: [] }), 0);
    });

    it('bulkLoad › a bad value fails the load, and the chunks before it stay committed (callers hide them by run id)', async () => {
      await database.db.execute(sql`create table t_strict (n integer not null)`);
      const rows = [[1], [2], ['not a number']];
      await assert.rejects(
        bulkLoad(database, { table: 't_strict', columns: ['n'], rows, chunkRows: 2 }),
        /integer|invalid input/i,
      );
      const [count] = await selectRows<{ count: string }>(
        database.db,
        sql`select count(*)::text as count from t_strict`,
      );
      assert.equal(count!.count, '2');
    });
  });
}

if (engines().includes('postgres')) {
  describe('migrate on postgres', () => {
    it('several processes starting at once › one migrates, the others wait and find nothing to do', async () => {
      const name = `partnerdesk_migrate_${process.pid}`;
      const base = new URL(process.env.TEST_DATABASE_URL!);
      const admin = new pg.Client({ connectionString: base.toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.query(`CREATE DATABASE "${name}"`);
      base.pathname = `/${name}`;
      const databases = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ databaseUrl: base.toString(), poolSize: 2 })),
      );
      try {
        await Promise.all(databases.map((database) => migrate(database)));
        const [applied] = await selectRows<{ count: string }>(
          databases[0]!.db,
          sql`select count(*)::text as count from drizzle.__drizzle_migrations`,
        );
        const files = (await import('node:fs'))
          .readdirSync(new URL('../../../drizzle', import.meta.url))
          .filter((f) => f.endsWith('.sql'));
        assert.equal(Number(applied!.count), files.length);
      } finally {
        await Promise.all(databases.map((database) => database.close()));
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
    });
  });
}
