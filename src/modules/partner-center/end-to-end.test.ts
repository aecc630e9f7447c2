import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createPartnerCenterClient,
  type PartnerCenterClient,
  PartnerCenterError,
  type RunningEmulator,
  startEmulator,
} from './index.ts';

/** The client and the emulator were written apart from the same documents: here they meet over HTTP. */
describe('Partner Center client against the emulator', () => {
  let emulator: RunningEmulator;
  let client: PartnerCenterClient;
  const waits: number[] = [];
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const partner = emulator.admin.credentials.find((credentials) => credentials.cloud === 'public')!;
    client = createPartnerCenterClient({
      cloud: 'public',
      baseUrl: emulator.url,
      authority: emulator.url,
      credentials: {
        tenantId: partner.tenantId,
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        refreshToken: partner.refreshToken,
      },
      pageSize: 2,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });
  after(() => emulator.close());

  async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
    const list: T[] = [];
    for await (const item of items) list.push(item);
    return list;
  }

  it('paging › every customer arrives once, across pages of two', async () => {
    const customers = await all(client.listCustomers());
    assert.ok(customers.length > 2, `${customers.length} customers`);
    assert.equal(new Set(customers.map((customer) => customer.id)).size, customers.length);
  });

  it('suspend and reactivate › a new-commerce subscription is suspended, loses auto-renew, and comes back', async () => {
    const customers = await all(client.listCustomers());
    let target: { customerId: string; subscriptionId: string } | undefined;
    for (const customer of customers) {
      const subscriptions = await all(client.listSubscriptions(customer.id));
      const found = subscriptions.find(
        (s) => s.status === 'active' && s.autoRenewEnabled === true && s.termDuration,
      );
      if (found) {
        target = { customerId: customer.id, subscriptionId: found.id };
        break;
      }
    }
    assert.ok(target, 'the seed has an active, auto-renewing new-commerce subscription');
    const before = await client.getSubscription(target.customerId, target.subscriptionId);
    const suspended = await client.patchSubscription(
      target.customerId,
      { ...before, status: 'suspended' },
      { ifMatch: before.etag! },
    );
    assert.equal(suspended.status, 'suspended');
    assert.equal(suspended.autoRenewEnabled, false, 'Microsoft turns auto-renew off on suspension');
    // The etag the PATCH was given is now stale.
    await assert.rejects(
      client.patchSubscription(target.customerId, { ...before, status: 'active' }, { ifMatch: before.etag! }),
      (error: PartnerCenterError) =>
        error instanceof PartnerCenterError && error.status === 400 && error.code === '2055',
    );
    const reread = await client.getSubscription(target.customerId, target.subscriptionId);
    const reactivated = await client.patchSubscription(
      target.customerId,
      { ...reread, status: 'active' },
      { ifMatch: reread.etag! },
    );
    assert.equal(reactivated.status, 'active');
    // Auto-renew comes back as its own change, the way the subscriptions service will restore it.
    const renewing = await client.patchSubscription(
      target.customerId,
      { ...reactivated, autoRenewEnabled: true },
      { ifMatch: reactivated.etag! },
    );
    assert.deepEqual([renewing.status, renewing.autoRenewEnabled], ['active', true]);
  });

  it('throttling › 429 three times with Retry-After, then the answer; nothing lost', async () => {
    const expected = (await all(client.listCustomers())).length;
    waits.length = 0;
    emulator.admin.setFaults({ throttle: { count: 3, retryAfterSeconds: 2 } });
    const customers = await all(client.listCustomers());
    assert.equal(customers.length, expected);
    assert.deepEqual(waits, [2000, 2000, 2000]);
  });

  it('a malformed body › is reported with what was wrong, not half-applied', async () => {
    emulator.admin.setFaults({ malformed: { count: 1 } });
    await assert.rejects(all(client.listCustomers()), /not JSON/);
  });
});
