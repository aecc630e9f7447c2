import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, type SeededCredentials, startEmulator } from '../emulator/index.ts';
import { parseAuditRecord } from './audit-records.ts';
import { createPartnerCenterClient, type PartnerCenterClient } from './client.ts';
import { PartnerCenterResponseError } from './errors.ts';
import { ResourceParseError } from './read-fields.ts';

describe('partner-center › activity log', () => {
  let emulator: RunningEmulator;
  let pub: SeededCredentials;
  let client: PartnerCenterClient;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    pub = emulator.admin.credentials.find((seeded) => seeded.cloud === 'public')!;
    client = createPartnerCenterClient({
      cloud: 'public',
      baseUrl: emulator.url,
      authority: emulator.url,
      credentials: { tenantId: pub.tenantId, clientId: pub.clientId, clientSecret: pub.clientSecret },
      pageSize: 2,
      sleep: async () => {},
    });
  });
  after(() => emulator.close());

  async function records(start: Date, end?: Date) {
    const all = [];
    for await (const record of client.listAuditRecords(start, end)) all.push(record);
    return all;
  }

  /** Three subscription changes upstream, each an `update_subscription` record. */
  async function changeThree() {
    const state = emulator.admin.state();
    const customer = state.customers.find((candidate) => candidate.partnerTenantId === pub.tenantId)!;
    const entry = state.subscriptions.find(
      (candidate) => candidate.customerId === customer.id && candidate.subscription.status === 'active',
    )!;
    for (let step = 1; step <= 3; step++) {
      const current = await client.getSubscription(customer.id, entry.subscription.id);
      await client.patchSubscription(
        customer.id,
        { ...current, quantity: current.quantity + 1 },
        { ifMatch: current.etag! },
      );
    }
    return { customerId: customer.id, subscriptionId: entry.subscription.id };
  }

  it('pages through every record since the start, newest first, with the customer and what changed', async () => {
    const start = new Date();
    const { customerId, subscriptionId } = await changeThree();
    const found = await records(start);
    assert.equal(found.length, 3, 'three records over two pages of two');
    assert.ok(found.every((record) => record.customerId === customerId));
    assert.ok(found.every((record) => record.operationType === 'update_subscription'));
    assert.ok(found.every((record) => record.resourceType === 'subscription'));
    const times = found.map((record) => record.operationDate.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    const [newest] = found;
    const data = Object.fromEntries(newest!.customizedData.map((item) => [item.key, item.value]));
    assert.equal(data.SubscriptionId, subscriptionId);
    assert.equal(Number(data.Quantity), Number(data.PreviousQuantity) + 1);
  });

  it('leaves out records before the start instant, though Partner Center answers whole days', async () => {
    await changeThree();
    const later = new Date(Date.now() + 1000);
    assert.deepEqual(await records(later), []);
  });

  it('a record that cannot be used is refused with its path', () => {
    assert.throws(
      () => parseAuditRecord({ id: 'r1', operationDate: 'yesterday' }, 'items[4]'),
      (error: unknown) =>
        error instanceof ResourceParseError &&
        error.path === 'items[4].operationDate' &&
        /ISO 8601/.test(error.message),
    );
    assert.throws(
      () => parseAuditRecord({ operationDate: '2026-01-01T00:00:00Z' }, 'items[0]'),
      (error: unknown) => error instanceof ResourceParseError && error.path === 'items[0].id',
    );
    const read = parseAuditRecord({
      Id: 'r2',
      OperationDate: '2026-01-01T10:00:00.1234567Z',
      CustomerId: 'ABC',
      OperationType: 'Update_Subscription',
      CustomizedData: [{ Key: 'Status', Value: 'suspended' }],
    });
    assert.equal(read.customerId, 'abc');
    assert.equal(read.operationType, 'update_subscription');
    assert.equal(read.operationDate.toISOString(), '2026-01-01T10:00:00.123Z');
    assert.deepEqual(read.customizedData, [{ key: 'Status', value: 'suspended' }]);
  });

  it('a malformed page fails the listing with what was wrong', async () => {
    emulator.admin.setFaults({ malformed: { count: 1, path: '/v1/auditrecords' } });
    await assert.rejects(records(new Date(Date.now() - 60_000)), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterResponseError);
      assert.match(error.message, /activity records|not JSON/);
      return true;
    });
  });
});
