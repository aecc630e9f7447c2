import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { money, sum } from '#platform/money';
import { fixedClock } from '#platform/time';
import type { SeededCredentials } from '../emulator/seed.ts';
import { type RunningEmulator, startEmulator } from '../emulator/server.ts';
import { createBillingClient, type PartnerCenterBillingClient } from './billing.ts';
import type { DailyRatedUsageLine, ReconciliationLine } from './billing-resources.ts';
import { PartnerCenterAuthError, PartnerCenterError, PartnerCenterResponseError } from './errors.ts';

const clock = fixedClock('2025-03-10T09:00:00Z');

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

/** Everything but `raw`: a v1 line item and an export row of the same line read alike. */
function comparable<T extends { raw: unknown }>(lines: T[]) {
  return lines.map(({ raw: _raw, ...fields }) => fields);
}

describe('Partner Center billing client against the emulator', () => {
  let emulator: RunningEmulator;
  const waits: number[] = [];

  const partner = (key: string): SeededCredentials =>
    emulator.admin.credentials.find((credentials) => credentials.key === key)!;

  function clientFor(
    key: string,
    options: { appOnly?: boolean; cloud?: string; tokenEndpoint?: 'v1' | 'v2' } = {},
  ): PartnerCenterBillingClient {
    const seeded = partner(key);
    return createBillingClient({
      cloud: options.cloud ?? 'public',
      baseUrl: emulator.url,
      authority: emulator.url,
      graphUrl: emulator.url,
      credentials: {
        tenantId: seeded.tenantId,
        clientId: seeded.clientId,
        clientSecret: seeded.clientSecret,
        ...(options.appOnly ? {} : { refreshToken: seeded.refreshToken }),
      },
      pageSize: 25,
      ...(options.tokenEndpoint && { tokenEndpoint: options.tokenEndpoint }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, clock });
  });
  after(() => emulator.close());

  it('invoices › every invoice arrives once, newest first, across pages; twelve new-commerce months', async () => {
    const invoices = await all(clientFor('contoso-hu', { appOnly: true }).listInvoices());
    assert.equal(new Set(invoices.map((invoice) => invoice.id)).size, invoices.length);
    const dates = invoices.map((invoice) => invoice.invoiceDate);
    assert.deepEqual(dates, dates.toSorted().toReversed());
    const newCommerce = invoices.filter((invoice) => invoice.id.startsWith('G'));
    assert.equal(newCommerce.length, 12);
    assert.ok(newCommerce.every((invoice) => invoice.currencyCode === 'EUR'));
    assert.ok(
      invoices.some((invoice) => invoice.id.startsWith('D')),
      'legacy invoices of the older months',
    );
    assert.equal(
      invoices[0]!.billingPeriodStartDate,
      '2025-02-01T00:00:00Z',
      'February is billed by March 10',
    );
  });

  it('invoices › the billed lines of every invoice of every partner add up to its total, to the cent', async () => {
    for (const seeded of emulator.admin.credentials) {
      const client = clientFor(seeded.key, { appOnly: true });
      const invoices = await all(client.listInvoices());
      assert.ok(invoices.length >= 12, seeded.key);
      for (const invoice of invoices.filter((candidate) => candidate.id.startsWith('G'))) {
        const lines = await all(client.billedLineItems(invoice.id, invoice.currencyCode));
        assert.ok(lines.length > 0, invoice.id);
        assert.ok(
          lines.every((line) => line.invoiceNumber === invoice.id && line.currency === invoice.currencyCode),
        );
        const total = sum(
          lines.map((line) => money(line.total, line.currency)),
          invoice.currencyCode,
        );
        assert.equal(
          total.toString(),
          money(invoice.totalCharges, invoice.currencyCode).toString(),
          invoice.id,
        );
      }
      // Legacy (D…) invoices carry licence-based lines under provider=office.
      for (const invoice of invoices.filter((candidate) => candidate.id.startsWith('D'))) {
        const lines = await all(client.legacyLicenseLineItems(invoice.id));
        assert.ok(lines.length > 0, invoice.id);
        const total = sum(
          lines.map((line) => money(line.totalForCustomer, line.currency)),
          invoice.currencyCode,
        );
        assert.equal(
          total.toString(),
          money(invoice.totalCharges, invoice.currencyCode).toString(),
          invoice.id,
        );
      }
    }
  });

  it('legacy invoices › licence-based lines read with their subscription, offer and amounts; an unknown invoice is not found', async () => {
    const client = clientFor('contoso-hu', { appOnly: true });
    const legacy = (await all(client.listInvoices())).filter((invoice) => invoice.id.startsWith('D'));
    assert.ok(legacy.length > 0, 'contoso has legacy invoices');
    for (const invoice of legacy) {
      const lines = await all(client.legacyLicenseLineItems(invoice.id));
      assert.ok(lines.length > 0, invoice.id);
      for (const line of lines) {
        assert.match(line.syndicationPartnerSubscriptionNumber, /\S/);
        assert.match(line.offerName, /\S/);
        assert.equal(line.currency, invoice.currencyCode);
        assert.equal(line.raw.billingProvider, 'office');
      }
    }
    await assert.rejects(all(client.legacyLicenseLineItems('D999999999')), /not found/i);
  });

  it('daily rated usage › per Azure subscription and meter, ROUNDDOWN(ROUNDDOWN(Σ unitPrice × quantity, 2) × rate, 2) is the billed line', async () => {
    let checked = 0;
    for (const key of ['contoso-hu', 'northwind-us', 'formosa-tw']) {
      const client = clientFor(key);
      const invoices = (await all(client.listInvoices())).filter((invoice) =>
        invoice.invoiceDetails.some((detail) => detail.invoiceLineItemType === 'usage_line_items'),
      );
      for (const invoice of invoices.slice(0, 3)) {
        const azure = (await all(client.billedLineItems(invoice.id, invoice.currencyCode))).filter(
          (line) => line.subscriptionDescription === 'Azure plan',
        );
        const usage = await all(client.billedUsage(invoice.id, invoice.currencyCode));
        assert.ok(azure.length > 0 && usage.length > 0, invoice.id);
        for (const line of azure) {
          const days = usage.filter(
            (day) =>
              day.entitlementId === line.subscriptionId &&
              day.productId === line.productId &&
              day.skuId === line.skuId,
          );
          assert.ok(days.length >= 28, `${line.skuName} has a row per day`);
          assert.equal(
            new Set(days.map((day) => day.usageDate)).size,
            days.length,
            'one row per day and meter',
          );
          const pricing = sum(
            days.map((day) => money(day.unitPrice, 'USD').multiply(day.quantity)),
            'USD',
          );
          assert.equal(
            sum(
              days.map((day) => money(day.pricingPreTaxTotal, 'USD')),
              'USD',
            ).toString(),
            pricing.toString(),
          );
          const billed = money(
            pricing.roundTo(2, 'down').multiply(line.pcToBCExchangeRate).amount,
            line.currency,
          );
          assert.equal(billed.roundTo(2, 'down').toString(), money(line.subtotal, line.currency).toString());
          assert.equal(
            sum(
              days.map((day) => money(day.quantity, 'USD')),
              'USD',
            ).amount.toString(),
            money(line.billableQuantity, 'USD').amount.toString(),
          );
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 10, `${checked} Azure lines checked`);
  });

  it('a seat reduction › a refund and a re-charge sharing one ReferenceId', async () => {
    const client = clientFor('contoso-hu');
    const lines: ReconciliationLine[] = [];
    for (const invoice of await all(client.listInvoices())) {
      if (invoice.id.startsWith('G')) lines.push(...(await all(client.billedLineItems(invoice.id, 'EUR'))));
    }
    const change = lines.filter((line) => line.chargeType === 'removeQuantity');
    assert.equal(change.length, 2);
    assert.equal(change[0]!.referenceId, change[1]!.referenceId);
    assert.deepEqual(change.map((line) => Math.sign(Number(line.total))).sort(), [-1, 1]);
  });

  it('Graph export › request, poll (honouring Retry-After), manifest, gunzipped blobs: the rows are the v1 line items', async () => {
    waits.length = 0;
    const client = clientFor('contoso-hu');
    const [latest] = await all(client.listInvoices());
    const billed = await client.exportBilledReconciliation(latest!.id);
    assert.ok(billed.manifest && billed.manifest.blobCount >= 1);
    assert.ok(waits.includes(1000), 'the running operation asked for a second');
    assert.deepEqual(
      comparable(await all(billed.rows())),
      comparable(await all(client.billedLineItems(latest!.id, 'EUR'))),
    );
    const usage = await client.exportBilledUsage(latest!.id);
    assert.ok(usage.manifest!.blobCount >= 2, 'usage comes in several blobs');
    const rows = await all(usage.rows());
    const blobs = [];
    for await (const blob of usage.blobs()) blobs.push({ name: blob.name, rows: await all(blob.rows) });
    assert.deepEqual(
      blobs.map((blob) => blob.name),
      usage.manifest!.blobs.map((blob) => blob.name),
      'the blobs in the manifest’s order, by its names',
    );
    assert.ok(blobs.every((blob) => blob.rows.length > 0));
    assert.deepEqual(
      blobs.flatMap((blob) => blob.rows),
      rows,
      'the rows of the blobs, one after the other, are the export’s rows',
    );
    assert.deepEqual(comparable(rows), comparable(await all(client.billedUsage(latest!.id, 'EUR'))));
    assert.ok(rows.every((row) => typeof row.raw.tier2MpnId === 'string' && row.raw.unit !== undefined));
    const unbilled = await client.exportUnbilledUsage('EUR', 'current');
    assert.deepEqual(
      comparable(await all(unbilled.rows())),
      comparable(await all(client.unbilledUsage('EUR', 'current'))),
    );
    const estimate = await all((await client.exportUnbilledReconciliation('EUR', 'current')).rows());
    assert.ok(
      estimate.length > 0 &&
        estimate.every((line) => line.invoiceNumber === '' && line.billingFrequency === ''),
    );
  });

  it('Graph export › three 429s with Retry-After (and a throttled blob) are waited out; nothing lost or repeated', async () => {
    const client = clientFor('formosa-tw', { appOnly: true });
    const [latest] = await all(client.listInvoices());
    const expected = comparable(await all(client.billedUsage(latest!.id, 'TWD')));
    waits.length = 0;
    emulator.admin.setFaults({
      throttle: { count: 3, retryAfterSeconds: 7, path: '/v1.0/reports/partners/billing' },
    });
    const usage = await client.exportBilledUsage(latest!.id);
    assert.deepEqual(
      waits.filter((wait) => wait === 7000),
      [7000, 7000, 7000],
    );
    emulator.admin.setFaults({ throttle: { count: 1, retryAfterSeconds: 3, path: '/_blobs/' } });
    const rows: DailyRatedUsageLine[] = await all(usage.rows());
    assert.ok(waits.includes(3000), 'the blob download waited too');
    assert.deepEqual(comparable(rows), expected);
    emulator.admin.setFaults({});
  });

  it('Graph export › a truncated blob is reported with the blob named', async () => {
    const client = clientFor('northwind-us');
    const [latest] = await all(client.listInvoices());
    const usage = await client.exportBilledUsage(latest!.id);
    const firstBlob = usage.manifest!.blobs[0]!.name;
    emulator.admin.setFaults({ malformed: { count: 1, path: '/_blobs/' } });
    await assert.rejects(all(usage.rows()), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterResponseError);
      assert.match(
        error.message,
        new RegExp(`blob ${firstBlob.replaceAll('.', '\\.')} is not a complete gzip file`),
      );
      assert.match(error.message, /unexpected end of file/, 'gzip that stops short, not another format');
      return true;
    });
    assert.equal(emulator.admin.faults().malformed?.count, 0, 'the download was cut, not retried');
  });

  it('tokens › on the v2 endpoint too, Graph calls get a Graph token, App+User and App-only', async () => {
    for (const appOnly of [false, true]) {
      const client = clientFor('contoso-hu', { appOnly, tokenEndpoint: 'v2' });
      const [latest] = await all(client.listInvoices());
      const exported = await client.exportBilledReconciliation(latest!.id);
      assert.ok(exported.manifest!.blobCount >= 1, appOnly ? 'App-only' : 'App+User');
    }
  });

  it('a revoked consent › a clear authentication error for invoices and for Graph alike', async () => {
    const client = clientFor('northwind-gov');
    const invoices = await all(client.listInvoices());
    assert.ok(invoices.length > 0);
    assert.ok(emulator.admin.revokeRefreshToken(partner('northwind-gov').refreshToken));
    const revoked = clientFor('northwind-gov');
    await assert.rejects(all(revoked.listInvoices()), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterAuthError);
      assert.match(error.message, /50173|revoked/);
      assert.match(error.message, /Renew the Secure Application Model consent/);
      return true;
    });
    await assert.rejects(revoked.exportBilledUsage(invoices[0]!.id), PartnerCenterAuthError);
  });

  it('App+User only › an invoice by id has its PDF link; app-only is refused (900329) on it and on summaries', async () => {
    const asUser = clientFor('northwind-us');
    const [latest] = await all(asUser.listInvoices());
    const invoice = await asUser.getInvoice(latest!.id);
    assert.equal(invoice.pdfDownloadLink, `/invoices/${latest!.id}/documents/statement`);
    await assert.rejects(
      clientFor('northwind-us', { appOnly: true }).getInvoice(latest!.id),
      (error: unknown) => {
        assert.ok(error instanceof PartnerCenterError);
        assert.equal(error.code, '900329');
        return true;
      },
    );
    const seeded = partner('northwind-us');
    const token = async (grant: Record<string, string>) => {
      const response = await fetch(`${emulator.url}/${seeded.tenantId}/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          ...grant,
          client_id: seeded.clientId,
          client_secret: seeded.clientSecret,
          resource: 'https://api.partnercenter.microsoft.com',
        }),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const summaries = (bearer: string) =>
      fetch(`${emulator.url}/v1/invoices/summaries`, { headers: { authorization: `Bearer ${bearer}` } });
    const refused = await summaries(await token({ grant_type: 'client_credentials' }));
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, '900329');
    const answered = await summaries(
      await token({ grant_type: 'refresh_token', refresh_token: seeded.refreshToken }),
    );
    const body = (await answered.json()) as { items: Array<{ currencyCode: string; balanceAmount: number }> };
    assert.equal(body.items[0]!.currencyCode, 'USD');
  });

  it('other clouds › no Graph exports: the client says so before calling, the emulator refuses a Graph token', async () => {
    const gov = clientFor('northwind-gov', { cloud: 'usgov' });
    await assert.rejects(gov.exportBilledReconciliation('G000000001'), /no Microsoft Graph billing exports/);
    const seeded = partner('northwind-cn');
    const issued = await fetch(`${emulator.url}/${seeded.tenantId}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: seeded.clientId,
        client_secret: seeded.clientSecret,
        resource: 'https://graph.microsoft.com',
      }),
    });
    const { access_token } = (await issued.json()) as { access_token: string };
    const refused = await fetch(`${emulator.url}/v1.0/reports/partners/billing/usage/unbilled/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currencyCode: 'CNY', billingPeriod: 'current' }),
    });
    assert.equal(refused.status, 400);
    assert.match(
      ((await refused.json()) as { error: { message: string } }).error.message,
      /global service only/,
    );
  });
});
