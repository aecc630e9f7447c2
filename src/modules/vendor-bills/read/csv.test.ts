import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type CostLine, ImportFileError } from '../lines.ts';
import { readCsvFile } from './csv.ts';
import { readV1LineItems } from './json.ts';
import {
  csvLine,
  csvOf,
  derivedFile,
  docSample,
  documentedFiles,
  documentedHeader,
  streamOf,
} from './test-files.ts';

async function read(content: string | Buffer, fileName = 'recon.csv', options = {}): Promise<CostLine[]> {
  const lines: CostLine[] = [];
  for await (const line of readCsvFile(streamOf(content), fileName, options)) lines.push(line);
  return lines;
}

async function refused(
  content: string | Buffer,
  fileName = 'recon.csv',
  options = {},
): Promise<ImportFileError> {
  try {
    await read(content, fileName, options);
  } catch (error) {
    assert.ok(error instanceof ImportFileError, `expected an ImportFileError, got ${String(error)}`);
    return error;
  }
  assert.fail('the file was read without complaint');
}

function withoutProvenance({ sourceName: _name, sourceLine: _line, extra: _extra, ...content }: CostLine) {
  return content;
}

const reconSample = derivedFile(documentedFiles.billed_recon);
const reconHeader = documentedHeader('billed_recon');
const reconRow = reconSample.split(/\r?\n/)[1]!;

/** The documented sample file with one column's value replaced on its data line. */
function reconWith(column: string, value: string): string {
  const index = reconHeader.indexOf(column);
  const lines = [reconRow, reconRow.replace('G002297372', 'G002297373')].map((row, number) => {
    const fields = splitSample(row);
    if (number === 1) fields[index] = value;
    return csvLine(fields);
  });
  return csvLine(reconHeader) + lines.join('');
}

/** The sample row's fields (it quotes some with commas and doubled quotes). */
function splitSample(row: string): string[] {
  const fields: string[] = [];
  const pattern = /("((?:[^"]|"")*)"|[^,]*)(,|$)/g;
  for (const match of row.matchAll(pattern)) {
    fields.push(match[2] === undefined ? match[1]! : match[2].replaceAll('""', '"'));
    if (match[3] === '') break;
  }
  return fields;
}

