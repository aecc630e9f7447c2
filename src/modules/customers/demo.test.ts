import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoPartners, getPartner, listProviders, partnersModule } from '#modules/partners';
import type { RunningApp } from '#platform/app';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { customersModule, demoCustomers, getCustomer, listContacts } from './index.ts';

for (const engine of engines()) {
  describe(`demo partners and customers on ${engine}`, () => {
    let running: RunningApp;
    before(async () => {
      running = await startTestApp({
        engine,
        modules: [partnersModule, customersModule],
        config: { loadDemoData: true },
      });
    });
    after(() => running.close());

    it('seeds every demo partner and customer under its fixed id', async () => {
      assert.deepEqual(running.seeded, ['partners', 'customers']);
      const db = running.app.database.db;
      const hungary = await getPartner(db, demoPartners.contosoHu.id);
      assert.deepEqual(
        [hungary.slug, hungary.timeZone, hungary.currency, hungary.defaultLanguage],
        ['contoso-hu', 'Europe/Budapest', 'HUF', 'hu'],
      );
      const providers = await listProviders(db, demoPartners.tailspinTw.id);
      assert.deepEqual(
        providers.map((provider) => provider.id),
        [demoPartners.northwindUs.id],
      );
      for (const { id, partnerId } of Object.values(demoCustomers)) {
        const customer = await getCustomer(db, { partnerId }, id);
        if (partnerId === demoPartners.tailspinTw.id)
          assert.equal(customer.providerId, demoPartners.northwindUs.id);
        else assert.equal(customer.providerId, null);
      }
    });

    it('includes a Russian-speaking customer in Austria and Chinese customers on the public and China clouds', async () => {
      const db = running.app.database.db;
      const customer = (key: keyof typeof demoCustomers) =>
        getCustomer(db, { partnerId: demoCustomers[key].partnerId }, demoCustomers[key].id);
      const alpine = await customer('alpineSkiHouse');
      assert.deepEqual([alpine.country, alpine.language], ['AT', 'ru']);
      const taiwan = await customer('wideWorldImporters');
      assert.deepEqual([taiwan.country, taiwan.language, taiwan.cloudInstance], ['TW', 'zh-Hant', 'public']);
      const china = await customer('cohoWinery');
      assert.deepEqual([china.country, china.language, china.cloudInstance], ['CN', 'zh-Hans', 'china']);
      const staff = {
        actor: {
          kind: 'staff' as const,
          id: 'demo',
          partnerId: alpine.partnerId,
          permissions: new Set(['customers.read']),
        },
      };
      assert.ok(
        (await listContacts(running.app, staff, alpine.id)).some((contact) => contact.language === 'ru'),
      );
    });
  });
}
