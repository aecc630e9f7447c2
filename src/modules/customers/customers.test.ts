import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AuditEvent, searchAudit } from '#modules/audit';
import type { Caller } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { isDomainError } from '#platform/errors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import {
  createContact,
  createCustomer,
  customerMfaPolicy,
  deleteContact,
  getCustomer,
  listContacts,
  listCustomers,
  setCustomerMfaRequired,
  updateContact,
  updateCustomer,
} from './index.ts';
import { contacts } from './schema.ts';

const missing = '00000000-0000-4000-8000-00000000dead';

function staff(partnerId: string, permissions: string[]): Caller {
  return { actor: { kind: 'staff', id: 'staff-1', partnerId, permissions: new Set(permissions) } };
}

function customerUser(partnerId: string, customerId: string, permissions: string[]): Caller {
  return {
    actor: { kind: 'customer', id: 'cu-1', partnerId, customerId, permissions: new Set(permissions) },
  };
}

const manager = (partnerId: string) =>
  staff(partnerId, ['customers.read', 'customers.edit_details', 'customers.manage']);
const helpdesk = (partnerId: string) => staff(partnerId, ['customers.read', 'customers.edit_details']);
const customerAdmin = (partnerId: string, customerId: string) =>
  customerUser(partnerId, customerId, [
    'portal.customer.read',
    'portal.contacts.manage',
    'portal.customer_users.manage',
  ]);

function rejectsWith(code: string, field?: string) {
  return (error: unknown) =>
    isDomainError(error) && error.code === code && (field === undefined || error.location.field === field);
}