describe('reading reconciliation CSV files', () => {
  describe("the reference's documented samples", () => {
    it('new-commerce invoice reconciliation: Total is the cost, never Subtotal or a product of prices', async () => {
      const [line, ...rest] = await read(reconSample, 'G002297372.csv');
      assert.equal(rest.length, 0);
      assert.ok(line);
      assert.equal(line.form, 'billed_recon');
      assert.equal(line.sourceLine, 2);
      assert.equal(line.invoiceNumber, 'G002297372');
      // The sample's Total (0.045) differs from its Subtotal (0.01) and from EffectiveUnitPrice × quantity.
      assert.equal(line.cost, '0.045');
      assert.equal(line.subtotal, '0.01');
      assert.equal(line.effectiveUnitPrice, '0.03825');
      assert.equal(line.unitPrice, '0.045');
      assert.equal(line.quantity, '0.005001', 'BillableQuantity, as the reference says to reconcile with');
      assert.equal(line.exchangeRate, '0.846202666');
      assert.equal(line.pricingCurrency, 'USD');
      assert.equal(line.currency, 'EUR');
      assert.equal(line.period, '2020-09-01', 'the billing month, from ChargeStartDate 9/1/2020');
      assert.equal(line.chargeStart, '2020-09-01');
      assert.equal(line.chargeEnd, '2020-09-30');
      assert.equal(line.chargeType, 'new', 'the documented spelling of "New"');
      assert.equal(line.referenceId, '025d68a6-1bd6-42ab-9636-15e8d776a30e');
      assert.equal(line.creditType, 'Azure Credit Offer');
      assert.equal(line.serviceFamily, 'azure');
      assert.equal(
        line.entitlementId,
        line.subscriptionId,
        "an Azure plan line's subscription is the entitlement",
      );
      assert.equal(line.customerTenantId, '196e2273-9651-43a3-ba7e-7cbcd918fc40');
      assert.equal(line.resellerMpnId, '6048879');
      assert.equal(line.extra, null);
    });

    it('new-commerce daily rated usage: a file built from the documented header and the v1 sample reads as the v1 sample', async () => {
      const items = docSample(
        'get-invoice-billed-consumption-lineitems__01-response-response-example-1.json',
      );
      const file = csvOf(documentedHeader('daily_usage'), items);
      const lines = await read(file, 'usage.csv');
      assert.equal(lines.length, items.length);
      const first = lines[0]!;
      assert.equal(first.form, 'daily_usage');
      assert.equal(first.cost, '0.486031696515249', 'BillingPreTaxTotal, unrounded');
      assert.equal(first.pricingTotal, '0.486031696515249');
      assert.equal(first.invoiceNumber, 'T000001234');
      assert.equal(first.usageDate, '2018-11-13');
      assert.equal(first.period, '2018-11-01', 'the billing month of the usage date');
      assert.equal(first.entitlementId, '3f47bcf1-965d-40a1-a2bc-3d5db3653250');
      assert.equal(first.creditType, null, '"Credit Not Applied" is no credit');
      assert.equal(first.isReservation, false, 'a savings plan is not a reservation');
      assert.equal(first.serviceFamily, 'azure');

      const v1 = [];
      for await (const line of readV1LineItems(
        (async function* () {
          for (const raw of items) yield { raw };
        })(),
        'v1 sample',
        'daily_usage',
      )) {
        v1.push(line);
      }
      assert.deepEqual(lines.map(withoutProvenance), v1.map(withoutProvenance));
    });

    it('new-commerce daily rated usage, recent activity: lines without an invoice number are estimates', async () => {
      const items = docSample(
        'get-invoice-unbilled-consumption-lineitems__01-response-response-example-1.json',
      );
      const file = csvOf(
        documentedHeader('daily_usage'),
        items.map((item) => ({ ...item, invoiceNumber: '' })),
      );
      const lines = await read(file, 'recent-activity.csv');
      assert.equal(lines.length, items.length);
      assert.ok(lines.every((line) => line.invoiceNumber === null && line.form === 'daily_usage'));
    });

    it('legacy licence-based: TotalForCustomer is the cost; the invoice comes from the caller or the file name', async () => {
      const sample = derivedFile(documentedFiles.legacy_license);
      const error = await refused(sample, 'legacy.csv');
      assert.equal(error.column, 'InvoiceNumber');
      assert.equal(error.line, 2);

      const [line] = await read(sample, 'D020001234_licence.csv');
      assert.ok(line);
      assert.equal(line.form, 'legacy_license');
      assert.equal(line.invoiceNumber, 'D020001234');
      const [named] = await read(sample, 'legacy.csv', { invoiceNumber: 'D0ABCDEF12' });
      assert.equal(named?.invoiceNumber, 'D0ABCDEF12');
      assert.equal(line.cost, '11', 'TotalForCustomer: Amount 13.32 less the 2.32 discount, no tax');
      assert.equal(line.subtotal, '11');
      assert.equal(line.unitPrice, '6.82');
      assert.equal(line.quantity, '2');
      assert.equal(line.chargeStart, '2019-02-01', '"2/1/2019 0:00"');
      assert.equal(line.chargeEnd, '2019-02-28', '"2/28/2019 23:59"');
      assert.equal(
        line.subscriptionId,
        'fb977ab5-test-test-test-24c8d9591708',
        'SyndicationPartnerSubscriptionNumber',
      );
      assert.equal(line.productId, '1017D7F3-6D7F-4BFA-BDD8-79BC8F104E0C', 'DurableOfferId');
      assert.equal(line.serviceFamily, 'm365');
    });

    it('legacy usage-based: PostTaxTotal is the cost; the sample amounts written with "$" are read exactly', async () => {
      const [line] = await read(derivedFile(documentedFiles.legacy_usage), 'usage-legacy.csv');
      assert.ok(line);
      assert.equal(line.form, 'legacy_usage');
      assert.equal(line.invoiceNumber, 'D020001IVK');
      assert.equal(line.cost, '0.93');
      assert.equal(line.subtotal, '0.085');
      assert.equal(line.tax, '0.08');
      assert.equal(line.unitPrice, '0.0808');
      assert.equal(line.quantity, '11', 'OverageQuantity');
      assert.equal(line.customerName, 'Test customer');
      assert.equal(line.serviceFamily, 'azure');
    });

    it('v1 legacy line items (doc samples) read like their files: numbers as amounts, the invoice from the call', async () => {
      const licence = [];
      for await (const line of readV1LineItems(
        (async function* () {
          for (const raw of docSample('get-invoiceline-items__01-response-response-example-1.json'))
            yield { raw };
        })(),
        'v1 legacy',
        'legacy_license',
        { invoiceNumber: 'D0123456789' },
      )) {
        licence.push(line);
      }
      assert.equal(licence.length, 2);
      assert.ok(licence.every((line) => line.invoiceNumber === 'D0123456789'));
      assert.equal(licence[0]!.resellerMpnId, null, 'tier2MpnId -1 is no reseller');
      assert.equal(licence[0]!.serviceFamily, 'm365', 'EXCHANGE ONLINE (PLAN 2)');
      const usage = docSample('get-invoiceline-items__02-response-response-example-2.json');
      const file = csvOf(documentedHeader('legacy_usage'), usage);
      const [fromFile] = await read(file, 'legacy-usage.csv');
      assert.equal(fromFile?.cost, '69.67');
      assert.equal(fromFile?.effectiveUnitPrice, '0.08500671');
    });
  });

  describe('headers', () => {
    it('are matched case-insensitively and by their documented aliases (MpnId, Tier2MpnId, totalForCustomer)', async () => {
      const renamed = reconHeader.map((column) =>
        column === 'Total'
          ? 'totalForCustomer'
          : column === 'MPNID'
            ? 'MpnId'
            : column === 'ResellerMPNID'
              ? 'Tier2MpnId'
              : column.toLowerCase(),
      );
      const [canonical] = await read(reconSample);
      const [aliased] = await read(reconSample.replace(/^[^\r\n]*/, renamed.join(',')));
      assert.ok(canonical && aliased);
      assert.deepEqual(withoutProvenance(aliased), withoutProvenance(canonical));
      const [newest] = await read(reconSample.replace('ResellerMPNID', 'ResellerMpnId'));
      assert.equal(newest?.resellerMpnId, '6048879');
    });

    it('keep an unknown column in extra, by its header as written, and the line otherwise the same', async () => {
      const [line] = await read(
        reconSample
          .replace(/^([^\r\n]*)/, '$1,Partner Note')
          .replace(/(CFQ7TTC0LDPB:1:CFQ7TTC0GZQJ)/, '$1,"kept, as written"'),
      );
      assert.deepEqual(line?.extra, { 'Partner Note': 'kept, as written' });
      const [plain] = await read(reconSample);
      assert.deepEqual(withoutProvenance(line!), withoutProvenance(plain!));
    });

    it('refuse a file missing a required column, naming it on line 1', async () => {
      const error = await refused(reconSample.replace(',Total,', ',Amount Due,'), 'missing-total.csv');
      assert.equal(error.file, 'missing-total.csv');
      assert.equal(error.line, 1);
      assert.equal(error.column, 'Total');
      assert.match(error.message, /missing-total\.csv, line 1, column Total: is missing/);
    });

    it('refuse a header that is no reconciliation file', async () => {
      const error = await refused('Name,Email,Phone\r\nAda,ada@example.com,1\r\n', 'contacts.csv');
      assert.equal(error.line, 1);
      assert.match(error.message, /not that of a file Partner Center delivers/);
    });

    it('refuse two columns that mean the same (Total and totalForCustomer)', async () => {
      const error = await refused(
        reconSample
          .replace(/^([^\r\n]*)/, '$1,totalForCustomer')
          .replace(/(CFQ7TTC0LDPB:1:CFQ7TTC0GZQJ)/, '$1,1'),
      );
      assert.equal(error.line, 1);
      assert.equal(error.column, 'totalForCustomer');
    });
  });

  describe('values', () => {
    it('read month/day/year dates in their documented forms', async () => {
      for (const [written, expected] of [
        ['9/1/2020', '2020-09-01'],
        ['09/01/2020', '2020-09-01'],
        ['9/1/2020 0:00', '2020-09-01'],
        ['9/1/2020 11:59 PM', '2020-09-01'],
        ['2020-09-01T00:00:00Z', '2020-09-01'],
      ]) {
        const lines = await read(reconWith('ChargeStartDate', written!));
        assert.equal(lines[1]?.chargeStart, expected, written);
      }
    });

    it('refuse a date that is not month/day/year, naming line and column', async () => {
      for (const written of ['13/1/2020', '30.09.2020', '2020/09/30', '9/1/20', '2/30/2021', 'soon']) {
        const error = await refused(reconWith('ChargeStartDate', written), 'dates.csv');
        assert.equal(error.line, 3, written);
        assert.equal(error.column, 'ChargeStartDate', written);
        assert.ok(error.message.includes(`"${written}"`), error.message);
      }
    });

    it('read amounts exactly, in one spelling (thousands separators, exponents, trailing zeros)', async () => {
      for (const [written, expected] of [
        ['1,209.60', '1209.6'],
        ['-94.20', '-94.2'],
        ['4.8E-05', '0.000048'],
        ['0.10000000000000000001', '0.10000000000000000001'],
        ['-0.00', '0'],
      ]) {
        const lines = await read(reconWith('Total', written!));
        assert.equal(lines[1]?.cost, expected, written);
      }
    });

    it('refuse a bad amount, naming line and column', async () => {
      for (const written of ['12,5', '1.234,56', 'n/a', '(3.00)', '12 EUR']) {
        const error = await refused(reconWith('Total', written), 'amounts.csv');
        assert.equal(error.line, 3, written);
        assert.equal(error.column, 'Total', written);
      }
      const empty = await refused(reconWith('Total', ''), 'amounts.csv');
      assert.equal(empty.column, 'Total');
      assert.match(empty.message, /is empty/);
    });

    it('refuse a row with the wrong number of fields, naming its line', async () => {
      const short = `${csvLine(reconHeader)}${reconRow}\r\n${reconRow.split(',').slice(0, 30).join(',')}\r\n`;
      const error = await refused(short, 'short.csv');
      assert.equal(error.line, 3);
      assert.match(error.message, /has \d+ fields, the header has 46/);
    });

    it('count physical lines across quoted fields spanning lines, blank lines and CRLF', async () => {
      const fields = splitSample(reconRow);
      const named = (name: string) => csvLine(fields.with(reconHeader.indexOf('CustomerName'), name));
      const bad = csvLine(fields.with(reconHeader.indexOf('Total'), 'twelve'));
      // Line 1 the header; lines 2-4 and 5-6 two records with names across lines; 7 blank; 8 the bad one.
      const good = `${csvLine(reconHeader)}${named('Contoso\r\nHungary\r\nKft.')}${named('Alpine\r\nSki House')}`;
      const lines = await read(good);
      assert.deepEqual(
        lines.map((line) => line.sourceLine),
        [2, 5],
      );
      assert.equal(lines[0]?.customerName, 'Contoso\r\nHungary\r\nKft.');
      const error = await refused(`${good}\r\n${bad}`, 'multi-line.csv');
      assert.equal(error.line, 8);
      assert.equal(error.column, 'Total');
      const lf = await refused(`${good}\r\n${bad}`.replaceAll('\r\n', '\n'), 'multi-line-lf.csv');
      assert.equal(lf.line, 8);
    });

    it('refuse broken quoting as invalid CSV', async () => {
      const error = await refused(`${csvLine(reconHeader)}"unterminated,${reconRow}\r\n`, 'quotes.csv');
      assert.match(error.message, /not valid CSV/);
    });
  });

  describe('encodings and compression', () => {
    it('read UTF-8 with a BOM as without', async () => {
      const withBom = await read(`\uFEFF${reconSample}`);
      const without = await read(reconSample);
      assert.deepEqual(withBom, without);
      assert.equal(withBom[0]?.customerTenantId, '196e2273-9651-43a3-ba7e-7cbcd918fc40');
    });

    it('read .csv.gz by its first bytes, whatever the name, and report the compressed bytes read', async () => {
      const compressed = gzipSync(Buffer.from(`\uFEFF${reconSample}`));
      const reported: number[] = [];
      const lines = [];
      for await (const line of readCsvFile(streamOf(compressed, 7), 'recon.csv', {
        onBytes: (bytes) => reported.push(bytes),
      })) {
        lines.push(line);
      }
      assert.deepEqual(lines, await read(reconSample, 'recon.csv'));
      assert.equal(reported.at(-1), compressed.length);
      assert.deepEqual(
        reported,
        reported.toSorted((a, b) => a - b),
      );
    });

    it('refuse a truncated .csv.gz as a whole, reading nothing from it', async () => {
      const many = csvOf(
        reconHeader,
        Array.from({ length: 2000 }, (_, index) => ({
          customerId: `c-${index}`,
          invoiceNumber: 'G000000001',
          productId: 'P',
          productName: 'Microsoft 365 E3',
          chargeType: 'new',
          unitPrice: '36',
          quantity: '1',
          subtotal: '36',
          total: '36',
          currency: 'USD',
          subscriptionId: `s-${index}`,
          chargeStartDate: '2025-01-01T00:00:00Z',
          chargeEndDate: '2025-01-31T00:00:00Z',
          effectiveUnitPrice: '36',
        })),
      );
      const compressed = gzipSync(Buffer.from(many));
      assert.equal((await read(compressed, 'whole.csv.gz')).length, 2000);
      const error = await refused(compressed.subarray(0, Math.floor(compressed.length / 2)), 'cut.csv.gz');
      assert.equal(error.file, 'cut.csv.gz');
      assert.match(error.message, /gzip file ends early/);
    });

    it('refuse an empty file', async () => {
      const error = await refused('', 'empty.csv');
      assert.match(error.message, /empty/);
    });
  });
});
