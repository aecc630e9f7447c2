import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedStore } from './seed.ts';

const now = new Date('2025-03-10T09:00:00Z');

describe('emulator › seed', () => {
  it('the same seed string gives the same ids, secrets and bills; another gives others', () => {
    const first = seedStore('demo', now);
    const again = seedStore('demo', now);
    const other = seedStore('other', now);
    assert.deepEqual(again.credentials, first.credentials);
    assert.deepEqual(
      again.store.subscriptions.map((subscription) => subscription.id),
      first.store.subscriptions.map((subscription) => subscription.id),
    );
    assert.deepEqual(again.store.invoices, first.store.invoices);
    assert.notEqual(other.credentials[0]!.clientId, first.credentials[0]!.clientId);
  });

  it('has the partners partnerdesk links to, each in its own cloud and currency', () => {
    const { store, credentials } = seedStore('demo', now);
    assert.deepEqual(
      store.partners.map((partner) => [partner.key, partner.cloud, partner.currencyCode]),
      [
        ['contoso-hu', 'public', 'EUR'],
        ['northwind-us', 'public', 'USD'],
        ['northwind-gov', 'us-government', 'USD'],
        ['northwind-cn', '21vianet', 'CNY'],
        ['formosa-tw', 'public', 'TWD'],
      ],
    );
    assert.deepEqual(
      credentials.map((seeded) => seeded.key),
      store.partners.map((partner) => partner.key),
    );
  });

  it("has the demo's customers under the right partner, with their language and reseller", () => {
    const { store } = seedStore('demo', now);
    const partnerOf = (domain: string) => {
      const customer = store.customers.find((candidate) => candidate.domain === domain);
      assert.ok(customer, domain);
      return { customer, partner: store.partners.find((p) => p.tenantId === customer.partnerTenantId)!.key };
    };
    for (const domain of [
      'fourthcoffeehu.onmicrosoft.com',
      'alpineskihouse.onmicrosoft.com',
      'wingtiptoyshu.onmicrosoft.com',
    ]) {
      assert.equal(partnerOf(domain).partner, 'contoso-hu', domain);
    }
    assert.equal(partnerOf('alpineskihouse.onmicrosoft.com').customer.language, 'ru');
    assert.equal(partnerOf('adatumcorp.onmicrosoft.com').partner, 'northwind-us');
    const importers = partnerOf('wwimporterstw.onmicrosoft.com');
    assert.equal(importers.partner, 'northwind-us');
    assert.equal(importers.customer.associatedPartnerId, '6300031');
    assert.equal(importers.customer.culture, 'zh-TW');
    assert.equal(partnerOf('litwaregov.onmicrosoft.us').partner, 'northwind-gov');
    assert.equal(partnerOf('cohowinerysh.partner.onmschina.cn').partner, 'northwind-cn');
    const resellers = new Set(
      store.customers.map((customer) => customer.associatedPartnerId).filter(Boolean),
    );
    assert.ok(resellers.size >= 2, 'two indirect resellers');
  });

  it('covers the countries and kinds of subscription later slices rely on; 21Vianet sells no Azure', () => {
    const { store } = seedStore('demo', now);
    const countries = new Set(store.customers.map((customer) => customer.address.country));
    for (const country of ['HU', 'AT', 'TW', 'CN', 'US']) assert.ok(countries.has(country), country);
    const kinds = new Set(store.subscriptions.map((subscription) => subscription.kind));
    assert.deepEqual([...kinds].sort(), ['azure-plan', 'legacy', 'new-commerce']);
    const inWindow = store.subscriptions.filter(
      (subscription) => subscription.cancellationAllowedUntil && subscription.cancellationAllowedUntil > now,
    );
    assert.ok(inWindow.length >= 2, 'some new-commerce subscriptions are still inside the 7-day window');
    const china = store.partners.find((partner) => partner.cloud === '21vianet')!;
    const chineseCustomers = new Set(
      store.customers.filter((c) => c.partnerTenantId === china.tenantId).map((c) => c.id),
    );
    assert.ok(
      store.subscriptions.every(
        (subscription) =>
          subscription.kind !== 'azure-plan' || !chineseCustomers.has(subscription.customerId),
      ),
    );
  });

  it('bills twelve months per partner; the legacy licence only before its cut-over to new commerce', () => {
    const { store } = seedStore('demo', now);
    for (const partner of store.partners) {
      const months = store.invoices
        .filter((invoice) => invoice.partnerTenantId === partner.tenantId && invoice.kind === 'new-commerce')
        .map((invoice) => invoice.month);
      assert.equal(new Set(months).size, 12, partner.key);
      assert.ok(!months.includes('2025-03'), 'the current month is unbilled');
      assert.ok(
        store.invoices.every((invoice) => invoice.invoiceDate <= now && /^[GD]/.test(invoice.id)),
        'published, numbered G (new commerce) or D (legacy)',
      );
    }
    const legacy = store.subscriptions.find((subscription) => subscription.kind === 'legacy')!;
    assert.equal(legacy.status, 'expired');
    assert.ok(store.legacyLines.length > 0);
    assert.ok(store.legacyLines.every((line) => line.chargeEndDate < legacy.commitmentEndDate));
    const seatChange = store.reconciliationLines.filter((line) => line.chargeType === 'removeQuantity');
    assert.equal(seatChange.length, 2);
    assert.equal(seatChange[0]!.referenceId, seatChange[1]!.referenceId);
    assert.ok(seatChange.some((line) => line.totalForCustomer.startsWith('-')));
  });
});