for (const engine of engines()) {
  describe(`customers on ${engine}`, () => {
    let running: RunningApp;
    let contoso: string;
    let fabrikam: string;
    let northwind: string;
    let woodgrove: string;
    let tailspin: string;
    before(async () => {
      running = await startTestApp({ engine });
      const create = async (slug: string, kind: string, extra: Record<string, unknown> = {}) =>
        createTestPartner(running.app, slug, { kind, ...extra });
      contoso = await create('contoso-hu', 'direct', { defaultLanguage: 'hu', currency: 'HUF' });
      fabrikam = await create('fabrikam', 'direct');
      northwind = await create('northwind-us', 'indirect_provider');
      woodgrove = await create('woodgrove', 'indirect_provider');
      tailspin = await create('tailspin-tw', 'indirect_reseller', { providers: ['northwind-us'] });
    });
    after(() => running.close());
    const db = () => running.app.database.db;

    async function eventsOf(partnerId: string, action?: string): Promise<AuditEvent[]> {
      const caller = staff(partnerId, ['audit.read']);
      return (await searchAudit(running.app, caller, { action, limit: 200 })).events;
    }

    it('create › language and currency default to the partner’s; one audit event names the customer', async () => {
      const customer = await createCustomer(running.app, manager(contoso), {
        name: 'Fourth Coffee Kft.',
        domain: 'FourthCoffee.onmicrosoft.com',
        country: 'hu',
      });
      assert.equal(customer.language, 'hu');
      assert.equal(customer.currency, 'HUF');
      assert.equal(customer.domain, 'fourthcoffee.onmicrosoft.com');
      assert.equal(customer.country, 'HU');
      assert.equal(customer.status, 'active');
      const [event, ...others] = await eventsOf(contoso, 'customer.');
      assert.equal(others.length, 0);
      assert.equal(event!.action, 'customer.created');
      assert.equal(event!.customerId, customer.id);
      assert.equal(event!.targetId, customer.id);
      assert.deepEqual(event!.changes?.currency, { before: null, after: 'HUF' });
    });

    it('create › bad input names the field and writes nothing', async () => {
      const base = { name: 'Alpine Ski House GmbH', domain: 'alpineskihouse.onmicrosoft.com', country: 'AT' };
      const cases: [Parameters<typeof createCustomer>[2], string, string][] = [
        [{ ...base, name: '  ' }, 'required', 'name'],
        [{ ...base, domain: 'alpine ski house' }, 'invalid-domain', 'domain'],
        [{ ...base, country: 'XX' }, 'unknown-country', 'country'],
        [{ ...base, language: 'de' }, 'unsupported-language', 'language'],
        [{ ...base, currency: 'XYZ' }, 'unknown-currency', 'currency'],
        [{ ...base, cloudInstance: 'mars' }, 'invalid-choice', 'cloudInstance'],
        [{ ...base, cloudInstance: 'germany' }, 'cloud-closed', 'cloudInstance'],
        [{ ...base, tenantId: 'not-a-uuid' }, 'invalid-id', 'tenantId'],
        [{ ...base, providerId: northwind }, 'provider-not-allowed', 'providerId'],
        [{ ...base, domain: 'FOURTHCOFFEE.onmicrosoft.com' }, 'domain-taken', 'domain'],
      ];
      for (const [input, code, field] of cases) {
        await assert.rejects(
          createCustomer(running.app, manager(contoso), input),
          rejectsWith(code, field),
          code,
        );
      }
      const page = await listCustomers(running.app, manager(contoso), { search: 'alpine' });
      assert.deepEqual(page.customers, []);
      assert.equal((await eventsOf(contoso, 'customer.')).length, 1);
    });

    it('create › another partner may have a customer with the same domain', async () => {
      const customer = await createCustomer(running.app, manager(fabrikam), {
        name: 'Fourth Coffee',
        domain: 'fourthcoffee.onmicrosoft.com',
        country: 'US',
      });
      assert.equal(customer.partnerId, fabrikam);
    });

    it("reseller › a customer transacts through one of the reseller's own providers", async () => {
      const base = { name: '寰宇進口股份有限公司', domain: 'wwimporterstw.onmicrosoft.com', country: 'TW' };
      await assert.rejects(
        createCustomer(running.app, manager(tailspin), base),
        rejectsWith('unknown-provider', 'providerId'),
      );
      await assert.rejects(
        createCustomer(running.app, manager(tailspin), { ...base, providerId: woodgrove }),
        rejectsWith('unknown-provider', 'providerId'),
      );
      const customer = await createCustomer(running.app, manager(tailspin), {
        ...base,
        language: 'zh-Hant',
        currency: 'TWD',
        providerId: northwind,
      });
      assert.equal(customer.providerId, northwind);
      await assert.rejects(
        updateCustomer(running.app, manager(tailspin), customer.id, { providerId: null }),
        rejectsWith('unknown-provider', 'providerId'),
      );
    });

    it('create › needs customers.manage', async () => {
      await assert.rejects(
        createCustomer(running.app, helpdesk(contoso), { name: 'X', domain: 'x.example.com', country: 'HU' }),
        rejectsWith('forbidden'),
      );
    });

    it('update › a details editor changes name and language; the event holds only what changed', async () => {
      const customer = await createCustomer(running.app, manager(contoso), {
        name: 'Wingtip Toys',
        domain: 'wingtiptoyshu.onmicrosoft.com',
        country: 'HU',
      });
      const updated = await updateCustomer(running.app, helpdesk(contoso), customer.id, {
        name: 'Wingtip Toys Hungary Zrt.',
        language: 'en',
        country: 'HU',
      });
      assert.equal(updated.name, 'Wingtip Toys Hungary Zrt.');
      const [event] = await eventsOf(contoso, 'customer.updated');
      assert.equal(event!.targetId, customer.id);
      assert.deepEqual(event!.changes, {
        language: { before: 'hu', after: 'en' },
        name: { before: 'Wingtip Toys', after: 'Wingtip Toys Hungary Zrt.' },
      });
    });

    it('update › status and other fields need customers.manage; refused changes leave the record as it was', async () => {
      const [customer] = (await listCustomers(running.app, manager(contoso), { search: 'wingtip' }))
        .customers;
      const before = (await eventsOf(contoso)).length;
      await assert.rejects(
        updateCustomer(running.app, helpdesk(contoso), customer!.id, { name: 'Renamed', status: 'inactive' }),
        rejectsWith('forbidden', 'status'),
      );
      const unchanged = await getCustomer(db(), { partnerId: contoso }, customer!.id);
      assert.equal(unchanged.name, 'Wingtip Toys Hungary Zrt.');
      assert.equal(unchanged.status, 'active');
      assert.equal((await eventsOf(contoso)).length, before);
      const deactivated = await updateCustomer(running.app, manager(contoso), customer!.id, {
        status: 'inactive',
      });
      assert.equal(deactivated.status, 'inactive');
    });

    it("update › another partner's customer is not found", async () => {
      const [theirs] = (await listCustomers(running.app, manager(fabrikam), {})).customers;
      await assert.rejects(
        updateCustomer(running.app, manager(contoso), theirs!.id, { name: 'Mine now' }),
        rejectsWith('not-found'),
      );
      await assert.rejects(getCustomer(db(), { partnerId: contoso }, theirs!.id), rejectsWith('not-found'));
    });

    it('list › searches name and domain without wildcards, and cursor pages cover every customer once', async () => {
      for (const [name, domain] of [
        ['Adatum 100% Corp', 'adatum.onmicrosoft.com'],
        ['Litware_Public', 'litware.onmicrosoft.com'],
        ['Margie’s Travel', 'margiestravel.onmicrosoft.com'],
      ]) {
        await createCustomer(running.app, manager(contoso), { name: name!, domain: domain!, country: 'HU' });
      }
      const search = async (text: string) =>
        (await listCustomers(running.app, manager(contoso), { search: text })).customers.map((c) => c.name);
      assert.deepEqual(await search('ADATUM'), ['Adatum 100% Corp']);
      assert.deepEqual(await search('100%'), ['Adatum 100% Corp']);
      assert.deepEqual(await search('%'), ['Adatum 100% Corp']);
      assert.deepEqual(await search('_'), ['Litware_Public']);
      assert.deepEqual(await search('margiestravel'), ['Margie’s Travel']);

      const all = (await listCustomers(running.app, manager(contoso), { limit: 200 })).customers.map(
        (c) => c.id,
      );
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listCustomers(running.app, manager(contoso), { limit: 2, cursor });
        paged.push(...page.customers.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(paged, all);
      assert.equal(all.length, 5);
      await assert.rejects(
        listCustomers(running.app, manager(contoso), { cursor: 'garbage' }),
        rejectsWith('invalid-cursor', 'cursor'),
      );
    });

    it('mfa › a customer admin requires two-step verification for their own customer, audited', async () => {
      const [customer] = (await listCustomers(running.app, manager(contoso), { search: 'fourth' })).customers;
      assert.equal(await customerMfaPolicy(db(), contoso, customer!.id), 'optional');
      await setCustomerMfaRequired(running.app, customerAdmin(contoso, customer!.id), true);
      assert.equal(await customerMfaPolicy(db(), contoso, customer!.id), 'required');
      const [event] = await eventsOf(contoso, 'customer.mfa_policy_changed');
      assert.equal(event!.customerId, customer!.id);
      assert.equal(event!.actorKind, 'customer');
      assert.deepEqual(event!.changes, { mfaRequired: { before: 'optional', after: 'required' } });
      await assert.rejects(
        setCustomerMfaRequired(
          running.app,
          customerUser(contoso, customer!.id, ['portal.customer.read']),
          false,
        ),
        rejectsWith('forbidden'),
      );
      await assert.rejects(customerMfaPolicy(db(), fabrikam, customer!.id), rejectsWith('not-found'));
    });

    it('contacts › added, changed and removed, each with one audit event; language defaults to the customer’s', async () => {
      const [customer] = (await listCustomers(running.app, manager(contoso), { search: 'fourth' })).customers;
      const contact = await createContact(running.app, helpdesk(contoso), customer!.id, {
        name: 'Kovács Eszter',
        email: 'eszter.kovacs@fourthcoffee.example',
        role: 'billing',
      });
      assert.equal(contact.language, 'hu');
      const changed = await updateContact(running.app, helpdesk(contoso), customer!.id, contact.id, {
        phone: '+36 30 555 0101',
        role: 'billing',
      });
      assert.equal(changed.phone, '+36 30 555 0101');
      await deleteContact(running.app, helpdesk(contoso), customer!.id, contact.id);
      assert.deepEqual(await listContacts(running.app, helpdesk(contoso), customer!.id), []);
      const events = await eventsOf(contoso, 'contact.');
      assert.deepEqual(
        events.map((event) => event.action),
        ['contact.deleted', 'contact.updated', 'contact.created'],
      );
      assert.ok(events.every((event) => event.customerId === customer!.id && event.targetId === contact.id));
      assert.deepEqual(events[1]!.changes, { phone: { before: null, after: '+36 30 555 0101' } });
    });

    it('contacts › bad input names the field and writes nothing', async () => {
      const [customer] = (await listCustomers(running.app, manager(contoso), { search: 'fourth' })).customers;
      for (const [input, field] of [
        [{ name: 'A', email: 'not-an-address', role: 'billing' }, 'email'],
        [{ name: 'A', email: 'a@b.hu', role: 'boss' }, 'role'],
        [{ name: 'A', email: 'a@b.hu', role: 'billing', phone: 'ring ring' }, 'phone'],
        [{ name: '', email: 'a@b.hu', role: 'billing' }, 'name'],
      ] as const) {
        await assert.rejects(
          createContact(running.app, helpdesk(contoso), customer!.id, input),
          (error) => isDomainError(error) && error.location.field === field,
        );
      }
      assert.deepEqual(await listContacts(running.app, helpdesk(contoso), customer!.id), []);
    });

    it("contacts › a customer user reaches their own customer's contacts only", async () => {
      const mine = (await listCustomers(running.app, manager(contoso), { search: 'fourth' })).customers[0]!;
      const other = (await listCustomers(running.app, manager(contoso), { search: 'adatum' })).customers[0]!;
      const theirs = await createContact(running.app, manager(contoso), other.id, {
        name: 'Maria Garcia',
        email: 'maria@adatum.example',
        role: 'billing',
      });
      const admin = customerAdmin(contoso, mine.id);
      const own = await createContact(running.app, admin, mine.id, {
        name: 'Nagy Balázs',
        email: 'balazs@fourthcoffee.example',
        role: 'technical',
      });
      assert.deepEqual(
        (await listContacts(running.app, admin, mine.id)).map((contact) => contact.id),
        [own.id],
      );
      await assert.rejects(listContacts(running.app, admin, other.id), rejectsWith('not-found'));
      await assert.rejects(
        updateContact(running.app, admin, mine.id, theirs.id, { name: 'Hijacked' }),
        rejectsWith('not-found'),
      );
      await assert.rejects(deleteContact(running.app, admin, other.id, theirs.id), rejectsWith('not-found'));
      await assert.rejects(
        createContact(running.app, customerUser(contoso, mine.id, ['portal.customer.read']), mine.id, {
          name: 'X',
          email: 'x@fourthcoffee.example',
          role: 'general',
        }),
        rejectsWith('forbidden'),
      );
    });

    it("database › refuses a contact pointing at another partner's customer", async () => {
      const [theirs] = (await listCustomers(running.app, manager(fabrikam), {})).customers;
      await assert.rejects(
        db().insert(contacts).values({
          partnerId: contoso,
          customerId: theirs!.id,
          name: 'Intruder',
          email: 'intruder@example.com',
          role: 'general',
        }),
        (error: unknown) => /foreign key/.test(String((error as { cause?: Error }).cause?.message ?? error)),
      );
      await assert.rejects(getCustomer(db(), { partnerId: contoso }, missing), rejectsWith('not-found'));
    });
  });
}
