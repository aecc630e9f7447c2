import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Caller } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { createContact, createCustomer, customersModule } from './index.ts';

const manage = ['customers.read', 'customers.edit_details', 'customers.manage'];
const helpdesk = ['customers.read', 'customers.edit_details'];
const customerAdmin = ['portal.customer.read', 'portal.contacts.manage', 'portal.customer_users.manage'];

function customerHeader(partnerId: string, customerId: string, permissions: string[]) {
  return {
    'x-test-actor': JSON.stringify({ kind: 'customer', id: 'cu-1', partnerId, customerId, permissions }),
  };
}

for (const engine of engines()) {
  describe(`customers http on ${engine}`, () => {
    let running: RunningApp;
    let reseller: string;
    let provider: string;
    let other: string;
    let mine: string;
    let sibling: string;
    let foreign: string;
    let siblingContact: string;
    before(async () => {
      running = await startTestApp({
        engine,
        modules: [customersModule],
        authenticator: headerAuthenticator,
      });
      const app = running.app;
      const partner = async (slug: string, kind: string, providers?: string[]) =>
        createTestPartner(app, slug, { kind, ...(providers ? { providers } : {}) });
      provider = await partner('northwind-us', 'indirect_provider');
      reseller = await partner('tailspin-tw', 'indirect_reseller', ['northwind-us']);
      other = await partner('fabrikam', 'direct');
      const admin = (partnerId: string): Caller => ({
        actor: { kind: 'staff', id: 'admin', partnerId, permissions: new Set(manage) },
      });
      mine = (
        await createCustomer(app, admin(reseller), {
          name: '寰宇進口股份有限公司',
          domain: 'wwimporterstw.onmicrosoft.com',
          country: 'TW',
          language: 'zh-Hant',
          currency: 'TWD',
          providerId: provider,
        })
      ).id;
      sibling = (
        await createCustomer(app, admin(reseller), {
          name: '科霍酒庄（上海）有限公司',
          domain: 'cohowinerysh.partner.onmschina.cn',
          cloudInstance: 'china',
          country: 'CN',
          language: 'zh-Hans',
          currency: 'CNY',
          providerId: provider,
        })
      ).id;
      siblingContact = (
        await createContact(app, admin(reseller), sibling, {
          name: '王伟',
          email: 'wei@coho.example',
          role: 'billing',
        })
      ).id;
      foreign = (
        await createCustomer(app, admin(other), {
          name: 'Adatum',
          domain: 'adatum.onmicrosoft.com',
          country: 'US',
        })
      ).id;
    });
    after(() => running.close());

    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      url: string,
      headers: Record<string, string> = {},
      payload?: object,
    ) => running.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    it('GET /customers › 401, 403 without customers.read, 200 with the own partner’s customers only', async () => {
      assert.equal((await call('GET', '/api/v1/customers')).statusCode, 401);
      assert.equal(
        (await call('GET', '/api/v1/customers', staffHeader(reseller, ['tickets.manage']))).statusCode,
        403,
      );
      const response = await call(
        'GET',
        '/api/v1/customers?limit=1',
        staffHeader(reseller, ['customers.read']),
      );
      assert.equal(response.statusCode, 200);
      const page = response.json();
      assert.equal(page.items.length, 1);
      assert.equal(page.items[0].providerId, provider);
      const next = await call(
        'GET',
        `/api/v1/customers?limit=1&cursor=${page.nextCursor}`,
        staffHeader(reseller, ['customers.read']),
      );
      assert.deepEqual([page.items[0].id, next.json().items[0].id].sort(), [mine, sibling].sort());
      assert.equal(next.json().nextCursor, null);
      const search = await call(
        'GET',
        '/api/v1/customers?q=ONMSCHINA',
        staffHeader(reseller, ['customers.read']),
      );
      assert.deepEqual(
        search.json().items.map((item: { id: string }) => item.id),
        [sibling],
      );
      const bad = await call(
        'GET',
        '/api/v1/customers?limit=1000',
        staffHeader(reseller, ['customers.read']),
      );
      assert.equal(bad.json().field, 'querystring.limit');
    });

    it("GET /customers/:id › another partner's customer is 404; a malformed id is a 400 naming it", async () => {
      const reader = staffHeader(reseller, ['customers.read']);
      assert.equal((await call('GET', `/api/v1/customers/${mine}`, reader)).json().cloudInstance, 'public');
      assert.equal((await call('GET', `/api/v1/customers/${foreign}`, reader)).statusCode, 404);
      const malformed = await call('GET', '/api/v1/customers/42', reader);
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().field, 'params.id');
    });

    it('POST /customers › 403 for a details editor, 400 naming the field, 201 for a manager', async () => {
      const body = {
        name: 'Wide World',
        domain: 'wideworld.onmicrosoft.com',
        country: 'TW',
        providerId: provider,
      };
      assert.equal(
        (await call('POST', '/api/v1/customers', staffHeader(reseller, helpdesk), body)).statusCode,
        403,
      );
      for (const [payload, field] of [
        [{ ...body, country: 'Taiwan' }, 'country'],
        [{ ...body, providerId: other }, 'providerId'],
        [{ ...body, currency: 'NTD' }, 'currency'],
        [{ ...body, cloudInstance: 'mars' }, 'body.cloudInstance'],
        [{ name: 'No domain', country: 'TW' }, 'body.domain'],
      ] as const) {
        const response = await call('POST', '/api/v1/customers', staffHeader(reseller, manage), payload);
        assert.equal(response.statusCode, 400, JSON.stringify(payload));
        assert.equal(response.json().field, field);
      }
      const created = await call('POST', '/api/v1/customers', staffHeader(reseller, manage), body);
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().providerId, provider);
      assert.equal(created.json().currency, 'USD', "the partner's currency");
    });

    it('PATCH /customers/:id › details with edit_details; status needs customers.manage; other partners 404', async () => {
      const rename = await call('PATCH', `/api/v1/customers/${mine}`, staffHeader(reseller, helpdesk), {
        name: '寰宇進口',
      });
      assert.equal(rename.statusCode, 200);
      assert.equal(rename.json().name, '寰宇進口');
      const status = await call('PATCH', `/api/v1/customers/${mine}`, staffHeader(reseller, helpdesk), {
        status: 'inactive',
      });
      assert.equal(status.statusCode, 403);
      assert.equal(status.json().field, 'status');
      const foreignPatch = await call(
        'PATCH',
        `/api/v1/customers/${foreign}`,
        staffHeader(reseller, manage),
        {
          name: 'Mine',
        },
      );
      assert.equal(foreignPatch.statusCode, 404);
      const move = await call('PATCH', `/api/v1/customers/${mine}`, staffHeader(reseller, manage), {
        partnerId: other,
      });
      assert.equal(move.statusCode, 400, 'a customer never moves to another partner');
    });

    it('contacts › staff add, change and remove; another partner’s customer is 404', async () => {
      const editor = staffHeader(reseller, helpdesk);
      const created = await call('POST', `/api/v1/customers/${mine}/contacts`, editor, {
        name: '陳怡君',
        email: 'yichun@wwi.example',
        role: 'billing',
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().language, 'zh-Hant');
      const id = created.json().id;
      const badEmail = await call('PATCH', `/api/v1/customers/${mine}/contacts/${id}`, editor, {
        email: 'nope',
      });
      assert.equal(badEmail.statusCode, 400);
      assert.equal(badEmail.json().field, 'email');
      const wrongCustomer = await call('PATCH', `/api/v1/customers/${sibling}/contacts/${id}`, editor, {
        name: 'X',
      });
      assert.equal(wrongCustomer.statusCode, 404, 'a contact is reached through its own customer only');
      assert.equal(
        (
          await call('POST', `/api/v1/customers/${foreign}/contacts`, editor, {
            name: 'X',
            email: 'x@y.example',
            role: 'general',
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (
          await call('GET', `/api/v1/customers/${mine}/contacts`, staffHeader(reseller, ['customers.read']))
        ).json().length,
        1,
      );
      assert.equal(
        (await call('DELETE', `/api/v1/customers/${mine}/contacts/${id}`, editor)).statusCode,
        204,
      );
      assert.equal(
        (await call('DELETE', `/api/v1/customers/${mine}/contacts/${id}`, editor)).statusCode,
        404,
      );
    });

    it('portal › the own customer without internal fields; staff have no portal permission', async () => {
      const response = await call(
        'GET',
        '/api/v1/portal/customer',
        customerHeader(reseller, mine, ['portal.customer.read']),
      );
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.id, mine);
      assert.equal(body.providerId, undefined);
      assert.equal(body.status, undefined);
      assert.equal(body.createdAt, undefined);
      assert.doesNotMatch(response.body, new RegExp(provider));
      assert.equal(
        (await call('GET', '/api/v1/portal/customer', staffHeader(reseller, manage))).statusCode,
        403,
      );
      assert.equal((await call('GET', '/api/v1/portal/customer')).statusCode, 401);
    });

    it("portal › contacts of the own customer only; another customer's contact is 404", async () => {
      const admin = customerHeader(reseller, mine, customerAdmin);
      const created = await call('POST', '/api/v1/portal/contacts', admin, {
        name: 'Lin Mei',
        email: 'mei.lin@wwi.example',
        role: 'technical',
        language: 'en',
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().customerId, undefined);
      const list = await call(
        'GET',
        '/api/v1/portal/contacts',
        customerHeader(reseller, mine, ['portal.customer.read']),
      );
      assert.deepEqual(
        list.json().map((contact: { id: string }) => contact.id),
        [created.json().id],
      );
      assert.equal(
        (await call('PATCH', `/api/v1/portal/contacts/${siblingContact}`, admin, { name: 'Hijacked' }))
          .statusCode,
        404,
      );
      assert.equal(
        (await call('DELETE', `/api/v1/portal/contacts/${siblingContact}`, admin)).statusCode,
        404,
      );
      const reader = customerHeader(reseller, mine, ['portal.customer.read']);
      assert.equal(
        (
          await call('POST', '/api/v1/portal/contacts', reader, {
            name: 'X',
            email: 'x@wwi.example',
            role: 'general',
          })
        ).statusCode,
        403,
      );
      const missingField = await call('POST', '/api/v1/portal/contacts', admin, {
        name: 'X',
        role: 'general',
      });
      assert.equal(missingField.json().field, 'body.email');
    });

    it('portal › a customer admin requires MFA for their users; a customer user may not', async () => {
      const url = '/api/v1/portal/customer/mfa-policy';
      const user = customerHeader(reseller, mine, ['portal.customer.read']);
      assert.equal((await call('PUT', url, user, { required: true })).statusCode, 403);
      const admin = customerHeader(reseller, mine, customerAdmin);
      const response = await call('PUT', url, admin, { required: true });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { required: true });
      assert.deepEqual((await call('GET', url, admin)).json(), { required: true });
      const neighbour = await call(
        'GET',
        '/api/v1/portal/customer',
        customerHeader(reseller, sibling, ['portal.customer.read']),
      );
      assert.equal(neighbour.json().mfaRequired, 'optional', 'only the own customer changed');
    });
  });
}
