import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, partnerCenter } from './test-helpers.ts';

/** Only the parts of the documented shapes these tests look at. */
interface Page {
  totalCount: number;
  items: Array<{ id: string }>;
  links: { next?: { uri: string; headers: Array<{ key: string; value: string }> } };
  attributes: { objectType: string };
}
interface CustomerBody {
  id: string;
  relationshipToPartner: string;
  companyProfile: { tenantId: string; domain: string };
  billingProfile: { culture: string; defaultAddress: { country: string } };
  userCredentials: { userName: string };
  attributes: { objectType: string };
}
interface SubscriptionBody {
  [name: string]: unknown;
  status: string;
  offerId: string;
  friendlyName: string;
  termDuration: string;
  autoRenewEnabled: boolean;
  productType: { id: string };
  scheduledNextTermInstructions?: unknown;
  attributes: { etag: string };
}
interface ErrorBody {
  code: string;
  description: string;
}

const clock = fixedClock('2025-03-10T09:00:00Z');
let emulator: RunningEmulator;
let call: ReturnType<typeof partnerCenter>;

before(async () => {
  emulator = await startEmulator({ clock });
  call = partnerCenter(emulator, await appOnlyToken(emulator));
});
after(() => emulator.close());

/** A seeded subscription, found by its customer's name and its offer name. */
function seeded(companyName: string, offerName: string) {
  const state = emulator.admin.state();
  const customer = state.customers.find((candidate) => candidate.companyName === companyName)!;
  const entry = state.subscriptions.find(
    (candidate) => candidate.customerId === customer.id && candidate.subscription.offerName === offerName,
  )!;
  return {
    customerId: customer.id,
    id: entry.subscription.id,
    path: `/v1/customers/${customer.id}/subscriptions/${entry.subscription.id}`,
  };
}

async function read<T = SubscriptionBody>(path: string): Promise<T> {
  const response = await call(path);
  assert.equal(response.status, 200);
  return (await response.json()) as T;
}

async function patch(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await call(path, { method: 'PATCH', body, headers });
  return { status: response.status, body: (await response.json()) as SubscriptionBody & ErrorBody };
}

function factsOf(subscriptionId: string) {
  return emulator.admin.state().subscriptions.find((entry) => entry.subscription.id === subscriptionId)!
    .facts;
}

