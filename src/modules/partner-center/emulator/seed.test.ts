import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedStore } from './seed.ts';

const now = new Date('2025-03-10T09:00:00Z');

describe('emulator › seed', () => {
  it('the same seed string gives the same ids and secrets; another gives others', () => {
    const first = seedStore('demo', now);
    const again = seedStore('demo', now);
    const other = seedStore('other', now);
    assert.deepEqual(again.credentials, first.credentials);
    assert.deepEqual(
      again.store.subscriptions.map((subscription) => subscription.id),
      first.store.subscriptions.map((subscription) => subscription.id),
    );
    assert.notEqual(other.credentials[0]!.clientId, first.credentials[0]!.clientId);
  });

  it('covers the clouds, countries and kinds of subscription later slices rely on', () => {
    const { store } = seedStore('demo', now);
    assert.deepEqual(
      store.partners.map((partner) => partner.cloud),
      ['public', 'us-government', '21vianet'],
    );
    const countries = new Set(store.customers.map((customer) => customer.address.country));
    for (const country of ['HU', 'AT', 'TW', 'CN', 'US']) assert.ok(countries.has(country), country);
    const kinds = new Set(store.subscriptions.map((subscription) => subscription.kind));
    assert.deepEqual([...kinds].sort(), ['azure-plan', 'legacy', 'new-commerce']);
    const inWindow = store.subscriptions.filter(
      (subscription) => subscription.cancellationAllowedUntil && subscription.cancellationAllowedUntil > now,
    );
    assert.ok(inWindow.length >= 2, 'some new-commerce subscriptions are still inside the 7-day window');
  });
});
