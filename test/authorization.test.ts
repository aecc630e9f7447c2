import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { demoCustomers } from '#modules/customers';
import { demoUsers, isPermission, permissionsOf, type Role } from '#modules/identity';
import { demoPartners } from '#modules/partners';
import type { RunningApp } from '#platform/app';
import type { RouteAccess } from '#platform/http';
import { fixedClock } from '#platform/time';
import { modules } from '../src/main.ts';
import { startTestApp } from './support/app.ts';
import { engines } from './support/database.ts';
import { type Browserless, browserless, signInAsDemo } from './support/people.ts';

/**
 * The permission matrix of DESIGN.md is the oracle: for every role of partner A and for customer
 * users, representative routes answer exactly what `rolePermissions` says (allowed, 403), another
 * partner's or customer's record is 404, and nobody anonymous gets past 401.
 */
const A = demoPartners.contosoHu.id;
const ownCustomer = demoCustomers.fourthCoffee.id;
const otherCustomerOfA = demoCustomers.alpineSkiHouse.id;
const customerOfB = demoCustomers.adatum.id;

const people = demoUsers.filter(
  (user) => user.partnerId === A && (!user.customerId || user.customerId === ownCustomer),
);

interface Case {
  name: string;
  method: string;
  url: string;
  body?: (role: string) => unknown;
  /** Allowed roles get this instead of success: the record is outside their reach. */
  outsideReach?: boolean;
}

const cases: Case[] = [
  { name: 'list customers', method: 'GET', url: '/api/v1/customers' },
  { name: 'read a customer', method: 'GET', url: `/api/v1/customers/${ownCustomer}` },
  {
    name: "read partner B's customer",
    method: 'GET',
    url: `/api/v1/customers/${customerOfB}`,
    outsideReach: true,
  },
  {
    name: 'edit customer details',
    method: 'PATCH',
    url: `/api/v1/customers/${otherCustomerOfA}`,
    body: () => ({ language: 'ru' }),
  },
  {
    name: "edit partner B's customer",
    method: 'PATCH',
    url: `/api/v1/customers/${customerOfB}`,
    body: () => ({ language: 'hu' }),
    outsideReach: true,
  },
  {
    name: 'create a customer',
    method: 'POST',
    url: '/api/v1/customers',
    body: (role) => ({
      name: `New ${role}`,
      domain: `new-${role.replace('_', '-')}.onmicrosoft.com`,
      country: 'HU',
      currency: 'HUF',
    }),
  },
  { name: "read a customer's contacts", method: 'GET', url: `/api/v1/customers/${ownCustomer}/contacts` },
  { name: 'list partner staff', method: 'GET', url: '/api/v1/users' },
  { name: "list a customer's users", method: 'GET', url: `/api/v1/customers/${ownCustomer}/users` },
  {
    name: "list partner B's customer's users",
    method: 'GET',
    url: `/api/v1/customers/${customerOfB}/users`,
    outsideReach: true,
  },
  {
    name: 'change partner settings',
    method: 'PATCH',
    url: '/api/v1/partner',
    body: () => ({ supportPhone: '+36 1 555 0199' }),
  },
  { name: 'read the mail delivery log', method: 'GET', url: '/api/v1/notifications/deliveries' },
  { name: 'read the audit log', method: 'GET', url: '/api/v1/audit-events' },
  { name: 'read own customer (portal)', method: 'GET', url: '/api/v1/portal/customer' },
  { name: "list own customer's users (portal)", method: 'GET', url: '/api/v1/portal/users' },
  {
    name: 'add a contact (portal)',
    method: 'POST',
    url: '/api/v1/portal/contacts',
    body: (role) => ({
      name: `Contact ${role}`,
      email: `${role.replace('_', '.')}@fourthcoffee.example`,
      role: 'billing',
    }),
  },
];