describe('emulator › Partner Center customers', () => {
  it('GET /v1/customers › pages through every customer with MS-ContinuationToken on the next link', async () => {
    const ids: string[] = [];
    let page = await read<Page>('/v1/customers?size=3');
    for (;;) {
      assert.equal(page.attributes.objectType, 'Collection');
      assert.equal(page.totalCount, page.items.length);
      ids.push(...page.items.map((item) => item.id));
      const next = page.links.next;
      if (!next) break;
      const token = next.headers.find((header) => header.key === 'MS-ContinuationToken')!.value;
      const response = await call(next.uri, { headers: { 'MS-ContinuationToken': token } });
      assert.equal(response.status, 200);
      page = (await response.json()) as Page;
    }
    const own = emulator.admin
      .state()
      .customers.filter((customer) => customer.partnerTenantId === emulator.admin.credentials[0]!.tenantId);
    assert.deepEqual(
      ids,
      own.map((customer) => customer.id),
    );
    assert.equal(new Set(ids).size, 7);
  });

  it("GET /v1/customers/{id} › the documented shape; another partner's customer is 403 20002", async () => {
    const hungarian = emulator.admin.state().customers.find((customer) => customer.country === 'HU')!;
    const customer = await read<CustomerBody>(`/v1/customers/${hungarian.id}`);
    assert.equal(customer.companyProfile.tenantId, hungarian.id);
    assert.equal(customer.billingProfile.defaultAddress.country, 'HU');
    assert.equal(customer.billingProfile.culture, 'hu-HU');
    assert.equal(customer.attributes.objectType, 'Customer');
    const chinese = emulator.admin.state().customers.find((candidate) => candidate.country === 'CN')!;
    const response = await call(`/v1/customers/${chinese.id}`);
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as ErrorBody).code, '20002');
  });

  it("GET /v1/customers/{id} › an indirect reseller's customer names the reseller in associatedPartnerId", async () => {
    const provider = emulator.admin.credentials.findIndex((seeded) => seeded.key === 'northwind-us');
    const asProvider = partnerCenter(emulator, await appOnlyToken(emulator, provider));
    const customers = emulator.admin
      .state()
      .customers.filter(
        (customer) => customer.partnerTenantId === emulator.admin.credentials[provider]!.tenantId,
      );
    const read = async (domain: string) => {
      const customer = customers.find((candidate) => candidate.domain === domain)!;
      return (await (await asProvider(`/v1/customers/${customer.id}`)).json()) as Record<string, unknown>;
    };
    assert.equal((await read('wwimporterstw.onmicrosoft.com')).associatedPartnerId, '6300031');
    assert.ok(!('associatedPartnerId' in (await read('adatumcorp.onmicrosoft.com'))), 'a direct customer');
  });

  it('POST /v1/customers › creates from the documented PascalCase body; the same MS-RequestId replays', async () => {
    const body = {
      enableGDAPByDefault: false,
      CompanyProfile: { Domain: 'szegedpekseg.onmicrosoft.com' },
      BillingProfile: {
        Culture: 'HU-HU',
        Email: 'info@szegedpekseg.example',
        Language: 'hu',
        CompanyName: 'Szegedi Pékség Bt.',
        DefaultAddress: {
          FirstName: 'Éva',
          LastName: 'Tóth',
          AddressLine1: 'Kárász utca 5.',
          City: 'Szeged',
          PostalCode: '6720',
          Country: 'HU',
        },
      },
    };
    const headers = {
      'MS-RequestId': 'b7f0b7a4-5b1e-4c52-9d6c-1f1c3a0d7e21',
      'MS-CorrelationId': 'c3f9a1d2-0000-4000-8000-000000000001',
    };
    const first = await call('/v1/customers', { method: 'POST', body, headers });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('MS-RequestId'), headers['MS-RequestId']);
    assert.equal(first.headers.get('MS-CorrelationId'), headers['MS-CorrelationId']);
    const created = (await first.json()) as CustomerBody;
    assert.equal(created.relationshipToPartner, 'none');
    assert.equal(created.billingProfile.culture, 'hu-HU');
    assert.equal(created.userCredentials.userName, 'admin');
    const replay = await call('/v1/customers', { method: 'POST', body, headers });
    assert.equal(replay.status, 201);
    assert.equal(((await replay.json()) as CustomerBody).id, created.id);
    assert.equal(
      (await read<CustomerBody>(`/v1/customers/${created.id}`)).companyProfile.domain,
      'szegedpekseg.onmicrosoft.com',
    );
  });

  it('POST /v1/customers › a missing address field is a 400 naming it', async () => {
    const response = await call('/v1/customers', {
      method: 'POST',
      headers: { 'MS-RequestId': 'a1e0b7a4-5b1e-4c52-9d6c-1f1c3a0d7e21' },
      body: {
        companyProfile: { domain: 'x.onmicrosoft.com' },
        billingProfile: {
          culture: 'en-US',
          language: 'en',
          email: 'a@x.example',
          companyName: 'X',
          defaultAddress: { firstName: 'A', lastName: 'B', city: 'Wien', country: 'AT' },
        },
      },
    });
    assert.equal(response.status, 400);
    assert.match(
      ((await response.json()) as ErrorBody).description,
      /billingProfile\.defaultAddress\.addressLine1/,
    );
  });

  it('any route › 401 without a Bearer token, with the request id echoed', async () => {
    const response = await fetch(`${emulator.url}/v1/customers`, { headers: { 'MS-RequestId': 'r-1' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('MS-RequestId'), 'r-1');
    assert.ok(response.headers.get('MS-CorrelationId'));
  });
});

