import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CostLine } from '../lines.ts';
import { createFingerprint, fingerprintLines } from './fingerprint.ts';

function line(overrides: Partial<CostLine> = {}): CostLine {
  return {
    form: 'billed_recon',
    invoiceNumber: 'G000000001',
    period: '2025-01-01',
    sourceName: 'a.csv',
    sourceLine: 2,
    customerTenantId: 'tenant-1',
    customerName: 'Fourth Coffee',
    customerCountry: 'HU',
    resellerMpnId: null,
    subscriptionId: 'sub-1',
    entitlementId: null,
    orderId: 'order-1',
    productId: 'CFQ7TTC0LH18',
    skuId: '0001',
    availabilityId: 'CFQ7TTC0LH1G',
    productName: 'Microsoft 365 Business Basic',
    skuName: 'Microsoft 365 Business Basic',
    meterId: null,
    meterName: null,
    meterCategory: null,
    serviceFamily: 'm365',
    chargeType: 'new',
    referenceId: 'ref-1',
    periodStart: null,
    periodEnd: null,
    chargeStart: '2025-01-05',
    chargeEnd: '2025-02-04',
    usageDate: null,
    quantity: '10',
    unitPrice: '5.52',
    effectiveUnitPrice: '5.52',
    subtotal: '55.2',
    tax: '0',
    cost: '55.2',
    currency: 'EUR',
    pricingCurrency: 'EUR',
    pricingTotal: null,
    exchangeRate: '1',
    creditType: null,
    isReservation: false,
    extra: null,
    ...overrides,
  };
}

const lines = [
  line(),
  line({ sourceLine: 3, chargeType: 'removeQuantity', quantity: '10', cost: '-40.02' }),
  line({ sourceLine: 4, chargeType: 'removeQuantity', quantity: '8', cost: '32.01' }),
];

describe('fingerprints of a set of cost lines', () => {
  it('are the same for the same lines in any order, from any source, whatever their unknown columns', async () => {
    const original = await fingerprintLines(lines);
    assert.equal(await fingerprintLines(lines.toReversed()), original);
    const elsewhere = lines.map((entry, index) =>
      line({ ...entry, sourceName: 'export.json.gz', sourceLine: 100 + index, extra: { note: 'x' } }),
    );
    assert.equal(await fingerprintLines(elsewhere), original);
    assert.match(original, /^3:[0-9a-f]{64}$/);
  });

  it('change with any changed value: an amount by a cent, a date, a charge type, a null', async () => {
    const original = await fingerprintLines(lines);
    for (const change of [
      { cost: '55.21' },
      { chargeStart: '2025-01-06' },
      { chargeType: 'renew' },
      { referenceId: null },
      { isReservation: true },
    ] satisfies Partial<CostLine>[]) {
      const changed = [line(change), ...lines.slice(1)];
      assert.notEqual(await fingerprintLines(changed), original, JSON.stringify(change));
    }
  });

  it('tell a repeated line and a missing one apart (the count and the sum both move)', async () => {
    const twice = await fingerprintLines([...lines, lines[0]!]);
    assert.notEqual(twice, await fingerprintLines(lines));
    assert.match(twice, /^4:/);
    assert.notEqual(await fingerprintLines(lines.slice(1)), await fingerprintLines(lines));
  });

  it('accumulate line by line, as an import streams', () => {
    const fingerprint = createFingerprint();
    assert.equal(fingerprint.digest(), `0:${'0'.repeat(64)}`);
    for (const entry of lines) fingerprint.add(entry);
    const streamed = fingerprint.digest();
    const again = createFingerprint();
    for (const entry of lines.toReversed()) again.add(entry);
    assert.equal(again.digest(), streamed);
  });
});
