import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createCustomer } from '#modules/customers';
import { type RunningEmulator, type SeededCredentials, startEmulator } from '#modules/partner-center';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { modules } from '../../main.ts';

interface SubscriptionRow {
  id: string;
  partner_id: string;
  customer_id: string;
  microsoft_id: string;
  quantity: number;
  status: string;
  notes: string | null;
  updated_at: Date | string;
  upstream_removed_at: Date | string | null;
}

interface CustomerRow {
  id: string;
  partner_id: string;
  tenant_id: string | null;
  domain: string;
  source: string;
  synced_at: Date | string | null;
  upstream_removed_at: Date | string | null;
  updated_at: Date | string;
}

for (const engine of engines()) {
  describe(`subscriptions › Partner Center sync on ${engine}`, () => {
    let running: RunningApp;
    let emulator: RunningEmulator;
    let pub: SeededCredentials;
    let northwind: string;

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      pub = emulator.admin.credentials.find((seeded) => seeded.cloud === 'public')!;
      running = await startTestApp({ engine, modules, authenticator: headerAuthenticator });
      northwind = await createTestPartner(running.app, 'northwind', { currency: 'EUR' });
      await connect(northwind);
    });
    after(async () => {
      await running.close();
      await emulator.close();
    });

    const admin = (partnerId: string) =>
      staffHeader(
        partnerId,
        ['partner.manage', 'customers.read', 'subscriptions.read'],
        `admin-${partnerId}`,
      );
    const inject = (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => running.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    async function connect(partnerId: string) {
      const saved = await inject('PUT', '/api/v1/partner/connections/public', admin(partnerId), {
        tenantId: pub.tenantId,
        clientId: pub.clientId,
        clientSecret: pub.clientSecret,
        refreshToken: pub.refreshToken,
        baseUrl: emulator.url,
        authority: emulator.url,
      });
      assert.equal(saved.statusCode, 200, saved.body);
    }

    /** Starts a sync through the API and waits for it to end; answers the finished run. */
    async function sync(partnerId: string, kind: 'full' | 'activity' = 'full') {
      const started = await inject('POST', '/api/v1/partner-center/syncs', admin(partnerId), {
        cloud: 'public',
        kind,
      });
      assert.equal(started.statusCode, 202, started.body);
      const { sync: run, jobId } = started.json();
      assert.equal(run.jobId, jobId);
      return eventually(
        `sync ${run.id} to finish`,
        async () => {
          const read = await inject('GET', `/api/v1/partner-center/syncs/${run.id}`, admin(partnerId));
          const view = read.json();
          return view.status === 'running' ? undefined : view;
        },
        60_000,
      );
    }

    const upstream = () => emulator.admin.state();
    const upstreamOf = (tenantId: string) => {
      const state = upstream();
      const customers = state.customers.filter((customer) => customer.partnerTenantId === tenantId);
      const ids = new Set(customers.map((customer) => customer.id));
      return { customers, subscriptions: state.subscriptions.filter((entry) => ids.has(entry.customerId)) };
    };
    const subscriptionRows = (partnerId: string) =>
      selectRows<SubscriptionRow>(
        running.app.database.db,
        sql`select * from subscriptions where partner_id = ${partnerId} order by microsoft_id`,
      );
    const customerRows = (partnerId: string) =>
      selectRows<CustomerRow>(
        running.app.database.db,
        sql`select * from customers where partner_id = ${partnerId} order by tenant_id`,
      );
    const syncAuditCount = async (partnerId: string) => {
      const [row] = await selectRows<{ count: string | number }>(
        running.app.database.db,
        sql`select count(*) as count from audit_events
            where partner_id = ${partnerId} and (action like 'customer.%' or action like 'subscription.%')`,
      );
      return Number(row!.count);
    };

    /** Changes a subscription's seats in Partner Center as a person in Microsoft's portal would. */
    function changeUpstream(subscriptionId: string, quantity: number) {
      assert.ok(emulator.admin.changeSubscription(subscriptionId, { quantity }), subscriptionId);
    }

    it('first sync › creates every customer and subscription Partner Center lists, with progress', async () => {
      const expected = upstreamOf(pub.tenantId);
      const run = await sync(northwind);
      assert.equal(run.status, 'succeeded', run.error);
      assert.equal(run.kind, 'full');
      assert.equal(run.total, expected.customers.length);
      assert.equal(run.done, expected.customers.length);
      assert.equal(run.counts.customersCreated, expected.customers.length);
      assert.equal(run.counts.subscriptionsCreated, expected.subscriptions.length);

      const customers = await customerRows(northwind);
      assert.deepEqual(
        customers.map((row) => row.tenant_id).sort(),
        expected.customers.map((customer) => customer.id).sort(),
      );
      assert.ok(customers.every((row) => row.source === 'partner_center' && row.synced_at !== null));
      const rows = await subscriptionRows(northwind);
      assert.deepEqual(
        rows.map((row) => row.microsoft_id).sort(),
        expected.subscriptions.map((entry) => entry.subscription.id).sort(),
      );
      for (const entry of expected.subscriptions) {
        const row = rows.find((candidate) => candidate.microsoft_id === entry.subscription.id)!;
        assert.equal(row.quantity, entry.subscription.quantity);
        assert.equal(row.status, entry.subscription.status);
      }

      const job = await inject('GET', `/api/v1/jobs/${run.jobId}`, admin(northwind));
      assert.equal(job.json().status, 'succeeded');
      assert.equal(job.json().done, expected.customers.length);
      assert.equal(job.json().total, expected.customers.length);
    });

    it('second sync › nothing changed upstream, nothing changes here: no write, no audit event', async () => {
      const rowsBefore = await subscriptionRows(northwind);
      const customersBefore = await customerRows(northwind);
      const eventsBefore = await syncAuditCount(northwind);
      const run = await sync(northwind);
      assert.equal(run.status, 'succeeded', run.error);
      const { customers, subscriptions } = upstreamOf(pub.tenantId);
      assert.deepEqual(run.counts, {
        customersUnchanged: customers.length,
        subscriptionsUnchanged: subscriptions.length,
      });
      assert.deepEqual(await subscriptionRows(northwind), rowsBefore);
      assert.deepEqual(await customerRows(northwind), customersBefore);
      assert.equal(await syncAuditCount(northwind), eventsBefore);
    });

    it('activity › an upstream change is picked up by reading only the customers the log names; notes survive', async () => {
      const target = upstreamOf(pub.tenantId).subscriptions.find(
        (entry) => entry.subscription.status === 'active' && entry.kind === 'new-commerce',
      )!;
      const id = target.subscription.id;
      await running.app.database.db.execute(
        sql`update subscriptions set notes = 'Renewal agreed by phone' where microsoft_id = ${id}`,
      );
      changeUpstream(id, target.subscription.quantity + 2);

      const run = await sync(northwind, 'activity');
      assert.equal(run.status, 'succeeded', run.error);
      assert.equal(run.kind, 'activity');
      assert.equal(run.total, 1, 'only the customer the activity log names is read');
      assert.equal(run.counts.subscriptionsUpdated, 1);
      const row = (await subscriptionRows(northwind)).find((candidate) => candidate.microsoft_id === id)!;
      assert.equal(row.quantity, target.subscription.quantity + 2);
      assert.equal(row.notes, 'Renewal agreed by phone');

      const listed = await inject(
        'GET',
        `/api/v1/customers/${row.customer_id}/subscriptions`,
        admin(northwind),
      );
      assert.equal(listed.statusCode, 200, listed.body);
      const view = listed.json().items.find((item: { microsoftId: string }) => item.microsoftId === id);
      assert.equal(view.notes, 'Renewal agreed by phone');
      assert.equal(view.quantity, target.subscription.quantity + 2);
      assert.equal(view.latestChange, null);
    });

    it('start › a second start while one runs returns the running sync; another connection is not found', async () => {
      emulator.admin.setFaults({ delayMs: 200 });
      try {
        const first = await inject('POST', '/api/v1/partner-center/syncs', admin(northwind), {
          cloud: 'public',
        });
        const second = await inject('POST', '/api/v1/partner-center/syncs', admin(northwind), {
          cloud: 'public',
        });
        assert.equal(first.statusCode, 202, first.body);
        assert.equal(second.statusCode, 202, second.body);
        assert.equal(second.json().sync.id, first.json().sync.id);
        assert.equal(second.json().jobId, first.json().jobId);
        const usgov = await inject('POST', '/api/v1/partner-center/syncs', admin(northwind), {
          cloud: 'usgov',
        });
        assert.equal(usgov.statusCode, 404);
        const listed = await inject(
          'GET',
          '/api/v1/partner-center/syncs?cloud=public&limit=1',
          admin(northwind),
        );
        assert.deepEqual(
          listed.json().items.map((item: { id: string }) => item.id),
          [first.json().sync.id],
          'latest first',
        );
        await eventually('the sync to finish', async () => {
          const read = await inject(
            'GET',
            `/api/v1/partner-center/syncs/${first.json().sync.id}`,
            admin(northwind),
          );
          return read.json().status !== 'running';
        });
      } finally {
        emulator.admin.setFaults({});
      }
    });

    it('removal › what a full pass no longer finds is marked removed upstream, never deleted', async () => {
      const { customers, subscriptions } = upstreamOf(pub.tenantId);
      const named = (name: string) => customers.find((customer) => customer.companyName === name)!;
      // Changes made in Microsoft's portals: a subscription vanishes, and a customer relationship ends
      // (one with neither Azure nor a suspension, which later tests filter by).
      const hotel = named('Alpenblick Hotels GmbH');
      const vanished = subscriptions.find(
        (entry) => entry.customerId === hotel.id && entry.subscription.status === 'active',
      )!;
      const leaving = named('Wingtip Toys Hungary Zrt.');
      const leavingSubscriptions = subscriptions.filter((entry) => entry.customerId === leaving.id);
      assert.ok(emulator.admin.removeSubscription(vanished.subscription.id));
      assert.ok(emulator.admin.removeCustomer(leaving.id));

      const run = await sync(northwind);
      assert.equal(run.status, 'succeeded', run.error);
      assert.equal(run.counts.customersRemoved, 1);
      assert.equal(run.counts.subscriptionsRemoved, 1 + leavingSubscriptions.length);
      const removedIds = [vanished, ...leavingSubscriptions].map((entry) => entry.subscription.id).sort();
      const rows = await subscriptionRows(northwind);
      assert.deepEqual(
        rows
          .filter((row) => row.upstream_removed_at !== null)
          .map((row) => row.microsoft_id)
          .sort(),
        removedIds,
        'the rows are kept, marked',
      );
      const gone = (await customerRows(northwind)).find((row) => row.tenant_id === leaving.id)!;
      assert.notEqual(gone.upstream_removed_at, null);

      const filtered = await inject('GET', '/api/v1/customers?removedUpstream=true', admin(northwind));
      assert.deepEqual(
        filtered.json().items.map((item: { id: string }) => item.id),
        [gone.id],
      );
    });

    it('429 three times then success › the sync finishes with nothing lost or duplicated', async () => {
      const before = await subscriptionRows(northwind);
      emulator.admin.setFaults({ throttle: { count: 3, retryAfterSeconds: 1, path: '/v1/customers' } });
      const run = await sync(northwind);
      assert.equal(run.status, 'succeeded', run.error);
      assert.equal(emulator.admin.faults().throttle?.count, 0, 'all three 429s were answered');
      assert.equal(run.counts.customersCreated ?? 0, 0);
      assert.equal(run.counts.subscriptionsCreated ?? 0, 0);
      assert.deepEqual(await subscriptionRows(northwind), before);
    });

    it('malformed body › the run fails naming the customer and what was wrong; nothing of it applied; the next run resumes', async () => {
      const { customers, subscriptions } = upstreamOf(pub.tenantId);
      const [first, , third] = customers;
      const thirdSubscription = subscriptions.find((entry) => entry.customerId === third!.id)!;
      const quantity = thirdSubscription.subscription.quantity;
      changeUpstream(thirdSubscription.subscription.id, quantity + 1);
      emulator.admin.setFaults({ malformed: { count: 1, path: `/v1/customers/${third!.id}/subscriptions` } });

      const failed = await sync(northwind);
      assert.equal(failed.status, 'failed');
      assert.match(failed.error, new RegExp(third!.id));
      assert.match(failed.error, /not JSON/);
      assert.equal(failed.done, 2, 'the two customers before it were stored');
      const stored = (await subscriptionRows(northwind)).find(
        (row) => row.microsoft_id === thirdSubscription.subscription.id,
      )!;
      assert.equal(stored.quantity, quantity, 'nothing of the failed customer was applied');

      // Changed after the failed run stored it: the resumed run does not read it again...
      const firstSubscription = subscriptions.find((entry) => entry.customerId === first!.id)!;
      const firstQuantity = firstSubscription.subscription.quantity;
      changeUpstream(firstSubscription.subscription.id, firstQuantity + 3);
      const resumed = await sync(northwind);
      assert.equal(resumed.status, 'succeeded', resumed.error);
      assert.equal(resumed.total, customers.length);
      const rows = await subscriptionRows(northwind);
      const quantityOf = (id: string) => rows.find((row) => row.microsoft_id === id)!.quantity;
      assert.equal(quantityOf(thirdSubscription.subscription.id), quantity + 1);
      assert.equal(
        quantityOf(firstSubscription.subscription.id),
        firstQuantity,
        'finished customers were not redone',
      );

      // ...and the next activity run catches up with it: nothing is lost.
      const caughtUp = await sync(northwind, 'activity');
      assert.equal(caughtUp.status, 'succeeded', caughtUp.error);
      const latest = await subscriptionRows(northwind);
      assert.equal(
        latest.find((row) => row.microsoft_id === firstSubscription.subscription.id)!.quantity,
        firstQuantity + 3,
      );
    });

    it('filters › customers by service family and subscription status; a bad value names the field', async () => {
      const azure = await inject('GET', '/api/v1/customers?serviceFamily=azure', admin(northwind));
      assert.equal(azure.statusCode, 200, azure.body);
      const { customers, subscriptions } = upstreamOf(pub.tenantId);
      const withAzure = new Set(
        subscriptions.filter((entry) => entry.kind === 'azure-plan').map((entry) => entry.customerId),
      );
      const tenantOf = new Map((await customerRows(northwind)).map((row) => [row.id, row.tenant_id]));
      assert.deepEqual(
        azure
          .json()
          .items.map((item: { id: string }) => tenantOf.get(item.id))
          .sort(),
        customers
          .filter((customer) => withAzure.has(customer.id))
          .map((customer) => customer.id)
          .sort(),
      );
      const suspended = await inject(
        'GET',
        '/api/v1/customers?subscriptionStatus=suspended',
        admin(northwind),
      );
      const suspendedTenants = new Set(
        subscriptions
          .filter((entry) => entry.subscription.status === 'suspended')
          .map((entry) => entry.customerId),
      );
      assert.deepEqual(
        suspended
          .json()
          .items.map((item: { id: string }) => tenantOf.get(item.id))
          .sort(),
        [...suspendedTenants].sort(),
      );
      const bad = await inject('GET', '/api/v1/customers?serviceFamily=windows', admin(northwind));
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /serviceFamily must be one of azure, m365, d365, other/);
    });

    it('authorization › a customer user sees only their own subscriptions; another partner’s are not found', async () => {
      const [mine, other] = await customerRows(northwind);
      const customerUser = {
        'x-test-actor': JSON.stringify({
          kind: 'customer',
          id: 'customer-user-1',
          partnerId: northwind,
          customerId: mine!.id,
          permissions: ['portal.subscriptions.read', 'portal.customer.read'],
        }),
      };
      const own = await inject('GET', '/api/v1/portal/subscriptions', customerUser);
      assert.equal(own.statusCode, 200, own.body);
      assert.ok(own.json().items.length > 0);
      assert.ok(own.json().items.every((item: { customerId: string }) => item.customerId === mine!.id));
      assert.ok(
        own.json().items.every((item: object) => !('notes' in item)),
        'no internal fields',
      );
      const staffRoute = await inject('GET', `/api/v1/customers/${other!.id}/subscriptions`, customerUser);
      assert.equal(staffRoute.statusCode, 403);

      const stranger = await createTestPartner(running.app, 'stranger');
      const foreign = await inject('GET', `/api/v1/customers/${other!.id}/subscriptions`, admin(stranger));
      assert.equal(foreign.statusCode, 404);
      const foreignRun = await inject('GET', '/api/v1/partner-center/syncs?cloud=public', admin(stranger));
      assert.deepEqual(foreignRun.json().items, []);
    });

    it('indirect provider › a reseller’s customer listed in the provider’s tenant is mirrored into the reseller’s rows', async () => {
      const provider = await createTestPartner(running.app, 'provider-one', { kind: 'indirect_provider' });
      const reseller = await createTestPartner(running.app, 'reseller-one', {
        kind: 'indirect_reseller',
        providers: ['provider-one'],
      });
      await connect(provider);
      const { customers, subscriptions } = upstreamOf(pub.tenantId);
      const resold = customers[1]!;
      const resellerCaller = {
        actor: {
          kind: 'staff' as const,
          id: 'r1',
          partnerId: reseller,
          permissions: new Set(['customers.manage']),
        },
      };
      const typed = await createCustomer(running.app, resellerCaller, {
        name: 'Our customer (typed by the reseller)',
        domain: resold.domain.toUpperCase(),
        country: resold.country,
        providerId: provider,
      });

      const run = await sync(provider);
      assert.equal(run.status, 'succeeded', run.error);
      const [linked] = await customerRows(reseller);
      assert.equal(linked!.id, typed.id);
      assert.equal(linked!.tenant_id, resold.id);
      assert.equal(linked!.source, 'local');
      assert.notEqual(linked!.synced_at, null);
      const resellerSubscriptions = await subscriptionRows(reseller);
      assert.deepEqual(
        resellerSubscriptions.map((row) => row.microsoft_id).sort(),
        subscriptions
          .filter((entry) => entry.customerId === resold.id)
          .map((entry) => entry.subscription.id)
          .sort(),
      );
      const providerTenants = (await customerRows(provider)).map((row) => row.tenant_id);
      assert.equal(providerTenants.length, customers.length - 1);
      assert.ok(
        !providerTenants.includes(resold.id),
        'the provider holds no copy of its reseller’s customer',
      );
    });

    it('domain clash › a tenant whose domain a customer here has with another tenant stops the run with what to correct', async () => {
      const clash = await createTestPartner(running.app, 'domain-clash', { currency: 'EUR' });
      await connect(clash);
      const [upstream] = upstreamOf(pub.tenantId).customers;
      const staff = {
        actor: {
          kind: 'staff' as const,
          id: 'c1',
          partnerId: clash,
          permissions: new Set(['customers.manage']),
        },
      };
      await createCustomer(running.app, staff, {
        name: 'Typed with the wrong tenant',
        domain: upstream!.domain,
        country: upstream!.country,
        tenantId: '00000000-0000-4000-8000-00000000c1a5',
      });
      const run = await sync(clash);
      assert.equal(run.status, 'failed');
      assert.match(run.error, new RegExp(`domain ${upstream!.domain}`));
      assert.match(
        run.error,
        /Typed with the wrong tenant.*tenant 00000000-0000-4000-8000-00000000c1a5.*correct that customer/,
      );
      const [kept] = (await customerRows(clash)).filter((row) => row.domain === upstream!.domain);
      assert.equal(kept!.tenant_id, '00000000-0000-4000-8000-00000000c1a5', 'never moved to another tenant');
    });

    it('revoked credential › the run fails, says why, and the connection shows it', async () => {
      assert.ok(emulator.admin.revokeRefreshToken(pub.refreshToken));
      const run = await sync(northwind);
      assert.equal(run.status, 'failed');
      assert.match(run.error, /refused the refresh_token grant/);
      const connections = await inject('GET', '/api/v1/partner/connections', admin(northwind));
      const connection = connections.json().find((view: { cloud: string }) => view.cloud === 'public');
      assert.equal(connection.status, 'failed');
      assert.equal(connection.lastError, run.error);
    });
  });
}
