import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  createBillingClient,
  type Invoice,
  type PartnerCenterBillingClient,
  type RunningEmulator,
  startEmulator,
} from '#modules/partner-center';
import { money, sum } from '#platform/money';
import { fixedClock } from '#platform/time';
import type { CostLine } from '../lines.ts';
import { readCsvFile } from './csv.ts';
import { canonicalLine, fingerprintLines } from './fingerprint.ts';
import { type JsonRow, readGraphExportRows, readV1LineItems } from './json.ts';
import { csvOf, documentedHeader, streamOf } from './test-files.ts';

/**
 * The same billed lines delivered three ways — the v1 line items, the Graph export, and the CSV file
 * Partner Center would let the partner download — must read into the same CostLines, so that a
 * delivery from one source after another changes nothing.
 */
const clock = fixedClock('2025-03-10T09:00:00Z');

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

async function* rawOf(items: AsyncIterable<{ raw: JsonRow }>): AsyncIterable<JsonRow> {
  for await (const item of items) yield item.raw;
}

/** The lines' content in a stable order, provenance and unknown columns left out. */
function contentOf(lines: CostLine[]): string[] {
  return lines.map(canonicalLine).toSorted();
}

describe('the same billed lines from v1, Graph and CSV', () => {
  let emulator: RunningEmulator;
  let client: PartnerCenterBillingClient;
  let invoice: Invoice;

  before(async () => {
    emulator = await startEmulator({ port: 0, clock });
    const seeded = emulator.admin.credentials.find((credentials) => credentials.key === 'contoso-hu')!;
    client = createBillingClient({
      cloud: 'public',
      baseUrl: emulator.url,
      authority: emulator.url,
      graphUrl: emulator.url,
      credentials: {
        tenantId: seeded.tenantId,
        clientId: seeded.clientId,
        clientSecret: seeded.clientSecret,
        refreshToken: seeded.refreshToken,
      },
      pageSize: 50,
      sleep: async () => {},
    });
    // The latest invoice with Azure usage: licences, Azure plan lines and daily usage behind them.
    const invoices = await all(client.listInvoices());
    invoice = invoices.find((candidate) =>
      candidate.invoiceDetails.some((detail) => detail.invoiceLineItemType === 'usage_line_items'),
    )!;
    assert.ok(invoice, 'the emulator seeds an invoice with usage');
  });
  after(() => emulator.close());

  it('billed reconciliation lines: equal field for field, equal fingerprints, costs adding up to the invoice', async () => {
    const v1Items = await all(client.billedLineItems(invoice.id, invoice.currencyCode));
    const v1 = await all(readV1LineItems(v1Items, `v1 ${invoice.id}`, 'billed_recon'));
    const exported = await client.exportBilledReconciliation(invoice.id);
    const graph = await all(
      readGraphExportRows(rawOf(exported.rows()), exported.manifest!.blobs[0]!.name, 'billed_recon', {
        invoiceNumber: invoice.id,
      }),
    );
    const file = csvOf(
      documentedHeader('billed_recon'),
      v1Items.map((item) => item.raw),
    );
    const csv = await all(readCsvFile(streamOf(gzipSync(file), 4096), `${invoice.id}.csv.gz`));

    assert.ok(v1.length > 5, 'a real invoice, not an empty one');
    assert.equal(graph.length, v1.length);
    assert.equal(csv.length, v1.length);
    assert.deepEqual(contentOf(graph), contentOf(v1));
    assert.deepEqual(contentOf(csv), contentOf(v1));
    const fingerprints = await Promise.all([
      fingerprintLines(v1),
      fingerprintLines(graph),
      fingerprintLines(csv),
    ]);
    assert.equal(new Set(fingerprints).size, 1, fingerprints.join(' / '));

    assert.ok(v1.every((line) => line.invoiceNumber === invoice.id && line.form === 'billed_recon'));
    assert.ok(
      csv.every((line, index) => line.sourceLine === index + 2),
      'file lines after the header',
    );
    const families = new Set(v1.map((line) => line.serviceFamily));
    assert.ok(families.has('azure') && families.has('m365'), [...families].join(', '));
    assert.ok(v1.some((line) => line.entitlementId !== null && line.exchangeRate !== '1'));
    const total = sum(
      csv.map((line) => money(line.cost, line.currency)),
      invoice.currencyCode,
    );
    assert.equal(total.toString(), money(invoice.totalCharges, invoice.currencyCode).toString());
  });

  it('billed daily rated usage: equal field for field and in fingerprint from v1, Graph and CSV', async () => {
    const v1Items = await all(client.billedUsage(invoice.id, invoice.currencyCode));
    const v1 = await all(readV1LineItems(v1Items, `v1 ${invoice.id} usage`, 'daily_usage'));
    const exported = await client.exportBilledUsage(invoice.id);
    const graph = await all(readGraphExportRows(rawOf(exported.rows()), 'usage.json.gz', 'daily_usage'));
    const csv = await all(
      readCsvFile(
        streamOf(
          csvOf(
            documentedHeader('daily_usage'),
            v1Items.map((item) => item.raw),
          ),
        ),
        'usage.csv',
      ),
    );
    assert.ok(v1.length > 28, 'a month of days');
    assert.deepEqual(contentOf(graph), contentOf(v1));
    assert.deepEqual(contentOf(csv), contentOf(v1));
    assert.equal(await fingerprintLines(csv), await fingerprintLines(graph));
    assert.ok(v1.every((line) => line.period === `${invoice.billingPeriodStartDate.slice(0, 7)}-01`));
  });

  it('a changed amount on one line changes the fingerprint; the order of lines does not', async () => {
    const v1Items = await all(client.billedLineItems(invoice.id, invoice.currencyCode));
    const lines = await all(readV1LineItems(v1Items, 'v1', 'billed_recon'));
    const original = await fingerprintLines(lines);
    assert.equal(await fingerprintLines(lines.toReversed()), original);
    const raws = v1Items.map((item) => item.raw);
    const corrected = raws.map((raw, index) =>
      index === 3
        ? {
            ...raw,
            totalForCustomer: money(String(raw.totalForCustomer), 'EUR').add(money('0.01', 'EUR')).toString(),
          }
        : raw,
    );
    const file = csvOf(documentedHeader('billed_recon'), corrected);
    const changed = await fingerprintLines(readCsvFile(streamOf(file), 'corrected.csv'));
    assert.notEqual(changed, original);
  });
});