describe('emulator › Partner Center subscriptions', () => {
  it('GET list and by id › the documented Collection and Subscription shapes with an etag', async () => {
    const { customerId, path } = seeded('Budapest Bútor Kft.', 'Microsoft 365 Business Basic');
    const list = await read<Page>(`/v1/customers/${customerId}/subscriptions`);
    assert.equal(list.totalCount, 4);
    const one = await read(path);
    assert.equal(one.offerId, 'CFQ7TTC0LH18:0001:CFQ7TTC0K971');
    assert.equal(one.productType.id, 'OnlineServicesNCE');
    assert.equal(one.termDuration, 'P1Y');
    assert.ok(one.attributes.etag);
    const missing = await call(
      `/v1/customers/${customerId}/subscriptions/00000000-0000-4000-8000-000000000000`,
    );
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as ErrorBody).code, '20003');
  });

  it('suspend (new commerce) › auto-renew off, scheduled changes removed, still billed; reactivate keeps auto-renew off', async () => {
    const { id, path } = seeded('Budapest Bútor Kft.', 'Microsoft 365 Business Basic');
    const before = await read(path);
    assert.equal(before.autoRenewEnabled, true);
    assert.ok(before.scheduledNextTermInstructions);
    const suspended = await patch(
      path,
      { ...before, status: 'suspended' },
      { 'If-Match': before.attributes.etag },
    );
    assert.equal(suspended.status, 200);
    assert.equal(suspended.body.status, 'suspended');
    assert.equal(suspended.body.autoRenewEnabled, false);
    assert.equal(suspended.body.scheduledNextTermInstructions, undefined);
    assert.notEqual(suspended.body.attributes.etag, before.attributes.etag);
    assert.deepEqual(factsOf(id), { partnerBilled: true, customerAccess: false });
    assert.equal('partnerBilled' in suspended.body, false);

    const refused = await patch(path, { ...suspended.body, friendlyName: 'renamed' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, '800091');

    // The reactivate sample writes `Status` in PascalCase and sends no If-Match.
    const { status: _status, ...rest } = suspended.body;
    const reactivated = await patch(path, { ...rest, Status: 'active' });
    assert.equal(reactivated.status, 200);
    assert.equal(reactivated.body.status, 'active');
    assert.equal(reactivated.body.autoRenewEnabled, false);
    const renewed = await patch(path, { ...reactivated.body, autoRenewEnabled: true });
    assert.equal(renewed.body.autoRenewEnabled, true);
    assert.deepEqual(factsOf(id), { partnerBilled: true, customerAccess: true });
  });

  it('legacy › the Office 365 E3 moved to new commerce has expired: not billed, and refuses changes (900277)', async () => {
    const { id, path } = seeded('Alpenblick Hotels GmbH', 'Office 365 E3');
    const current = await read(path);
    assert.equal(current.status, 'expired');
    assert.equal(current.offerId, '796B6B5F-613C-4E24-A17C-EBA730D49C02');
    const refused = await patch(path, { ...current, status: 'suspended' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, '900277');
    assert.deepEqual(factsOf(id), { partnerBilled: false, customerAccess: false });
  });

  it('If-Match › a stale etag is refused with 400 code 2055 and changes nothing', async () => {
    const { path } = seeded('Wingtip Toys Hungary Zrt.', 'Dynamics 365 Sales Professional');
    const stale = await read(path);
    await patch(path, { ...stale, friendlyName: 'Sales team' }, { 'If-Match': stale.attributes.etag });
    const refused = await patch(
      path,
      { ...stale, status: 'suspended' },
      { 'If-Match': stale.attributes.etag },
    );
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, '2055');
    assert.equal((await read(path)).status, 'active');
  });

  it('PATCH without autoRenewEnabled › turns auto-renew off (the documented pitfall)', async () => {
    const { path } = seeded('Grazer Logistik AG', 'Microsoft 365 Business Standard');
    const { autoRenewEnabled: _dropped, ...withoutAutoRenew } = await read(path);
    const result = await patch(path, { ...withoutAutoRenew, friendlyName: 'Graz office' });
    assert.equal(result.body.friendlyName, 'Graz office');
    assert.equal(result.body.autoRenewEnabled, false);
  });

  it('Azure plan › refuses suspension with 403 900115 while an Azure subscription is active', async () => {
    const active = seeded('Budapest Bútor Kft.', 'Azure plan');
    const refused = await patch(active.path, { ...(await read(active.path)), status: 'suspended' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, '900115');
    const noneActive = seeded('Grazer Logistik AG', 'Azure plan');
    const allowed = await patch(noneActive.path, { ...(await read(noneActive.path)), status: 'suspended' });
    assert.equal(allowed.status, 200);
  });

  it('cancel › new commerce inside 7 days is deleted; then no update is accepted (2011)', async () => {
    const { path } = seeded('Budapest Bútor Kft.', 'Microsoft 365 E3');
    const cancelled = await patch(path, { ...(await read(path)), status: 'deleted' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'deleted');
    const again = await patch(path, { ...cancelled.body, status: 'active' });
    assert.equal(again.status, 400);
    assert.equal(again.body.code, '2011');
  });

  it('cancel › past the window is 400 900117', async () => {
    const old = seeded('Budapest Bútor Kft.', 'Dynamics 365 Business Central Essentials');
    const refused = await patch(old.path, { ...(await read(old.path)), status: 'deleted' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, '900117');
  });

  it('cancel › the window closes 7 days after purchase', async () => {
    const { path } = seeded('Alpenblick Hotels GmbH', 'Microsoft 365 Business Standard');
    clock.advance(5 * 86_400_000);
    try {
      const laterCall = partnerCenter(emulator, await appOnlyToken(emulator));
      const current = (await (await laterCall(path)).json()) as SubscriptionBody;
      const response = await laterCall(path, { method: 'PATCH', body: { ...current, status: 'deleted' } });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as ErrorBody).code, '900117');
    } finally {
      clock.advance(-5 * 86_400_000);
    }
  });

  it('pending operation › 409 with the code the admin set (900278)', async () => {
    const { id, path } = seeded('Wingtip Toys Hungary Zrt.', 'Microsoft 365 Business Basic');
    const set = await fetch(`${emulator.url}/_emulator/subscriptions/${id}/pending-operation`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: '900278' }),
    });
    assert.equal(set.status, 204);
    const refused = await patch(path, { ...(await read(path)), status: 'suspended' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, '900278');
  });
});