function accessOf(app: RunningApp, method: string, url: string): RouteAccess | undefined {
  const path = url.split('?')[0]!;
  const route = app.http.routeTable.find((entry) => {
    if (entry.method !== method) return false;
    const pattern = new RegExp(`^${entry.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return pattern.test(path);
  });
  assert.ok(route, `a route serves ${method} ${path}`);
  return route.access;
}

function allows(access: RouteAccess | undefined, roles: Role[]): boolean {
  const held = permissionsOf(roles) as ReadonlySet<string>;
  if (access === 'public' || access === 'signed-in' || access === 'signing-in') return true;
  if (access === undefined) return false;
  const needed = 'permission' in access ? [access.permission] : access.anyPermission;
  return needed.some((permission) => held.has(permission));
}

for (const engine of engines()) {
  describe(`authorization on ${engine}`, { timeout: 240_000 }, () => {
    let app: RunningApp;
    const signedIn = new Map<string, Browserless>();
    before(async () => {
      app = await startTestApp({
        engine,
        modules,
        config: { loadDemoData: true },
        clock: fixedClock('2026-11-23T09:00:00Z'),
      });
      for (const person of people) signedIn.set(person.email, await signInAsDemo(app, person.email));
    });
    after(() => app.close());

    it('route inventory › every API route declares its access, and every permission it names is in the matrix', () => {
      const routes = app.http.routeTable.filter(
        (route) => route.url.startsWith('/api/') && !route.url.startsWith('/api/docs'),
      );
      assert.ok(routes.length > 40, `found ${routes.length} API routes`);
      const problems = routes.flatMap((route) => {
        const { access } = route;
        if (access === undefined) return [`${route.method} ${route.url} declares no access`];
        if (typeof access === 'string') return [];
        const named = 'permission' in access ? [access.permission] : [...access.anyPermission];
        return named
          .filter((permission) => !isPermission(permission))
          .map((permission) => `${route.method} ${route.url}: ${permission}`);
      });
      assert.deepEqual(problems, []);
      // Public routes are the sign-in ones and public branding: anything else public is a finding.
      const publicRoutes = routes
        .filter((route) => route.access === 'public')
        .map((route) => `${route.method} ${route.url}`);
      for (const route of publicRoutes) {
        assert.match(route, /\/api\/v1\/(auth\/|partners\/:slug\/)/, `${route} is public`);
      }
    });

    for (const testCase of cases) {
      it(`matrix › ${testCase.name} (${testCase.method} ${testCase.url.replace(/[0-9a-f-]{36}/g, ':id')})`, async () => {
        const access = accessOf(app, testCase.method, testCase.url);
        const anonymous = await browserless(app).request(
          testCase.method,
          testCase.url,
          testCase.body?.('anonymous'),
        );
        assert.equal(anonymous.statusCode, 401, 'anonymous');
        const outcomes: string[] = [];
        for (const person of people) {
          const response = await signedIn
            .get(person.email)!
            .request(testCase.method, testCase.url, testCase.body?.(person.roles[0]!));
          const allowed = allows(access, person.roles);
          const expected = !allowed ? 403 : testCase.outsideReach ? 404 : 'success';
          const got = response.statusCode < 300 ? 'success' : response.statusCode;
          if (got !== expected)
            outcomes.push(
              `${person.roles[0]}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 200)}`,
            );
        }
        assert.deepEqual(outcomes, []);
      });
    }

    it("portal › a customer admin cannot reach another customer's contact, even of the same partner", async () => {
      const globalAdmin = signedIn.get('admin@contoso-hu.example')!;
      const contacts = (
        await globalAdmin.request('GET', `/api/v1/customers/${otherCustomerOfA}/contacts`)
      ).json();
      const foreign = (contacts.contacts ?? contacts.items ?? contacts)[0];
      assert.ok(foreign?.id, 'the other customer has a contact');
      const customerAdmin = signedIn.get('it@fourthcoffee.example')!;
      const response = await customerAdmin.request('PATCH', `/api/v1/portal/contacts/${foreign.id}`, {
        name: 'Hijacked',
      });
      assert.equal(response.statusCode, 404);
      const again = (
        await globalAdmin.request('GET', `/api/v1/customers/${otherCustomerOfA}/contacts`)
      ).json();
      assert.equal(JSON.stringify(again).includes('Hijacked'), false);
    });

    it('database › refuses a contact of partner B pointing at a customer of partner A', async () => {
      await assert.rejects(
        app.app.database.db.execute(
          sql`insert into customer_contacts (partner_id, customer_id, name, email, role)
              values (${demoPartners.northwindUs.id}, ${ownCustomer}, 'X', 'x@example.com', 'billing')`,
        ),
        (error: Error & { cause?: { code?: string } }) =>
          (error.cause?.code ?? (error as { code?: string }).code) === '23503',
      );
    });
  });
}
