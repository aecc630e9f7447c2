import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, partnerCenter } from './test-helpers.ts';

interface SubscriptionBody {
  id: string;
  quantity: number;
  status: string;
  autoRenewEnabled: boolean;
  attributes: { etag: string };
}
interface AuditRecordBody {
  customerId: string;
  operationType: string;
  userPrincipalName?: string;
  applicationId: string;
  customizedData: Array<{ key: string; value: string | null }>;
}
interface ErrorBody {
  code: string;
  description: string;
}

const clock = fixedClock('2025-03-10T09:00:00Z');

/** Emulator-only endpoints: plain `fetch`, no token. */
function adminCall(emulator: RunningEmulator, method: string, path: string, body?: unknown) {
  return fetch(`${emulator.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

/** The first partner's customer by name, and its subscriptions as the admin state lists them. */
function seeded(emulator: RunningEmulator, companyName: string) {
  const state = emulator.admin.state();
  const customer = state.customers.find((candidate) => candidate.companyName === companyName)!;
  const subscriptions = state.subscriptions.filter((entry) => entry.customerId === customer.id);
  return { customer, subscriptions };
}

describe('emulator › admin: changes made in Microsoft’s portals', () => {
  let emulator: RunningEmulator;
  let call: ReturnType<typeof partnerCenter>;

  before(async () => {
    emulator = await startEmulator({ clock });
    call = partnerCenter(emulator, await appOnlyToken(emulator));
  });
  after(() => emulator.close());

  const listed = async (customerId: string) =>
    (
      (await (await call(`/v1/customers/${customerId}/subscriptions`)).json()) as {
        items: SubscriptionBody[];
      }
    ).items;

  it('DELETE /_emulator/subscriptions/:id › the subscription vanishes from its customer’s listing and reads', async () => {
    const { customer, subscriptions } = seeded(emulator, 'Wingtip Toys Hungary Zrt.');
    const [gone, ...kept] = subscriptions;
    assert.ok(gone && kept.length > 0, 'a customer with more than one subscription');
    const removed = await adminCall(emulator, 'DELETE', `/_emulator/subscriptions/${gone.subscription.id}`);
    assert.equal(removed.status, 204);
    assert.deepEqual(
      (await listed(customer.id)).map((item) => item.id).sort(),
      kept.map((entry) => entry.subscription.id).sort(),
    );
    const read = await call(`/v1/customers/${customer.id}/subscriptions/${gone.subscription.id}`);
    assert.equal(read.status, 404);
    assert.equal(((await read.json()) as ErrorBody).code, '20003');

    const again = await adminCall(emulator, 'DELETE', `/_emulator/subscriptions/${gone.subscription.id}`);
    assert.equal(again.status, 404);
    assert.match(((await again.json()) as ErrorBody).description, new RegExp(gone.subscription.id));
  });

  it('DELETE /_emulator/customers/:id › the relationship ends: not listed, its reads refused as for a stranger', async () => {
    const { customer, subscriptions } = seeded(emulator, 'Grazer Logistik AG');
    assert.ok(subscriptions.length > 0);
    const removed = await adminCall(emulator, 'DELETE', `/_emulator/customers/${customer.id}`);
    assert.equal(removed.status, 204);
    const page = (await (await call('/v1/customers?size=500')).json()) as { items: Array<{ id: string }> };
    assert.ok(!page.items.some((item) => item.id === customer.id));
    assert.ok(page.items.length > 0, 'the other customers stay');
    for (const path of [`/v1/customers/${customer.id}`, `/v1/customers/${customer.id}/subscriptions`]) {
      const refused = await call(path);
      assert.equal(refused.status, 403, path);
      assert.equal(((await refused.json()) as ErrorBody).code, '20002');
    }
    const state = emulator.admin.state();
    assert.ok(
      !state.subscriptions.some((entry) => entry.customerId === customer.id),
      'its subscriptions went',
    );

    const unknown = await adminCall(emulator, 'DELETE', `/_emulator/customers/${customer.id}`);
    assert.equal(unknown.status, 404);
  });

  it('PATCH /_emulator/subscriptions/:id › sets the fields, a new etag refuses the old one, an activity record tells what changed', async () => {
    const { customer, subscriptions } = seeded(emulator, 'Fourth Coffee Kft.');
    const entry = subscriptions.find((candidate) => candidate.subscription.status === 'active')!;
    const before = entry.subscription;
    const started = clock.now();
    const changed = await adminCall(emulator, 'PATCH', `/_emulator/subscriptions/${before.id}`, {
      quantity: before.quantity + 5,
      autoRenewEnabled: !before.autoRenewEnabled,
    });
    assert.equal(changed.status, 200, await changed.clone().text());
    const body = (await changed.json()) as SubscriptionBody;
    assert.equal(body.quantity, before.quantity + 5);
    assert.notEqual(body.attributes.etag, before.attributes.etag);

    const read = (await (
      await call(`/v1/customers/${customer.id}/subscriptions/${before.id}`)
    ).json()) as SubscriptionBody;
    assert.equal(read.quantity, before.quantity + 5);
    assert.equal(read.autoRenewEnabled, !before.autoRenewEnabled);
    assert.equal(read.status, 'active');
    const stale = await call(`/v1/customers/${customer.id}/subscriptions/${before.id}`, {
      method: 'PATCH',
      headers: { 'If-Match': before.attributes.etag },
      body: { ...read, friendlyName: 'Renamed' },
    });
    assert.equal(stale.status, 400);
    assert.equal(((await stale.json()) as ErrorBody).code, '2055');

    const log = (await (
      await call(`/v1/auditrecords?startDate=${started.toISOString().slice(0, 10)}`)
    ).json()) as { items: AuditRecordBody[] };
    const [record] = log.items;
    assert.equal(record!.customerId, customer.id);
    assert.equal(record!.operationType, 'update_subscription');
    assert.equal(record!.userPrincipalName, emulator.admin.credentials[0]!.userPrincipalName);
    const data = Object.fromEntries(record!.customizedData.map((item) => [item.key, item.value]));
    assert.equal(data.SubscriptionId, before.id);
    assert.equal(data.PreviousQuantity, String(before.quantity));
    assert.equal(data.Quantity, String(before.quantity + 5));
    assert.equal(data.AutoRenewEnabled, String(!before.autoRenewEnabled));
    assert.ok(!('Status' in data), 'only what changed');

    const suspended = await adminCall(emulator, 'PATCH', `/_emulator/subscriptions/${before.id}`, {
      status: 'suspended',
    });
    assert.equal(((await suspended.json()) as SubscriptionBody).status, 'suspended');
  });

  it('PATCH /_emulator/subscriptions/:id › a bad change is refused naming the field; an unknown id is 404', async () => {
    const { subscriptions } = seeded(emulator, 'Alpine Ski House GmbH');
    const id = subscriptions[0]!.subscription.id;
    const cases: Array<[unknown, RegExp]> = [
      [{ quantity: 0 }, /quantity must be a whole number of at least 1/],
      [{ quantity: '3' }, /quantity/],
      [{ status: 'frozen' }, /status must be one of active, suspended/],
      [{ autoRenewEnabled: 'yes' }, /autoRenewEnabled must be true or false/],
      [{ friendlyName: 'x' }, /Unknown field friendlyName/],
      [{}, /at least one of quantity, status, autoRenewEnabled/],
    ];
    for (const [body, message] of cases) {
      const refused = await adminCall(emulator, 'PATCH', `/_emulator/subscriptions/${id}`, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(((await refused.json()) as ErrorBody).description, message);
    }
    assert.equal(
      emulator.admin.state().subscriptions.find((entry) => entry.subscription.id === id)!.subscription
        .quantity,
      subscriptions[0]!.subscription.quantity,
    );
    const unknown = await adminCall(emulator, 'PATCH', '/_emulator/subscriptions/nope', { quantity: 2 });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as ErrorBody).code, '20003');
  });
});

describe('emulator › admin changes with its own database', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-emulator-admin-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('a removal and a change made through the admin endpoints survive a restart', async () => {
    const first = await startEmulator({ clock, dataDir });
    const { customer, subscriptions } = seeded(first, 'Wingtip Toys Hungary Zrt.');
    const [gone, changed] = subscriptions;
    await adminCall(first, 'DELETE', `/_emulator/subscriptions/${gone!.subscription.id}`);
    await adminCall(first, 'PATCH', `/_emulator/subscriptions/${changed!.subscription.id}`, { quantity: 42 });
    await first.close();

    const second = await startEmulator({ clock, dataDir });
    try {
      const after = seeded(second, 'Wingtip Toys Hungary Zrt.');
      assert.equal(after.customer.id, customer.id);
      assert.ok(!after.subscriptions.some((entry) => entry.subscription.id === gone!.subscription.id));
      assert.equal(
        after.subscriptions.find((entry) => entry.subscription.id === changed!.subscription.id)!.subscription
          .quantity,
        42,
      );
    } finally {
      await second.close();
    }
  });
});
