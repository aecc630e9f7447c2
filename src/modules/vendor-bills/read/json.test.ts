import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CostLine, ImportFileError } from '../lines.ts';
import { type JsonRow, readGraphExportRows, readV1LineItems } from './json.ts';
import { docSample } from './test-files.ts';

async function all(lines: AsyncIterable<CostLine>): Promise<CostLine[]> {
  const list: CostLine[] = [];
  for await (const line of lines) list.push(line);
  return list;
}

async function refused(lines: AsyncIterable<CostLine>): Promise<ImportFileError> {
  try {
    await all(lines);
  } catch (error) {
    assert.ok(error instanceof ImportFileError, String(error));
    return error;
  }
  assert.fail('the rows were read without complaint');
}

/** The documented billed usage items as Graph's export writes them (§3.2 names: tier2MpnId, unit …). */
const usageRows: JsonRow[] = docSample(
  'get-invoice-billed-consumption-lineitems__01-response-response-example-1.json',
).map(
  ({ resellerMpnId, unitOfMeasure, rateOfPartnerEarnedCredit, rateOfCredit, attributes: _, ...rest }) => ({
    ...rest,
    tier2MpnId: resellerMpnId,
    unit: unitOfMeasure,
    partnerEarnedCreditPercentage: rateOfPartnerEarnedCredit,
    creditPercentage: rateOfCredit,
  }),
);

describe('reading Graph export rows and v1 line items', () => {
  it('read Graph names and v1 names of the same line alike, the row number as its line', async () => {
    const graph = await all(readGraphExportRows(usageRows, 'part-00000.json.gz', 'daily_usage'));
    const v1 = await all(
      readV1LineItems(
        docSample('get-invoice-billed-consumption-lineitems__01-response-response-example-1.json').map(
          (raw) => ({
            raw,
          }),
        ),
        'v1',
        'daily_usage',
      ),
    );
    assert.deepEqual(
      graph.map(({ sourceName, sourceLine }) => [sourceName, sourceLine]),
      [
        ['part-00000.json.gz', 1],
        ['part-00000.json.gz', 2],
      ],
    );
    const content = ({ sourceName: _n, sourceLine: _l, extra: _e, ...rest }: CostLine) => rest;
    assert.deepEqual(graph.map(content), v1.map(content));
    assert.equal(graph[0]?.extra, null, 'every attribute is a documented one');
  });

  it('keep an unknown attribute in extra, as text', async () => {
    const [line] = await all(
      readGraphExportRows([{ ...usageRows[0]!, futureField: { nested: true } }], 'blob', 'daily_usage'),
    );
    assert.deepEqual(line?.extra, { futureField: '{"nested":true}' });
  });

  it('refuse a row missing a required attribute, a bad amount or date, naming row and attribute', async () => {
    const { billingPreTaxTotal: _, ...withoutCost } = usageRows[0]!;
    const missing = await refused(readGraphExportRows([usageRows[0]!, withoutCost], 'blob-1', 'daily_usage'));
    assert.deepEqual([missing.file, missing.line, missing.column], ['blob-1', 2, 'billingPreTaxTotal']);

    const amount = await refused(
      readGraphExportRows([{ ...usageRows[0]!, billingPreTaxTotal: 'twelve' }], 'blob-2', 'daily_usage'),
    );
    assert.deepEqual([amount.line, amount.column], [1, 'billingPreTaxTotal']);

    const date = await refused(
      readGraphExportRows([{ ...usageRows[0]!, usageDate: '11/13/2018' }], 'blob-3', 'daily_usage'),
    );
    assert.deepEqual([date.line, date.column], [1, 'usageDate']);
    assert.match(date.message, /ISO 8601/, 'JSON dates are ISO 8601, not month/day/year');
  });

  it('refuse a line of another invoice than the one asked for', async () => {
    const error = await refused(
      readGraphExportRows(usageRows, 'blob', 'daily_usage', { invoiceNumber: 'G000000999' }),
    );
    assert.equal(error.column, 'invoiceNumber');
    assert.match(error.message, /T000001234.*G000000999/);
  });
});
