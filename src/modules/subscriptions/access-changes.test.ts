import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  type RunningEmulator,
  type SeededCredentials,
  type Subscription,
  startEmulator,
} from '#modules/partner-center';
import { getConnectionClient, saveConnection } from '#modules/partners';
import type { RunningApp } from '#platform/app';
import { selectRows, withTransaction } from '#platform/db';
import { fixedClock } from '#platform/time';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { modules } from '../../main.ts';
import { carryOutDueAccessChanges } from './access-changes.ts';
import { applyUpstreamSubscription } from './mirror.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const suspender = ['subscriptions.read', 'subscriptions.suspend'];

interface SubscriptionRow {
  id: string;
  microsoft_id: string;
  status: string;
  auto_renew: boolean | null;
  scheduled_changes: Record<string, unknown> | null;
  suspended_by: string | null;
  suspended_at: Date | string | null;
  saved_auto_renew: boolean | null;
  saved_scheduled_changes: Record<string, unknown> | null;
}

type Emulated = ReturnType<RunningEmulator['admin']['state']>['subscriptions'][number] & {
  subscription: EmulatedSubscription;
};

interface EmulatedSubscription {
  id: string;
  status: string;
  autoRenewEnabled: boolean;
  friendlyName: string;
  scheduledNextTermInstructions?: Record<string, unknown>;
  attributes: { etag: string };
}

interface AccessChange {
  id: string;
  batchId: string;
  subscriptionId: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  advice: string | null;
  completedAt: string | null;
}

/**
 * Stands between partnerdesk and the emulator and, when told, changes a subscription (its friendly
 * name) just before partnerdesk's PATCH reaches it: what another person editing it in Partner Center
 * at that moment does to the etag partnerdesk read.
 */
