import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, appUserToken, partnerCenter } from './test-helpers.ts';

interface ServiceRequestBody {
  id: string;
  title: string;
  status: string | number;
  severity: string | number;
  lastClosedDate: string;
  notes?: Array<{ createdByName: string; createdDate: string; text: string }>;
  attributes: { objectType: string };
}
interface ErrorBody {
  code: string;
  description: string;
}

const clock = fixedClock('2025-03-10T09:00:00Z');
let emulator: RunningEmulator;
let asUser: ReturnType<typeof partnerCenter>;
let appOnly: ReturnType<typeof partnerCenter>;

before(async () => {
  // Tokens outlive the clock moves these tests make.
  emulator = await startEmulator({ clock, accessTokenLifetimeSeconds: 30 * 86_400 });
  asUser = partnerCenter(emulator, await appUserToken(emulator));
  appOnly = partnerCenter(emulator, await appOnlyToken(emulator));
});
after(() => emulator.close());

function customer(companyName: string) {
  return emulator.admin.state().customers.find((candidate) => candidate.companyName === companyName)!;
}

describe('emulator › service requests', () => {
  it('opened through the admin endpoint › listed for its customer, a PATCHed note shows in its details', async () => {
    const budapest = customer('Budapest Bútor Kft.');
    const opened = await fetch(`${emulator.url}/_emulator/service-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: budapest.id,
        title: 'Invoice shows seats we removed',
        severity: 'moderate',
      }),
    });
    assert.equal(opened.status, 201);
    const { id } = (await opened.json()) as ServiceRequestBody;
    assert.match(id, /^\d{15}$/);

    const list = await asUser(`/v1/customers/${budapest.id}/servicerequests`);
    assert.equal(list.status, 200);
    const items = ((await list.json()) as { items: ServiceRequestBody[] }).items;
    // The customer-list sample sends the enums as numbers: 1 = open, 2 = moderate.
    assert.deepEqual(
      items.map((item) => [item.id, item.title, item.status, item.severity]),
      [[id, 'Invoice shows seats we removed', 1, 2]],
    );

    clock.advance(3_600_000);
    const patched = await asUser(`/v1/servicerequests/${id}`, {
      method: 'PATCH',
      body: {
        Severity: 'unknown',
        Status: 'none',
        NewNote: { CreatedByName: null, CreatedDate: null, Text: 'Credit note requested for March.' },
      },
    });
    assert.equal(patched.status, 200);
    const details = (await (await asUser(`/v1/servicerequests/${id}`)).json()) as ServiceRequestBody;
    assert.equal(details.status, 'open');
    assert.equal(details.severity, 'moderate', 'the defaults in the documented PATCH body change nothing');
    assert.deepEqual(details.notes, [
      {
        createdByName: emulator.admin.credentials[0]!.userPrincipalName,
        createdDate: '2025-03-10T10:00:00.000Z',
        text: 'Credit note requested for March.',
      },
    ]);
  });

  it("advanced by the admin › Microsoft's note and the closing show through the API", async () => {
    const opened = emulator.admin.openServiceRequest({
      customerId: customer('Grazer Logistik AG').id,
      title: 'Tenant locked',
    });
    const response = await fetch(`${emulator.url}/_emulator/service-requests/${opened.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed', note: 'Unlocked; please confirm.' }),
    });
    assert.equal(response.status, 200);
    const details = (await (await asUser(`/v1/servicerequests/${opened.id}`)).json()) as ServiceRequestBody;
    assert.equal(details.status, 'closed');
    assert.equal(details.lastClosedDate, clock.now().toISOString());
    assert.deepEqual(
      details.notes?.map((note) => [note.createdByName, note.text]),
      [['Microsoft Support', 'Unlocked; please confirm.']],
    );
  });

  it("another partner's service request is 404; a PATCH without a note is 400", async () => {
    const chinese = customer('上海华东贸易有限公司');
    const theirs = emulator.admin.openServiceRequest({ customerId: chinese.id, title: '发票问题' });
    assert.equal((await asUser(`/v1/servicerequests/${theirs.id}`)).status, 404);
    const ours = emulator.admin.openServiceRequest({
      customerId: customer('Alpenblick Hotels GmbH').id,
      title: 'Licences',
    });
    const response = await asUser(`/v1/servicerequests/${ours.id}`, {
      method: 'PATCH',
      body: { Title: 'x' },
    });
    assert.equal(response.status, 400);
  });

  it('app-only tokens › refused on every App+User-only route with 403 900329', async () => {
    const budapest = customer('Budapest Bútor Kft.');
    const opened = emulator.admin.openServiceRequest({ customerId: budapest.id, title: 'Any' });
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/v1/customers/${budapest.id}/servicerequests`],
      ['GET', `/v1/servicerequests/${opened.id}`],
      ['PATCH', `/v1/servicerequests/${opened.id}`, { NewNote: { Text: 'x' } }],
      ['GET', '/v1/profiles/support'],
      ['PUT', '/v1/profiles/supportprofile', { Email: 'a@b.example', Telephone: '1', Website: 'w' }],
    ];
    for (const [method, path, body] of routes) {
      const response = await appOnly(path, { method, ...(body === undefined ? {} : { body }) });
      assert.equal(response.status, 403, `${method} ${path}`);
      const error = (await response.json()) as ErrorBody;
      assert.equal(error.code, '900329');
      assert.equal(error.description, 'This resource does not support application-only authentication.');
    }
    assert.equal(
      (await appOnly(`/v1/customers/${budapest.id}/orders`)).status,
      200,
      'orders accept app-only',
    );
  });
});

describe('emulator › partner support profile', () => {
  it('GET and PUT round trip on /v1/profiles/supportprofile and /v1/profiles/support', async () => {
    const seeded = (await (await asUser('/v1/profiles/support')).json()) as Record<string, unknown>;
    assert.equal(seeded.email, 'support@contoso-it.example');
    assert.deepEqual(seeded.attributes, { objectType: 'SupportProfile' });
    const put = await asUser('/v1/profiles/supportprofile', {
      method: 'PUT',
      body: {
        Email: 'helpdesk@northwindcsp.example',
        Telephone: '+36 1 555 0199',
        Website: 'https://northwindcsp.example/help',
        ProfileType: 'support_profile',
        Attributes: { ObjectType: 'PartnerSupportProfile' },
      },
    });
    assert.equal(put.status, 200);
    const updated = (await put.json()) as Record<string, unknown>;
    assert.equal(updated.profileType, 'support_profile');
    assert.deepEqual(updated.attributes, { objectType: 'PartnerSupportProfile' });
    for (const path of ['/v1/profiles/supportprofile', '/v1/profiles/support']) {
      const read = (await (await asUser(path)).json()) as Record<string, unknown>;
      assert.deepEqual(
        [read.email, read.telephone, read.website],
        ['helpdesk@northwindcsp.example', '+36 1 555 0199', 'https://northwindcsp.example/help'],
      );
    }
    const missing = await asUser('/v1/profiles/support', { method: 'PUT', body: { Email: 'x@y.example' } });
    assert.equal(missing.status, 400);
  });
});
