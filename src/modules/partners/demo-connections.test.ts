import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { auditModule } from '#modules/audit';
import { type RunningEmulator, startEmulator } from '#modules/partner-center';
import type { Caller } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { checkConnection, listConnections, saveConnection } from './connections.ts';
import { connectDemoPartnersTo, demoPartners } from './demo.ts';
import { partnersModule } from './index.ts';

const globalAdmin = (partnerId: string): Caller => ({
  actor: { kind: 'staff', id: `admin-${partnerId}`, partnerId, permissions: new Set(['partner.manage']) },
});

for (const engine of engines()) {
  describe(`partners › demo connections to the emulator on ${engine}`, () => {
    let running: RunningApp;
    let emulator: RunningEmulator;

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      running = await startTestApp({
        engine,
        modules: [auditModule, partnersModule],
        config: { loadDemoData: true },
      });
    });
    after(async () => {
      await running.close();
      await emulator.close();
    });

    const connectionsOf = (partnerId: string) => listConnections(running.app, globalAdmin(partnerId));
    const demoAudit = () =>
      selectRows<{ action: string; target_id: string }>(
        running.app.database.db,
        sql`select action, target_id from audit_events where actor_kind = 'system' and target_type = 'connection'`,
      );

    it('seed › Contoso to the public cloud, Northwind to all three, Tailspin (a reseller) to none', async () => {
      const seededAt = `http://127.0.0.1:${running.app.config.emulatorPort}/`;
      const clouds = async (partnerId: string) =>
        (await connectionsOf(partnerId)).map(({ cloud, tenantId, baseUrl, authority, refreshTokenSet }) => ({
          cloud,
          tenantId,
          baseUrl,
          authority,
          refreshTokenSet,
        }));
      const tenantOf = (key: string) =>
        emulator.admin.credentials.find((seeded) => seeded.key === key)!.tenantId;
      const expected = (cloud: string, key: string) => ({
        cloud,
        tenantId: tenantOf(key),
        baseUrl: seededAt,
        authority: seededAt,
        refreshTokenSet: true,
      });
      assert.deepEqual(await clouds(demoPartners.contosoHu.id), [expected('public', 'contoso-hu')]);
      assert.deepEqual(await clouds(demoPartners.northwindUs.id), [
        expected('china', 'northwind-cn'),
        expected('public', 'northwind-us'),
        expected('usgov', 'northwind-gov'),
      ]);
      assert.deepEqual(await clouds(demoPartners.tailspinTw.id), []);
    });

    it('start-up › points them at the running emulator, audited once; elsewhere-pointing ones are left alone', async () => {
      const microsoft = await saveConnection(running.app, globalAdmin(demoPartners.contosoHu.id), 'usgov', {
        tenantId: 'contosohu.onmicrosoft.us',
        clientId: '00000000-0000-4000-8000-000000000001',
        clientSecret: 'not-the-emulator',
        baseUrl: 'https://api.partnercenter.microsoft.com',
      });

      assert.equal(await connectDemoPartnersTo(running.app, emulator.url), 4);
      const url = new URL(emulator.url).href;
      for (const partnerId of [demoPartners.contosoHu.id, demoPartners.northwindUs.id]) {
        for (const connection of await connectionsOf(partnerId)) {
          if (connection.id === microsoft.id) {
            assert.equal(connection.baseUrl, 'https://api.partnercenter.microsoft.com/');
          } else {
            assert.deepEqual([connection.baseUrl, connection.authority], [url, url]);
          }
        }
      }
      assert.equal((await demoAudit()).length, 4);

      assert.equal(await connectDemoPartnersTo(running.app, emulator.url), 4);
      assert.equal((await demoAudit()).length, 4, 'the same address again changes and records nothing');
    });

    it('check › every demo connection gets App-only and App+User tokens from the emulator: ok', async () => {
      let checks = 0;
      for (const partnerId of [demoPartners.contosoHu.id, demoPartners.northwindUs.id]) {
        for (const connection of await connectionsOf(partnerId)) {
          if (connection.baseUrl !== new URL(emulator.url).href) continue;
          const checked = await checkConnection(running.app, globalAdmin(partnerId), connection.cloud);
          assert.deepEqual(
            [partnerId, connection.cloud, checked.status, checked.lastError],
            [partnerId, connection.cloud, 'ok', null],
          );
          checks += 1;
        }
      }
      assert.equal(checks, 4);
    });
  });
}