async function startInterferingProxy(target: string) {
  const interferences = new Map<string, number>();
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '/';
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
      ),
    );
    const left = interferences.get(path.toLowerCase()) ?? 0;
    if (request.method === 'PATCH' && left > 0) {
      interferences.set(path.toLowerCase(), left - 1);
      const auth = { authorization: headers.authorization ?? '', 'content-type': 'application/json' };
      const current = (await (
        await fetch(`${target}${path}`, { headers: auth })
      ).json()) as EmulatedSubscription;
      const renamed = await fetch(`${target}${path}`, {
        method: 'PATCH',
        headers: { ...auth, 'if-match': current.attributes.etag },
        body: JSON.stringify({ ...current, friendlyName: `${current.friendlyName} (edited)` }),
      });
      if (renamed.status !== 200) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`the test's own change was refused: ${await renamed.text()}`);
        return;
      }
    }
    const answer = await fetch(`${target}${path}`, {
      method: request.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The next `times` PATCHes of the subscription at `path` each meet a change made just before. */
    interfere(path: string, times: number) {
      interferences.set(path.toLowerCase(), times);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const engine of engines()) {
  describe(`subscriptions › suspend and reactivate through Partner Center on ${engine}`, () => {
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    let emulator: RunningEmulator;
    let proxy: Awaited<ReturnType<typeof startInterferingProxy>>;
    let running: RunningApp;
    let northwind: SeededCredentials;
    let direct: string;
    let fabrikam: string;
    let provider: string;
    let reseller: string;
    /** Our customer id of each mirrored emulated tenant. */
    const customerIds = new Map<string, string>();
    /** The emulated subscriptions each test works on, chosen from the seed by what they are. */
    let nce: Emulated;
    let renamed: Emulated;
    let contested: Emulated;
    let busy: Emulated;
    let dayLater: Emulated;
    let azurePlan: Emulated;
    let untouched: Emulated;
    let resold: Emulated;
    let batchTenant: string;

    const api = async (
      method: 'GET' | 'POST',
      url: string,
      partnerId: string,
      permissions = suspender,
      payload?: object,
    ) =>
      running.http.inject({
        method,
        url,
        headers: staffHeader(partnerId, permissions, `staff-${partnerId}`),
        ...(payload ? { payload } : {}),
      });

    /** The subscription as Microsoft has it now. */
    const emulated = (entry: Emulated) =>
      emulator.admin.state().subscriptions.find((now) => now.subscription.id === entry.subscription.id)!
        .subscription as unknown as EmulatedSubscription;

    const rowOf = async (partnerId: string, microsoftId: string) => {
      const [row] = await selectRows<SubscriptionRow>(
        running.app.database.db,
        sql`select * from subscriptions where partner_id = ${partnerId} and microsoft_id = ${microsoftId}`,
      );
      return row!;
    };

    const subscriptionPath = (entry: Emulated) =>
      `/v1/customers/${entry.customerId}/subscriptions/${entry.subscription.id}`;

    /** PATCHes Partner Center recorded for one subscription, from its activity log. */
    const patchesOf = async (microsoftId: string) => {
      const token = await fetch(`${emulator.url}/${northwind.tenantId}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: northwind.clientId,
          client_secret: northwind.clientSecret,
          resource: 'https://api.partnercenter.microsoft.com',
        }),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const log = await fetch(`${emulator.url}/v1/auditrecords?size=500`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      const { items } = (await log.json()) as {
        items: { operationType: string; customizedData: { key: string; value: string | null }[] }[];
      };
      return items.filter(
        (record) =>
          record.operationType === 'update_subscription' &&
          record.customizedData.some((data) => data.key === 'SubscriptionId' && data.value === microsoftId),
      ).length;
    };

    const auditActions = async (partnerId: string, subscriptionId: string) =>
      (
        await selectRows<{ action: string }>(
          running.app.database.db,
          sql`select action from audit_events where partner_id = ${partnerId} and target_id = ${subscriptionId}
              order by occurred_at, id`,
        )
      ).map((row) => row.action);

    /**
     * A customer of `partnerId` for an emulated tenant, with its subscriptions stored as the sync
     * stores them (read through `through`'s connection: for a reseller, its provider's).
     */
    async function mirrorCustomer(
      tenantId: string,
      partnerId: string,
      options: { through?: string; providerId?: string } = {},
    ) {
      const tenant = emulator.admin.state().customers.find((customer) => customer.id === tenantId)!;
      const [row] = await selectRows<{ id: string }>(
        running.app.database.db,
        sql`insert into customers (partner_id, name, domain, tenant_id, country, currency, provider_id, source)
            values (${partnerId}, ${tenant.companyName}, ${tenant.domain}, ${tenant.id}, ${tenant.country}, 'EUR',
                    ${options.providerId ?? null}, 'partner_center')
            returning id`,
      );
      customerIds.set(tenantId, row!.id);
      const client = await getConnectionClient(running.app, options.through ?? partnerId, 'public');
      const listed: Subscription[] = [];
      for await (const subscription of client.listSubscriptions(tenant.id)) listed.push(subscription);
      await withTransaction(running.app.database, async (tx) => {
        for (const subscription of listed) {
          await applyUpstreamSubscription(tx, partnerId, row!.id, 'public', subscription, {
            now: clock.now(),
          });
        }
      });
    }

    async function connect(partnerId: string) {
      await saveConnection(
        running.app,
        { actor: { kind: 'staff', id: 'admin', partnerId, permissions: new Set(['partner.manage']) } },
        'public',
        {
          tenantId: northwind.tenantId,
          clientId: northwind.clientId,
          clientSecret: northwind.clientSecret,
          baseUrl: proxy.url,
          authority: emulator.url,
        },
      );
    }

    const changesUrl = (tenantId: string) => `/api/v1/customers/${customerIds.get(tenantId)}/access-changes`;

    /** Asks for `action` on one emulated subscription, as staff of `partnerId`. */
    const askFor = async (partnerId: string, entry: Emulated, action = 'suspend') => {
      const { id } = await rowOf(partnerId, entry.subscription.id);
      return api('POST', changesUrl(entry.customerId), partnerId, suspender, {
        action,
        subscriptionIds: [id],
      });
    };

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      northwind = emulator.admin.credentials.find((credentials) => credentials.cloud === 'public')!;
      proxy = await startInterferingProxy(emulator.url);
      running = await startTestApp({ engine, modules, authenticator: headerAuthenticator, clock });
      direct = await createTestPartner(running.app, 'northwind-direct', { legalName: 'Northwind' });
      fabrikam = await createTestPartner(running.app, 'fabrikam', { legalName: 'Fabrikam' });
      provider = await createTestPartner(running.app, 'provider-one', {
        kind: 'indirect_provider',
        legalName: 'Provider One',
      });
      reseller = await createTestPartner(running.app, 'reseller-one', {
        kind: 'indirect_reseller',
        legalName: 'Reseller One',
        providers: ['provider-one'],
      });
      await connect(direct);
      await connect(provider);

      const state = emulator.admin.state();
      const tenants = new Set(
        state.customers
          .filter((customer) => customer.partnerTenantId === northwind.tenantId)
          .map((customer) => customer.id),
      );
      const activeOf = (tenant: string) =>
        state.subscriptions.filter(
          (entry) => entry.customerId === tenant && entry.subscription.status === 'active',
        );
      const newCommerce = (entry: Emulated) => entry.kind === 'new-commerce';
      // The reseller's customer and the batch's are tenants of their own: no other test touches them.
      const resoldTenant = [...tenants].find((tenant) => activeOf(tenant).some(newCommerce));
      assert.ok(resoldTenant, 'the seed has a customer with new commerce');
      resold = activeOf(resoldTenant).find(newCommerce)!;
      const batch = [...tenants].find(
        (tenant) =>
          tenant !== resoldTenant &&
          activeOf(tenant).length >= 2 &&
          !state.subscriptions.some((entry) => entry.customerId === tenant && entry.kind === 'azure-plan'),
      );
      assert.ok(batch, 'the seed has a customer with two active subscriptions and no Azure plan');
      batchTenant = batch;
      const chosen = new Set<string>();
      const choose = (what: string, test: (entry: Emulated) => boolean) => {
        const found = state.subscriptions.find(
          (entry) =>
            tenants.has(entry.customerId) &&
            entry.customerId !== resoldTenant &&
            entry.customerId !== batchTenant &&
            !chosen.has(entry.subscription.id) &&
            entry.subscription.status === 'active' &&
            test(entry),
        );
        assert.ok(found, `the seed has ${what}`);
        chosen.add(found.subscription.id);
        return found;
      };
      nce = choose(
        'new commerce with auto-renew and a scheduled change',
        (entry) =>
          newCommerce(entry) &&
          entry.subscription.autoRenewEnabled === true &&
          entry.subscription.scheduledNextTermInstructions !== undefined,
      );
      azurePlan = choose('an Azure plan with an active Azure subscription', (entry) =>
        entry.azureEntitlements.some((azure) => azure.status === 'active'),
      );
      renamed = choose('new commerce', newCommerce);
      contested = choose('new commerce', newCommerce);
      busy = choose('new commerce', newCommerce);
      dayLater = choose('new commerce', newCommerce);
      untouched = choose(
        'a subscription of another customer',
        (entry) => entry.customerId !== nce.customerId,
      );
      await mirrorCustomer(resoldTenant, reseller, { through: provider, providerId: provider });
      const directTenants = new Set([
        batchTenant,
        ...[nce, azurePlan, renamed, contested, busy, dayLater, untouched].map((entry) => entry.customerId),
      ]);
      for (const tenant of directTenants) await mirrorCustomer(tenant, direct);
    });
    after(async () => {
      await running?.close();
      await proxy?.close();
      await emulator?.close();
    });

    it('suspend › a new-commerce subscription: Microsoft shows it suspended, auto-renew off, scheduled changes gone; ours saved them', async () => {
      const before = emulated(nce);
      const { id } = await rowOf(direct, nce.subscription.id);

      const response = await askFor(direct, nce);
      assert.equal(response.statusCode, 202, response.body);
      const body = response.json() as { batchId: string; jobId: string | null; changes: AccessChange[] };
      assert.equal(body.jobId, null, 'one subscription is carried out in the request');
      assert.equal(body.changes.length, 1);
      assert.equal(body.changes[0]!.status, 'succeeded');
      assert.equal(body.changes[0]!.advice, null);

      const after = emulated(nce);
      assert.equal(after.status, 'suspended');
      assert.equal(after.autoRenewEnabled, false);
      assert.equal(after.scheduledNextTermInstructions, undefined);

      const row = await rowOf(direct, nce.subscription.id);
      assert.equal(row.status, 'suspended');
      assert.equal(row.auto_renew, false);
      assert.equal(row.scheduled_changes, null);
      assert.equal(row.suspended_by, 'staff');
      assert.equal(new Date(row.suspended_at!).toISOString(), clock.now().toISOString());
      assert.equal(row.saved_auto_renew, true);
      assert.deepEqual(row.saved_scheduled_changes, before.scheduledNextTermInstructions);
      assert.deepEqual(await auditActions(direct, id), [
        'subscription.created',
        'subscription.suspend_requested',
        'subscription.renewal_saved',
        'subscription.updated',
        'subscription.suspended',
      ]);
      assert.equal(await patchesOf(nce.subscription.id), 1);
    });

    it('suspend › again: the re-read finds it suspended and nothing is sent to Microsoft', async () => {
      const response = await askFor(direct, nce);
      assert.equal(response.statusCode, 202, response.body);
      assert.equal((response.json().changes as AccessChange[])[0]!.status, 'succeeded');
      assert.equal(await patchesOf(nce.subscription.id), 1, 'still the one PATCH of the first suspension');
      assert.equal(
        (await rowOf(direct, nce.subscription.id)).saved_auto_renew,
        true,
        'what was saved is kept',
      );
    });

    it('reactivate › Microsoft shows it active with auto-renew and the scheduled change back; the saved values are cleared', async () => {
      const { id, saved_scheduled_changes: saved } = await rowOf(direct, nce.subscription.id);
      assert.ok(saved);
      const response = await askFor(direct, nce, 'reactivate');
      assert.equal(response.statusCode, 202, response.body);
      assert.equal((response.json().changes as AccessChange[])[0]!.status, 'succeeded');

      const after = emulated(nce);
      assert.equal(after.status, 'active');
      assert.equal(after.autoRenewEnabled, true);
      assert.deepEqual(after.scheduledNextTermInstructions, saved);
      assert.equal(await patchesOf(nce.subscription.id), 3, 'suspend, reactivate, then the restoring PATCH');

      const row = await rowOf(direct, nce.subscription.id);
      assert.equal(row.status, 'active');
      assert.equal(row.auto_renew, true);
      assert.deepEqual(row.scheduled_changes, saved);
      assert.equal(row.suspended_by, null);
      assert.equal(row.saved_auto_renew, null);
      assert.equal(row.saved_scheduled_changes, null);
      assert.equal((await auditActions(direct, id)).at(-1), 'subscription.reactivated');
    });

    it('stale etag › a change made between our GET and PATCH is re-read and the PATCH retried once', async () => {
      proxy.interfere(subscriptionPath(renamed), 1);
      const response = await askFor(direct, renamed);
      assert.equal(response.statusCode, 202, response.body);
      assert.equal((response.json().changes as AccessChange[])[0]!.status, 'succeeded');
      const after = emulated(renamed);
      assert.equal(after.status, 'suspended');
      assert.match(after.friendlyName, /\(edited\)$/, "the other person's change is kept");
      assert.equal(await patchesOf(renamed.subscription.id), 2, "the other person's PATCH and ours");
      assert.equal((await rowOf(direct, renamed.subscription.id)).status, 'suspended');
    });

    it('stale etag › changed again after the re-read: failed with code 2055 and advice, not retried further', async () => {
      proxy.interfere(subscriptionPath(contested), 2);
      const response = await askFor(direct, contested);
      assert.equal(response.statusCode, 202, response.body);
      const [change] = response.json().changes as AccessChange[];
      assert.equal(change!.status, 'failed');
      assert.equal(change!.errorCode, '2055');
      assert.match(change!.errorMessage!, /Etag/i);
      assert.match(change!.advice!, /changed in Partner Center/);
      assert.equal(change!.nextAttemptAt, null);
      assert.equal(emulated(contested).status, 'active', 'nothing was forced through');
      assert.equal(await patchesOf(contested.subscription.id), 2, 'only the two changes made meanwhile');
      const row = await rowOf(direct, contested.subscription.id);
      assert.equal(row.saved_auto_renew, null, 'nothing saved is left from a suspension that did not happen');
    });

    it('crash › a change a crashed attempt left pending is taken up by the schedule; the GET first sees the PATCH was made', async () => {
      // The suspension above went through; now imagine the process died right after its PATCH.
      const { id } = await rowOf(direct, renamed.subscription.id);
      const [left] = await selectRows<{ id: string; batch_id: string }>(
        running.app.database.db,
        sql`insert into subscription_access_changes
              (partner_id, subscription_id, customer_id, batch_id, action, reason, requested_by, status,
               attempts, next_attempt_at, created_at, updated_at)
            values (${direct}, ${id}, ${customerIds.get(renamed.customerId)}, gen_random_uuid(), 'suspend', 'staff',
                    'staff:crashed', 'pending', 1, ${new Date(clock.now().getTime() - MINUTE)},
                    ${clock.now()}, ${clock.now()})
            returning id, batch_id`,
      );
      await carryOutDueAccessChanges(running.app);
      const settled = await eventually('the left change to settle', async () => {
        const items = (
          await api('GET', `${changesUrl(renamed.customerId)}?batchId=${left!.batch_id}`, direct)
        ).json().items as AccessChange[];
        return items[0]?.status === 'succeeded' && items[0];
      });
      assert.equal(settled.attempts, 2);
      assert.equal(await patchesOf(renamed.subscription.id), 2, 'no second PATCH');
      assert.equal(emulated(renamed).status, 'suspended');
    });

    it('409 800082 › waits a few minutes; asking again returns the same change; the schedule carries it out when due', async () => {
      emulator.admin.setPendingOperation(busy.subscription.id, '800082');
      const response = await askFor(direct, busy);
      assert.equal(response.statusCode, 202, response.body);
      const [change] = response.json().changes as AccessChange[];
      assert.equal(change!.status, 'waiting');
      assert.equal(change!.errorCode, '800082');
      assert.equal(change!.attempts, 1);
      assert.equal(new Date(change!.nextAttemptAt!).getTime(), clock.now().getTime() + 5 * MINUTE);
      assert.match(change!.advice!, /tries again automatically at 2026-03-02 09:05 UTC/);

      const [again] = (await askFor(direct, busy)).json().changes as AccessChange[];
      assert.equal(again!.id, change!.id, 'the open change, not a new one');
      assert.equal(again!.attempts, 1, 'and not tried again at once');

      const batchUrl = `${changesUrl(busy.customerId)}?batchId=${change!.batchId}`;
      await carryOutDueAccessChanges(running.app);
      const early = await api('GET', batchUrl, direct);
      assert.equal(early.statusCode, 200, early.body);
      assert.equal((early.json().items as AccessChange[])[0]!.attempts, 1, 'not due yet: not tried');

      emulator.admin.setPendingOperation(busy.subscription.id, null);
      clock.advance(5 * MINUTE);
      await carryOutDueAccessChanges(running.app);
      const done = await eventually('the change to succeed', async () => {
        const [item] = (await api('GET', batchUrl, direct)).json().items as AccessChange[];
        return item!.status === 'succeeded' && item;
      });
      assert.equal(done.attempts, 2);
      assert.equal(emulated(busy).status, 'suspended');
      const { id } = await rowOf(direct, busy.subscription.id);
      assert.deepEqual(
        (await auditActions(direct, id)).filter((action) => /access_change|suspended$/.test(action)),
        ['subscription.access_change_deferred', 'subscription.suspended'],
      );
    });

    it('409 900278 › waits 24 hours, as its advice says, then the schedule carries it out', async () => {
      emulator.admin.setPendingOperation(dayLater.subscription.id, '900278');
      const [change] = (await askFor(direct, dayLater)).json().changes as AccessChange[];
      assert.equal(change!.status, 'waiting');
      assert.equal(change!.errorCode, '900278');
      assert.equal(new Date(change!.nextAttemptAt!).getTime(), clock.now().getTime() + 24 * HOUR);
      assert.match(change!.advice!, /only 24 hours after/);

      emulator.admin.setPendingOperation(dayLater.subscription.id, null);
      clock.advance(23 * HOUR);
      await carryOutDueAccessChanges(running.app);
      assert.equal(emulated(dayLater).status, 'active', 'not an hour early');
      clock.advance(HOUR);
      await carryOutDueAccessChanges(running.app);
      await eventually('the suspension', async () => emulated(dayLater).status === 'suspended');
    });

    it('900115 › an Azure plan with an active Azure subscription: failed with Microsoft’s code, reason and what to do', async () => {
      const response = await askFor(direct, azurePlan);
      assert.equal(response.statusCode, 202, response.body);
      const [change] = response.json().changes as AccessChange[];
      assert.equal(change!.status, 'failed');
      assert.equal(change!.errorCode, '900115');
      assert.match(change!.errorMessage!, /Azure Subscriptions in the active state/);
      assert.match(change!.advice!, /cancel those Azure subscriptions/);
      assert.ok(change!.completedAt);
      assert.equal(emulated(azurePlan).status, 'active');
      assert.equal((await rowOf(direct, azurePlan.subscription.id)).suspended_by, null);
    });

    it('batch › all of a customer’s active subscriptions by the job, with progress', async () => {
      const active = emulator.admin
        .state()
        .subscriptions.filter(
          (entry) => entry.customerId === batchTenant && entry.subscription.status === 'active',
        );
      const response = await api('POST', changesUrl(batchTenant), direct, suspender, { action: 'suspend' });
      assert.equal(response.statusCode, 202, response.body);
      const body = response.json() as { batchId: string; jobId: string; changes: AccessChange[] };
      assert.equal(body.changes.length, active.length);
      assert.ok(body.jobId);
      assert.ok(body.changes.every((change) => change.status === 'pending'));

      const progress = await eventually('the batch job', async () => {
        const job = (await api('GET', `/api/v1/jobs/${body.jobId}`, direct)).json();
        return job.status === 'succeeded' && job;
      });
      assert.equal(progress.done, active.length);
      assert.equal(progress.total, active.length);
      assert.equal(progress.message, `${active.length} succeeded`);
      const listed = await api('GET', `${changesUrl(batchTenant)}?batchId=${body.batchId}`, direct);
      const batch = listed.json().items as AccessChange[];
      assert.equal(batch.length, active.length);
      assert.ok(batch.every((change) => change.status === 'succeeded'));
      for (const entry of active) assert.equal(emulated(entry as Emulated).status, 'suspended');
    });

    it('reseller › its request waits for the provider, who carries it out through its own connection', async () => {
      const asked = await askFor(reseller, resold);
      assert.equal(asked.statusCode, 202, asked.body);
      const [request] = asked.json().changes as AccessChange[];
      assert.equal(request!.status, 'requested');
      assert.equal(emulated(resold).status, 'active', 'the reseller does not transact with Microsoft');

      const others = await api('GET', '/api/v1/reseller-requests', fabrikam);
      assert.deepEqual(others.json().items, [], "another partner sees none of the reseller's requests");
      const inbox = await api('GET', '/api/v1/reseller-requests?status=requested', provider);
      assert.equal(inbox.statusCode, 200, inbox.body);
      const [listed] = inbox.json().items;
      assert.equal(listed.id, request!.id);
      assert.equal(listed.resellerName, 'Reseller One');
      assert.equal(
        listed.customerName,
        emulator.admin.state().customers.find((c) => c.id === resold.customerId)!.companyName,
      );

      const stranger = await api('POST', `/api/v1/reseller-requests/${request!.id}/carry-out`, fabrikam);
      assert.equal(stranger.statusCode, 404);
      const done = await api('POST', `/api/v1/reseller-requests/${request!.id}/carry-out`, provider);
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().status, 'succeeded');
      assert.equal(emulated(resold).status, 'suspended');

      const seen = await api('GET', changesUrl(resold.customerId), reseller);
      assert.equal(
        (seen.json().items as AccessChange[])[0]!.status,
        'succeeded',
        'the reseller sees it done',
      );
      assert.equal((await rowOf(reseller, resold.subscription.id)).suspended_by, 'staff');
    });

    it('reseller › the provider declines a request, saying why; the reseller sees the reason', async () => {
      const [request] = (await askFor(reseller, resold, 'reactivate')).json().changes as AccessChange[];
      const blank = await api(
        'POST',
        `/api/v1/reseller-requests/${request!.id}/decline`,
        provider,
        suspender,
        {
          reason: '   ',
        },
      );
      assert.equal(blank.statusCode, 400);
      assert.equal(blank.json().field, 'reason');
      const declined = await api(
        'POST',
        `/api/v1/reseller-requests/${request!.id}/decline`,
        provider,
        suspender,
        {
          reason: 'The invoice is still unpaid',
        },
      );
      assert.equal(declined.statusCode, 200, declined.body);
      assert.equal(declined.json().status, 'declined');
      const seen = await api('GET', changesUrl(resold.customerId), reseller);
      const mine = (seen.json().items as AccessChange[]).find((change) => change.id === request!.id)!;
      assert.equal(mine.status, 'declined');
      assert.equal(mine.errorMessage, 'The invoice is still unpaid');
      assert.equal(emulated(resold).status, 'suspended');
    });

    it('access › without subscriptions.suspend 403; another partner’s customer or subscription 404; bad input names the field', async () => {
      const url = changesUrl(untouched.customerId);
      const { id } = await rowOf(direct, untouched.subscription.id);
      const asked = { action: 'suspend', subscriptionIds: [id] };
      assert.equal((await api('POST', url, direct, ['subscriptions.read'], asked)).statusCode, 403);
      assert.equal((await api('GET', url, direct, ['subscriptions.read'])).statusCode, 200);

      assert.equal((await api('POST', url, fabrikam, suspender, asked)).statusCode, 404);
      assert.equal((await api('GET', url, fabrikam)).statusCode, 404);
      const otherCustomer = await api('POST', changesUrl(nce.customerId), direct, suspender, asked);
      assert.equal(otherCustomer.statusCode, 404, "another customer's subscription is not found");

      const both = await api('POST', url, direct, suspender, { ...asked, serviceFamily: 'm365' });
      assert.equal(both.statusCode, 400);
      assert.equal(both.json().field, 'serviceFamily');
      const cancel = await api('POST', url, direct, suspender, { ...asked, action: 'cancel' });
      assert.equal(cancel.statusCode, 400);
      assert.match(cancel.json().field, /action/);
      assert.equal(emulated(untouched).status, 'active', 'nothing was changed');
      assert.equal(await patchesOf(untouched.subscription.id), 0);
    });
  });
}
