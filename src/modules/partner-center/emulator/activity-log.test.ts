import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, appUserToken, partnerCenter } from './test-helpers.ts';

interface AuditRecordBody {
  id: string;
  partnerId: string;
  customerId: string;
  customerName: string;
  userPrincipalName?: string;
  applicationId: string;
  resourceType: string;
  resourceNewValue: string;
  operationType: string;
  originalCorrelationId: string;
  operationDate: string;
  operationStatus: string;
  customizedData: Array<{ key: string; value: string | null }>;
  attributes: { objectType: string };
}
interface AuditPage {
  totalCount: number;
  items: AuditRecordBody[];
  links: { next?: { uri: string; headers: Array<{ key: string; value: string }> } };
}

const clock = fixedClock('2025-03-10T09:00:00Z');
let emulator: RunningEmulator;
let call: ReturnType<typeof partnerCenter>;

before(async () => {
  // Tokens outlive the clock moves these tests make.
  emulator = await startEmulator({ clock, accessTokenLifetimeSeconds: 30 * 86_400 });
  call = partnerCenter(emulator, await appOnlyToken(emulator));
});
after(() => emulator.close());

function subscriptionOf(companyName: string) {
  const state = emulator.admin.state();
  const customer = state.customers.find((candidate) => candidate.companyName === companyName)!;
  const entry = state.subscriptions.find((candidate) => candidate.customerId === customer.id)!;
  return {
    customerId: customer.id,
    path: `/v1/customers/${customer.id}/subscriptions/${entry.subscription.id}`,
  };
}

async function patch(path: string, change: Record<string, unknown>, using = call) {
  const current = (await (await using(path)).json()) as Record<string, unknown>;
  const response = await using(path, { method: 'PATCH', body: { ...current, ...change } });
  assert.equal(response.status, 200, await response.clone().text());
}

async function auditRecords(query: string): Promise<AuditPage> {
  const response = await call(`/v1/auditrecords?${query}`);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as AuditPage;
}

describe('emulator › activity log (/v1/auditrecords)', () => {
  it('a suspension is recorded with its customer, resource and date: inside its date range, not outside', async () => {
    const target = subscriptionOf('Budapest Bútor Kft.');
    await patch(target.path, { status: 'suspended' });
    const sameDay = await auditRecords('startDate=2025-03-10&endDate=2025-03-10');
    const record = sameDay.items.find((item) => item.customerId === target.customerId)!;
    assert.ok(record, 'the PATCH is in the log of its day');
    assert.equal(record.operationType, 'update_subscription');
    assert.equal(record.resourceType, 'subscription');
    assert.equal(record.operationStatus, 'succeeded');
    assert.equal(record.operationDate, '2025-03-10T09:00:00.000Z');
    assert.equal(record.customerName, 'Budapest Bútor Kft.');
    assert.equal(record.applicationId, emulator.admin.credentials[0]!.clientId);
    assert.equal(record.userPrincipalName, undefined, 'an app-only call has no user');
    assert.equal(record.attributes.objectType, 'AuditRecord');
    assert.deepEqual(
      record.customizedData.filter((entry) => entry.key.endsWith('Status')),
      [
        { key: 'PreviousStatus', value: 'active' },
        { key: 'Status', value: 'suspended' },
      ],
    );
    assert.equal((JSON.parse(record.resourceNewValue) as { Status: string }).Status, 'suspended');
    const before = await auditRecords('startDate=2025-03-08&endDate=2025-03-09');
    assert.equal(
      before.items.some((item) => item.customerId === target.customerId),
      false,
    );
    const after = await auditRecords('startDate=2025-03-11&endDate=2025-03-12');
    assert.equal(after.items.length, 0);
  });

  it('an App+User change names the user; the filter narrows to one customer', async () => {
    const target = subscriptionOf('Grazer Logistik AG');
    const asUser = partnerCenter(emulator, await appUserToken(emulator));
    await patch(target.path, { autoRenewEnabled: false }, asUser);
    const filter = encodeURIComponent(
      JSON.stringify({ Field: 'CustomerId', Value: target.customerId, Operator: 'equals' }),
    );
    const page = await auditRecords(`filter=${filter}`);
    assert.equal(page.items.length, 1);
    const [record] = page.items;
    assert.equal(record!.userPrincipalName, emulator.admin.credentials[0]!.userPrincipalName);
    assert.deepEqual(
      record!.customizedData.filter((entry) => entry.key.endsWith('AutoRenewEnabled')),
      [
        { key: 'PreviousAutoRenewEnabled', value: 'true' },
        { key: 'AutoRenewEnabled', value: 'false' },
      ],
    );
  });

  it('a created customer is recorded as add_customer', async () => {
    const response = await call('/v1/customers', {
      method: 'POST',
      headers: {
        'MS-RequestId': '2c0a1f0e-3b7d-4c1e-9a55-0d6f1e2b3c4d',
        'MS-CorrelationId': 'feedc0de-0000-4000-8000-000000000005',
      },
      body: {
        CompanyProfile: { Domain: 'soproniborhaz.onmicrosoft.com' },
        BillingProfile: {
          Culture: 'hu-HU',
          Email: 'info@soproniborhaz.example',
          Language: 'hu',
          CompanyName: 'Soproni Borház Kft.',
          DefaultAddress: {
            FirstName: 'Zsófia',
            LastName: 'Szabó',
            AddressLine1: 'Fő tér 1.',
            City: 'Sopron',
            Country: 'HU',
          },
        },
      },
    });
    assert.equal(response.status, 201);
    const created = (await response.json()) as { id: string };
    const filter = encodeURIComponent(
      JSON.stringify({ Field: 'ResourceType', Value: 'customer', Operator: 'equals' }),
    );
    const record = (await auditRecords(`filter=${filter}`)).items.find(
      (item) => item.customerId === created.id,
    )!;
    assert.equal(record.operationType, 'add_customer');
    assert.equal(record.originalCorrelationId, 'feedc0de-0000-4000-8000-000000000005');
    assert.ok(record.customizedData.some((entry) => entry.value === 'soproniborhaz.onmicrosoft.com'));
  });

  it('paging › newest first, size per page, MS-ContinuationToken; a change made mid-listing does not shift the pages', async () => {
    clock.set(new Date('2025-03-12T10:00:00Z'));
    const target = subscriptionOf('Fourth Coffee Kft.');
    for (const name of ['one', 'two', 'three', 'four', 'five']) {
      clock.advance(60_000);
      await patch(target.path, { friendlyName: `Coffee ${name}` });
    }
    const names: string[] = [];
    let page = await auditRecords('startDate=2025-03-12&endDate=2025-03-12&size=2');
    for (;;) {
      assert.ok(page.items.length <= 2);
      assert.equal(page.totalCount, page.items.length);
      for (const item of page.items) {
        names.push(item.customizedData.find((entry) => entry.key === 'FriendlyName')!.value!);
      }
      const next = page.links.next;
      if (!next) break;
      if (names.length === 2) await patch(target.path, { friendlyName: 'Coffee six' });
      const token = next.headers.find((header) => header.key === 'MS-ContinuationToken')!.value;
      const response = await call(next.uri, { headers: { 'MS-ContinuationToken': token } });
      assert.equal(response.status, 200);
      page = (await response.json()) as AuditPage;
    }
    assert.deepEqual(names, ['Coffee five', 'Coffee four', 'Coffee three', 'Coffee two', 'Coffee one']);
  });

  it('a start date more than 90 days back is refused with 400', async () => {
    const response = await call('/v1/auditrecords?startDate=2024-11-01');
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { description: string }).description, /90 days/);
  });
});
