import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type RunningEmulator, type SeededCredentials, startEmulator } from '#modules/partner-center';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { fixedClock } from '#platform/time';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { modules } from '../../main.ts';
import { getConnectionClient } from './index.ts';

const DAY = 86_400_000;

interface Row {
  id: string;
  cloud: string;
  client_secret: string;
  refresh_token: string | null;
  refresh_token_issued_at: Date | string | null;
  status: string;
  last_error: string | null;
  last_checked_at: Date | string | null;
  updated_at: Date | string;
}

interface AuditRow {
  action: string;
  target_id: string;
  actor_kind: string;
  changes: unknown;
}

for (const engine of engines()) {
  describe(`partners › connections on ${engine}`, () => {
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    let running: RunningApp;
    let emulator: RunningEmulator;
    let contoso: string;
    let fabrikam: string;
    let pub: SeededCredentials;
    let china: SeededCredentials;

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      pub = emulator.admin.credentials.find((seeded) => seeded.cloud === 'public')!;
      china = emulator.admin.credentials.find((seeded) => seeded.cloud === '21vianet')!;
      running = await startTestApp({ engine, modules, authenticator: headerAuthenticator, clock });
      contoso = await createTestPartner(running.app, 'contoso-hu', { legalName: 'Contoso' });
      fabrikam = await createTestPartner(running.app, 'fabrikam', { legalName: 'Fabrikam' });
    });
    after(async () => {
      await running.close();
      await emulator.close();
    });

    const admin = (partnerId = contoso) => staffHeader(partnerId, ['partner.manage'], `admin-${partnerId}`);
    const request = (
      method: 'GET' | 'PUT' | 'DELETE' | 'POST',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => running.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const body = (seeded: SeededCredentials, extra: object = {}) => ({
      tenantId: seeded.tenantId,
      clientId: seeded.clientId,
      clientSecret: seeded.clientSecret,
      refreshToken: seeded.refreshToken,
      baseUrl: emulator.url,
      authority: emulator.url,
      ...extra,
    });
    const rowOf = async (partnerId: string, cloud: string) => {
      const [row] = await selectRows<Row>(
        running.app.database.db,
        sql`select * from partner_center_connections where partner_id = ${partnerId} and cloud = ${cloud}`,
      );
      return row;
    };
    const auditOf = (partnerId: string) =>
      selectRows<AuditRow>(
        running.app.database.db,
        sql`select action, target_id, actor_kind, changes from audit_events
            where partner_id = ${partnerId} and target_type = 'connection' order by occurred_at, id`,
      );
    const sealedAs = (partnerId: string, id: string, column: string) => `pc:${partnerId}:${id}:${column}`;

    it('save › secrets are sealed in the row and appear nowhere in the table, the answer or the audit log', async () => {
      const saved = await request('PUT', '/api/v1/partner/connections/public', admin(), body(pub));
      assert.equal(saved.statusCode, 200, saved.body);
      const view = saved.json();
      assert.equal(view.cloud, 'public');
      assert.equal(view.tenantId, pub.tenantId);
      assert.equal(view.clientSecretSet, true);
      assert.equal(view.refreshTokenSet, true);
      assert.equal(view.refreshTokenIssuedAt, clock.now().toISOString());
      assert.equal(view.status, 'untested');
      assert.equal(view.warning, 'none');
      for (const secret of [pub.clientSecret, pub.refreshToken]) {
        assert.ok(!saved.body.includes(secret), 'the answer holds no secret');
        const listed = await request('GET', '/api/v1/partner/connections', admin());
        assert.ok(!listed.body.includes(secret), 'the list holds no secret');
      }

      const table = await selectRows<Row>(
        running.app.database.db,
        sql`select * from partner_center_connections`,
      );
      const audit = await auditOf(contoso);
      for (const secret of [pub.clientSecret, pub.refreshToken]) {
        assert.ok(!JSON.stringify(table).includes(secret), 'the table holds no plaintext');
        assert.ok(!JSON.stringify(audit).includes(secret), 'the audit log holds no plaintext');
      }
      const row = (await rowOf(contoso, 'public'))!;
      assert.equal(row.id, view.id);
      const { secrets } = running.app;
      assert.equal(
        secrets.decrypt(row.client_secret, sealedAs(contoso, row.id, 'client_secret')),
        pub.clientSecret,
      );
      assert.equal(
        secrets.decrypt(row.refresh_token!, sealedAs(contoso, row.id, 'refresh_token')),
        pub.refreshToken,
      );
      assert.throws(
        () => secrets.decrypt(row.client_secret, sealedAs(fabrikam, row.id, 'client_secret')),
        'a ciphertext is bound to its partner and connection',
      );
      assert.deepEqual(
        audit.map((event) => event.action),
        ['connection.created'],
      );
    });

    it('check › App-only and App+User tokens work: ok, and the refresh token Entra rotated is kept', async () => {
      clock.advance(DAY);
      const before = (await rowOf(contoso, 'public'))!;
      const checked = await request('POST', '/api/v1/partner/connections/public/check', admin());
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(checked.json().status, 'ok');
      assert.equal(checked.json().lastError, null);
      assert.equal(checked.json().lastCheckedAt, clock.now().toISOString());
      assert.equal(checked.json().refreshTokenIssuedAt, clock.now().toISOString(), 'a new token, a new age');
      assert.equal(checked.json().refreshTokenAgeDays, 0);

      const after = (await rowOf(contoso, 'public'))!;
      const rotated = running.app.secrets.decrypt(
        after.refresh_token!,
        sealedAs(contoso, after.id, 'refresh_token'),
      );
      assert.notEqual(rotated, pub.refreshToken);
      assert.notEqual(after.refresh_token, before.refresh_token);
      assert.equal(after.client_secret, before.client_secret);
      const audit = await auditOf(contoso);
      assert.deepEqual(
        audit.map((event) => event.action),
        ['connection.created', 'connection.checked'],
      );
      assert.ok(!JSON.stringify(audit).includes(rotated));
    });

    it('check › a revoked refresh token fails with what Entra said; nothing else changes', async () => {
      const saved = await request('PUT', '/api/v1/partner/connections/china', admin(), body(china));
      assert.equal(saved.statusCode, 200, saved.body);
      assert.ok(emulator.admin.revokeRefreshToken(china.refreshToken));
      const before = (await rowOf(contoso, 'china'))!;
      clock.advance(60_000);

      const checked = await request('POST', '/api/v1/partner/connections/china/check', admin());
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(checked.json().status, 'failed');
      const error: string = checked.json().lastError;
      assert.match(error, /refused the refresh_token grant/);
      assert.match(error, /invalid_grant/);
      assert.match(error, /AADSTS50173/);
      assert.match(error, /Renew the Secure Application Model consent/);

      const after = (await rowOf(contoso, 'china'))!;
      assert.deepEqual(
        {
          ...after,
          status: before.status,
          last_error: null,
          last_checked_at: null,
          updated_at: before.updated_at,
        },
        before,
        'only the status, the error and the check time changed',
      );
      assert.equal(new Date(after.last_checked_at!).toISOString(), clock.now().toISOString());
      const audit = await auditOf(contoso);
      assert.equal(audit.at(-1)!.action, 'connection.checked');
      assert.ok(!JSON.stringify(audit).includes(china.clientSecret));
    });

    it('refresh token age › renew-soon from day 75, expired after day 90, renew-by 90 days after issue', async () => {
      const issued = clock.now();
      const put = await request(
        'PUT',
        '/api/v1/partner/connections/usgov',
        admin(),
        body(china, { authority: null }),
      );
      assert.equal(put.statusCode, 200, put.body);
      const renewBy = new Date(issued.getTime() + 90 * DAY).toISOString();
      const seen = async (offset: number) => {
        clock.set(new Date(issued.getTime() + offset));
        const list = await request('GET', '/api/v1/partner/connections', admin());
        const usgov = list.json().find((connection: { cloud: string }) => connection.cloud === 'usgov');
        return { age: usgov.refreshTokenAgeDays, warning: usgov.warning, renewBy: usgov.renewBy };
      };
      assert.deepEqual(await seen(74 * DAY + 3_600_000), { age: 74, warning: 'none', renewBy });
      assert.deepEqual(await seen(75 * DAY), { age: 75, warning: 'renew-soon', renewBy });
      assert.deepEqual(await seen(90 * DAY), { age: 90, warning: 'renew-soon', renewBy });
      assert.deepEqual(await seen(90 * DAY + 1), { age: 90, warning: 'expired', renewBy });

      // A new client secret alone keeps the token's age; a new refresh token starts it again.
      const secretOnly = await request('PUT', '/api/v1/partner/connections/usgov', admin(), {
        ...body(china, { authority: null }),
        refreshToken: undefined,
        clientSecret: 'another-secret',
      });
      assert.equal(secretOnly.json().warning, 'expired');
      assert.equal(secretOnly.json().status, 'untested');
      const renewed = await request('PUT', '/api/v1/partner/connections/usgov', admin(), {
        ...body(china, { authority: null }),
        clientSecret: undefined,
        refreshToken: 'a-newly-consented-token',
      });
      assert.equal(renewed.json().refreshTokenAgeDays, 0);
      assert.equal(renewed.json().warning, 'none');
      assert.equal(renewed.json().refreshTokenIssuedAt, clock.now().toISOString());
    });

    it("tenancy › another partner's connection is not found, and its own list is empty", async () => {
      const other = admin(fabrikam);
      const list = await request('GET', '/api/v1/partner/connections', other);
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json(), []);
      assert.equal(
        (await request('POST', '/api/v1/partner/connections/public/check', other)).statusCode,
        404,
      );
      assert.equal((await request('DELETE', '/api/v1/partner/connections/public', other)).statusCode, 404);
      assert.ok(await rowOf(contoso, 'public'), "contoso's connection is untouched");
    });

    it('cloud › Germany is refused as retired, an unknown instance as unknown, both naming the field', async () => {
      const germany = await request('PUT', '/api/v1/partner/connections/germany', admin(), body(pub));
      assert.equal(germany.statusCode, 400);
      assert.equal(germany.json().field, 'cloud');
      assert.match(germany.json().detail, /retired/);
      const mars = await request('PUT', '/api/v1/partner/connections/mars', admin(), body(pub));
      assert.equal(mars.statusCode, 400);
      assert.equal(mars.json().field, 'cloud');
      const noSecret = await request('PUT', '/api/v1/partner/connections/public', admin(fabrikam), {
        tenantId: pub.tenantId,
        clientId: pub.clientId,
      });
      assert.equal(noSecret.statusCode, 400);
      assert.equal(noSecret.json().field, 'clientSecret');
      const badTenant = await request('PUT', '/api/v1/partner/connections/public', admin(fabrikam), {
        ...body(pub),
        tenantId: 'not a tenant',
      });
      assert.equal(badTenant.json().field, 'tenantId');
      assert.equal(await rowOf(fabrikam, 'public'), undefined);
    });

    it('access › anonymous 401; staff without partner.manage and customer users 403', async () => {
      const customer = {
        'x-test-actor': JSON.stringify({
          kind: 'customer',
          id: 'cu-1',
          partnerId: contoso,
          customerId: '00000000-0000-4000-8000-0000000000c1',
          permissions: ['portal.customer.read'],
        }),
      };
      const routes = [
        ['GET', '/api/v1/partner/connections'],
        ['PUT', '/api/v1/partner/connections/public'],
        ['DELETE', '/api/v1/partner/connections/public'],
        ['POST', '/api/v1/partner/connections/public/check'],
      ] as const;
      for (const [method, url] of routes) {
        const payload = method === 'PUT' ? body(pub) : undefined;
        assert.equal((await request(method, url, {}, payload)).statusCode, 401, `${method} ${url}`);
        const agent = staffHeader(contoso, ['customers.manage', 'tickets.manage']);
        assert.equal((await request(method, url, agent, payload)).statusCode, 403, `${method} ${url}`);
        assert.equal((await request(method, url, customer, payload)).statusCode, 403, `${method} ${url}`);
      }
    });

    it('getConnectionClient › a ready client that stores the refresh token Entra rotates', async () => {
      const client = await getConnectionClient(running.app, contoso, 'public');
      const customers = [];
      for await (const customer of client.listCustomers()) customers.push(customer);
      assert.ok(customers.length > 0);
      const audit = await auditOf(contoso);
      const renewed = audit.at(-1)!;
      assert.equal(renewed.action, 'connection.refresh_token_renewed');
      assert.equal(renewed.actor_kind, 'system');
      const row = (await rowOf(contoso, 'public'))!;
      assert.equal(new Date(row.refresh_token_issued_at!).toISOString(), clock.now().toISOString());
      await assert.rejects(getConnectionClient(running.app, fabrikam, 'public'), { code: 'not-found' });
    });

    it('delete › removes the connection with its audit event', async () => {
      const removed = await request('DELETE', '/api/v1/partner/connections/usgov', admin());
      assert.equal(removed.statusCode, 204);
      assert.equal(await rowOf(contoso, 'usgov'), undefined);
      assert.equal((await auditOf(contoso)).at(-1)!.action, 'connection.deleted');
      assert.equal((await request('DELETE', '/api/v1/partner/connections/usgov', admin())).statusCode, 404);
    });
  });
}
