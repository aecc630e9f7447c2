import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { createGzip } from 'node:zlib';
import { readCsvFile } from './csv.ts';
import { csvLine, documentedHeader } from './test-files.ts';

const rows = 200_000;

/** A daily rated usage file generated as it is read: never whole in memory, on either side. */
function generatedUsageFile(): Readable {
  const header = documentedHeader('daily_usage');
  const at = (column: string) => header.indexOf(column);
  const template = header.map(() => '');
  const fill: Record<string, string> = {
    PartnerId: '0e195b37-4574-4539-bc42-0e539b9684c0',
    CustomerName: 'Fourth Coffee Kft.',
    InvoiceNumber: 'G000000001',
    ProductId: 'DZH318Z0BQ4W',
    SkuId: '00RH',
    ProductName: 'Virtual Machines Dsv5 Series',
    MeterCategory: 'Virtual Machines',
    ChargeType: 'new',
    UnitPrice: '0.096',
    BillingCurrency: 'EUR',
    PricingCurrency: 'USD',
    PCToBCExchangeRate: '0.9215',
    ChargeStartDate: '1/1/2025',
    ChargeEndDate: '2/1/2025',
  };
  for (const [column, value] of Object.entries(fill)) template[at(column)] = value;
  function* lines() {
    yield csvLine(header);
    let batch = '';
    for (let row = 0; row < rows; row++) {
      const fields = [...template];
      fields[at('CustomerId')] = `00000000-0000-4000-8000-${String(row % 5000).padStart(12, '0')}`;
      fields[at('SubscriptionId')] = `sub-${row % 5000}`;
      fields[at('EntitlementId')] = `ent-${row % 7000}`;
      fields[at('UsageDate')] = `1/${(row % 31) + 1}/2025`;
      fields[at('Quantity')] = `${(row % 48) + 1}.${row % 1000}`;
      fields[at('BillingPreTaxTotal')] = `${row % 97}.${String(row).padStart(6, '0')}`;
      batch += csvLine(fields);
      if (row % 500 === 499) {
        yield batch;
        batch = '';
      }
    }
    yield batch;
  }
  return Readable.from(lines()).pipe(createGzip());
}

describe('reading a large file', () => {
  it(`streams ${rows.toLocaleString('en')} gzipped rows with flat memory`, async () => {
    const before = process.memoryUsage().rss;
    const peaks = [before, before];
    let count = 0;
    let bytes = 0;
    for await (const line of readCsvFile(generatedUsageFile(), 'large.csv.gz', {
      onBytes: (n) => (bytes = n),
    })) {
      count += 1;
      assert.equal(line.sourceLine, count + 1);
      if (count % 5_000 === 0) {
        const half = count <= rows / 2 ? 0 : 1;
        peaks[half] = Math.max(peaks[half]!, process.memoryUsage().rss);
      }
    }
    const [firstHalf, secondHalf] = peaks.map((peak) => (peak - before) / 2 ** 20) as [number, number];
    console.log(
      JSON.stringify({
        rows: count,
        compressedBytes: bytes,
        rssBeforeMb: Math.round(before / 2 ** 20),
        peakGrowthFirstHalfMb: Math.round(firstHalf),
        peakGrowthSecondHalfMb: Math.round(secondHalf),
      }),
    );
    assert.equal(count, rows);
    // The file is ~90 MB uncompressed and its 200k lines some 400 MB as objects: a reader that kept them
    // would grow past this. A stream's RSS stops where the heap settles (~150 MB above idle, measured
    // alike at 600k rows).
    assert.ok(secondHalf < 200, `RSS grew by ${secondHalf.toFixed(1)} MB`);
  });
});
