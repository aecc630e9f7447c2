import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { currentTotp, DEMO_PASSWORD, demoTotpSecret } from '#modules/identity';
import type { RunningApp } from '#platform/app';
import { catalogs, type Locale, translator } from '#platform/i18n';
import { type FixedClock, fixedClock } from '#platform/time';
import { startTestApp } from '#test/app';
import { launchBrowser, screenshot, signInThroughPage } from '#test/browser';
import { type Browserless, signInAsDemo } from '#test/people';
import { buildWebIfStale } from '../../src/cli/web-build.ts';
import { modules } from '../../src/main.ts';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const BILLING_ADMIN = 'billing@contoso-hu.example';

/** The columns of Partner Center's new-commerce invoice reconciliation file this test fills (§3.1). */
const HEADER = [
  'PartnerId',
  'CustomerId',
  'CustomerName',
  'CustomerDomainName',
  'CustomerCountry',
  'InvoiceNumber',
  'MPNID',
  'OrderId',
  'OrderDate',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Subtotal',
  'TaxTotal',
  'Total',
  'Currency',
  'SubscriptionDescription',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'TermAndBillingCycle',
  'EffectiveUnitPrice',
  'UnitType',
  'BillableQuantity',
  'BillingFrequency',
  'PricingCurrency',
  'PCToBCExchangeRate',
  'ReferenceID',
] as const;
type Column = (typeof HEADER)[number];

/** Enough seat lines that the import runs for a moment and its progress shows. */
const GOOD_LINES = 3000;
const CUSTOMERS = [
  {
    id: '0b6c1f7e-3c2a-4e59-9a51-7d1e00000001',
    name: 'Margit Pékség Kft.',
    domain: 'margitpekseg.onmicrosoft.com',
  },
  {
    id: '0b6c1f7e-3c2a-4e59-9a51-7d1e00000002',
    name: 'Duna Logisztika Zrt.',
    domain: 'dunalog.onmicrosoft.com',
  },
];
const PRODUCTS = [
  { id: 'CFQ7TTC0LH18', sku: '0001', name: 'Microsoft 365 Business Basic', price: '5.40' },
  { id: 'CFQ7TTC0LDPB', sku: '0002', name: 'Microsoft 365 Business Standard', price: '11.28' },
];

/** `m/d/yyyy`, as Partner Center writes dates in its CSV files. */
const usDate = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return `${month}/${day}/${year}`;
};

interface BillingMonth {
  /** `yyyy-mm-01`. */
  start: string;
  /** The month's last day. */
  end: string;
}

/**
 * The calendar month two before `today`'s (`yyyy-mm-dd`): its invoice, published by the 8th of the month
 * after, is dated in the past whatever day the test runs.
 */
function billingMonthOf(today: string): BillingMonth {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 3, 1));
  const last = new Date(Date.UTC(year, month - 2, 0));
  return { start: first.toISOString().slice(0, 10), end: last.toISOString().slice(0, 10) };
}

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function csv(rows: readonly Record<Column, string>[]): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [HEADER.join(','), ...rows.map((row) => HEADER.map((column) => field(row[column])).join(','))]
    .map((line) => `${line}\r\n`)
    .join('');
}

/** Seat lines of one invoice: a few customers and products, each line's amounts exact. */
function seatLines(invoiceNumber: string, month: BillingMonth, count: number): Record<Column, string>[] {
  return Array.from({ length: count }, (_, index) => {
    const customer = CUSTOMERS[index % CUSTOMERS.length]!;
    const product = PRODUCTS[index % PRODUCTS.length]!;
    const quantity = (index % 7) + 1;
    const subtotal = new Decimal(product.price).times(quantity).toFixed(2);
    return {
      PartnerId: '3a0d5c6e-1111-4b2a-8c3d-000000000001',
      CustomerId: customer.id,
      CustomerName: customer.name,
      CustomerDomainName: customer.domain,
      CustomerCountry: 'HU',
      InvoiceNumber: invoiceNumber,
      MPNID: '6034453',
      OrderId: `order-${index}`,
      OrderDate: usDate(month.start),
      ProductId: product.id,
      SkuId: product.sku,
      AvailabilityId: 'CFQ7TTC0LFK5',
      SkuName: product.name,
      ProductName: product.name,
      ChargeType: 'cycleCharge',
      UnitPrice: product.price,
      Quantity: String(quantity),
      Subtotal: subtotal,
      TaxTotal: '0',
      Total: subtotal,
      Currency: 'USD',
      SubscriptionDescription: product.name,
      SubscriptionId: `5c0f2b8e-0000-4000-8000-${String(index).padStart(12, '0')}`,
      ChargeStartDate: usDate(month.start),
      ChargeEndDate: usDate(month.end),
      TermAndBillingCycle: 'One-Year commitment for monthly billing',
      EffectiveUnitPrice: product.price,
      UnitType: 'Licenses',
      BillableQuantity: String(quantity),
      BillingFrequency: 'Monthly',
      PricingCurrency: 'USD',
      PCToBCExchangeRate: '1',
      ReferenceID: `ref-${index}`,
    };
  });
}

const totalOf = (rows: readonly Record<Column, string>[]) =>
  rows.reduce((sum, row) => sum.plus(row.Total), new Decimal(0)).toFixed(2);

/** A calendar day as the screens show it: the UTC day, in the page's language. */
const calendarDay = (locale: Locale, iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

const fontsSettled = (page: Page) => page.evaluate(() => document.fonts.ready.then(() => undefined));

describe('Microsoft bills in the browser', { timeout: 240_000 }, () => {
  let app: RunningApp;
  let clock: FixedClock;
  let browser: Browser;
  let origin: string;
  let api: Browserless;
  /** The Billing admin's page, in English. */
  let page: Page;

  const month = () => billingMonthOf(clock.now().toISOString().slice(0, 10));
  const invoiceNumber = 'G051234567';
  let goodRows: Record<Column, string>[];
  let goodFile: Buffer;

  async function signedInPage(email: string, locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const fresh = await context.newPage();
    await signInThroughPage(fresh, origin, email, DEMO_PASSWORD, () => {
      clock.advance(30_000);
      return currentTotp(demoTotpSecret(email), clock.now());
    });
    return fresh;
  }

  async function upload(target: Page, name: string, content: Buffer) {
    await target.getByTestId('upload-input').setInputFiles({ name, mimeType: 'text/csv', buffer: content });
  }

  /** The import the upload card shows, as the API has it. */
  async function shownImport(target: Page): Promise<Record<string, unknown>> {
    const link = (await target.getByTestId('import-open').getAttribute('href')) ?? '';
    const id = link.split('/').pop();
    const response = await api.request('GET', `/api/v1/vendor-bills/imports/${id}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  }

  before(async () => {
    await buildWebIfStale(() => {});
    clock = fixedClock(new Date());
    app = await startTestApp({
      engine: 'pglite',
      modules,
      listen: true,
      webDist: DIST,
      clock,
      config: { loadDemoData: true },
    });
    origin = app.url!;
    api = await signInAsDemo(app, BILLING_ADMIN);
    goodRows = seatLines(invoiceNumber, month(), GOOD_LINES);
    goodFile = Buffer.from(csv(goodRows));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('imports › a Billing admin uploads a reconciliation file and watches its progress reach the summary', async () => {
    const en = translator('en');
    page = await signedInPage(BILLING_ADMIN, 'en-US');
    await page.getByTestId('nav-vendor-bills').click();
    await page.getByTestId('upload-card').waitFor();
    await upload(page, 'invoice-recon.csv', goodFile);

    // The import's progress shows while the job reads the file, then its outcome.
    await page.getByTestId('import-progress').waitFor();
    const outcome = page.locator('[data-testid="import-outcome"][data-status="completed"]');
    await outcome.waitFor({ timeout: 60_000 });
    assert.equal(await outcome.getByTestId('summary-lines').textContent(), GOOD_LINES.toLocaleString('en'));
    assert.equal(await outcome.getByTestId('summary-deliveriesCreated').textContent(), '1');
    const totals = (await outcome.getByTestId('import-summary-totals').textContent()) ?? '';
    assert.ok(
      totals.includes(en('vendorBills.import.summary.invoice', { invoiceNumber })),
      `the invoice in: ${totals}`,
    );
    const total = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' }).format(
      totalOf(goodRows) as Intl.StringNumericLiteral,
    );
    assert.ok(totals.includes(total), `the invoice's line total ${total} in: ${totals}`);

    const imported = await shownImport(page);
    assert.equal(imported.status, 'completed');
    assert.equal(imported.rowsRead, GOOD_LINES);
    // The history lists it too, by the name of who uploaded it.
    const row = page.locator(`[data-testid="import-row"][data-import-id="${imported.id}"]`);
    await row.waitFor();
    assert.ok(imported.startedByName, 'the uploader is named');
    assert.equal(await row.getByTestId('import-started-by').textContent(), imported.startedByName);
    // The pull card offers only the partner's connected clouds, or says none is connected.
    const connections = (await api.request('GET', '/api/v1/vendor-bills/connections')).json().items as Array<{
      cloud: string;
    }>;
    if (connections.length === 0) {
      assert.equal(await page.getByTestId('pull-no-connection').textContent(), en('vendorBills.pull.none'));
      assert.equal(await page.getByTestId('pull-invoices').count(), 0, 'nothing to pull through');
    } else {
      await page.getByTestId('pull-invoices').waitFor();
      const offered =
        connections.length === 1
          ? [await page.getByTestId('pull-cloud').textContent()]
          : await page
              .getByTestId('pull-card')
              .getByRole('radio')
              .evaluateAll((radios) => radios.map((radio) => radio.getAttribute('value')));
      assert.deepEqual(
        offered,
        connections.length === 1
          ? [en('customers.cloud', { cloud: connections[0]!.cloud })]
          : connections.map((connection) => connection.cloud),
      );
    }
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-import-done');
  });

  it('imports › a file with a bad date on line 4 is refused, naming the line and the column, and leaves nothing', async () => {
    const en = translator('en');
    const rows = seatLines('G059999999', month(), 5);
    // Line 1 is the header: the third row is line 4.
    rows[2]!.ChargeStartDate = '13/45/2025';
    await upload(page, 'bad-date.csv', Buffer.from(csv(rows)));

    const error = page.getByTestId('import-error');
    await error.waitFor({ timeout: 60_000 });
    const refused = await shownImport(page);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.errorLine, 4);
    assert.match(String(refused.errorColumn), /^ChargeStartDate$/i);
    assert.equal(
      await error.getByTestId('import-error-where').textContent(),
      en('vendorBills.import.error.lineColumn', {
        file: 'bad-date.csv',
        line: 4,
        column: String(refused.errorColumn),
      }),
    );
    assert.ok(((await error.textContent()) ?? '').includes(String(refused.errorMessage)));

    const invoices = await api.request('GET', '/api/v1/vendor-bills/invoices');
    const numbers = invoices.json().items.map((invoice: { invoiceNumber: string }) => invoice.invoiceNumber);
    assert.ok(!numbers.includes('G059999999'), 'nothing of the refused file is visible');
    const listed = page.locator(`[data-testid="import-row"][data-import-id="${refused.id}"]`);
    await listed.waitFor();
    assert.ok(
      ((await listed.textContent()) ?? '').includes(
        en('vendorBills.import.failedAt', { line: 4, column: String(refused.errorColumn) }),
      ),
      'the history says where the file was refused',
    );
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-import-error');
  });

  it('imports › the same file again changes nothing and says so', async () => {
    await upload(page, 'invoice-recon.csv', goodFile);
    await page
      .locator('[data-testid="import-outcome"][data-status="unchanged"]')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('import-unchanged').waitFor();
    const again = await shownImport(page);
    assert.equal(again.status, 'unchanged');
    const lines = await api.request(
      'GET',
      `/api/v1/vendor-bills/lines?invoiceNumber=${invoiceNumber}&limit=1`,
    );
    assert.deepEqual(lines.json().totals, [{ currency: 'USD', cost: totalOf(goodRows), lines: GOOD_LINES }]);

    // The import's page lists its delivery, discarded as the same as the current version.
    await page.getByTestId('import-open').click();
    await page.getByTestId('delivery-table').waitFor();
    assert.match((await page.getByTestId('delivery-status').first().textContent()) ?? '', /Same as current/);
    await page.getByTestId('delivery-versions').first().click();
    await page.getByTestId('delivery-version').first().waitFor();
    assert.equal(await page.getByTestId('delivery-version').count(), 2, 'version 1 and the discarded copy');
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-import-versions');
  });

  it('invoices and lines › a CSV-only invoice is to be checked against the PDF; its lines filter, with totals', async () => {
    const en = translator('en');
    await page.goto(`${origin}/staff/vendor-bills/invoices`);
    const row = page.locator(`[data-testid="vendor-invoice-row"][data-invoice="${invoiceNumber}"]`);
    const check = row.getByTestId('reconciliation');
    await check.waitFor();
    assert.equal(
      await check.getAttribute('data-status'),
      'no_total',
      'no invoice total without the connector',
    );
    assert.equal(await check.textContent(), en('vendorBills.reconciliation.status', { status: 'no_total' }));
    const periods = (await api.request('GET', '/api/v1/vendor-bills/periods')).json();
    const period = periods.find((entry: { invoiceNumbers: string[] }) =>
      entry.invoiceNumbers.includes(invoiceNumber),
    );
    assert.equal(period.status, 'final', 'billed data makes the month final');
    const periodRow = page.getByTestId('period-row').filter({ hasText: invoiceNumber });
    assert.equal(await periodRow.getByTestId('completeness').getAttribute('data-status'), 'final');
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-invoices');

    await row.getByRole('link', { name: invoiceNumber }).click();
    await page.getByTestId('cost-line-table').waitFor();
    const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' });
    assert.equal(
      await page.getByTestId('line-total').textContent(),
      money.format(totalOf(goodRows) as Intl.StringNumericLiteral),
    );
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-invoice-lines');

    // A charge type none of the lines has leaves nothing; clearing it brings them back.
    await page.getByTestId('line-filter-charge-type').fill('renew');
    await page.getByTestId('lines-empty').waitFor();
    await page.getByTestId('line-filter-charge-type').fill('');
    await page.getByTestId('cost-line-table').waitFor();

    await page.goto(`${origin}/staff/vendor-bills/unknown-customers`);
    await page.getByTestId('unknown-table').waitFor();
    const unknown = page.getByTestId('unknown-row');
    assert.equal(await unknown.count(), CUSTOMERS.length, 'the file names customers the demo does not know');
    assert.match((await unknown.first().textContent()) ?? '', /Duna Logisztika|Margit Pékség/);
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-unknown-customers');
  });

  it("payables › the CSV's invoice is listed with its due date, net 60 from the month's publication date", async () => {
    await page.goto(`${origin}/staff/vendor-bills/payables`);
    const row = page.locator(`[data-testid="payable-row"][data-invoice="${invoiceNumber}"]`);
    await row.waitFor();
    // New-commerce invoices are published by the 8th of the next month (reference §5.1).
    const [year, monthNumber] = month().end.split('-').map(Number) as [number, number];
    const published = new Date(Date.UTC(year, monthNumber, 8)).toISOString().slice(0, 10);
    const due = addDays(published, 60);
    const listed = await api.request('GET', '/api/v1/vendor-bills/invoices');
    const invoice = listed
      .json()
      .items.find((item: { invoiceNumber: string }) => item.invoiceNumber === invoiceNumber);
    assert.equal(invoice.dueDate, due);
    assert.equal(await row.getByTestId('payable-due').textContent(), calendarDay('en', due));
    assert.equal(
      await row.getByTestId('payable-status').getAttribute('data-status'),
      invoice.status,
      'the status the API derives',
    );
    await page.getByTestId('due-chart').first().waitFor();
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-payables');
  });

  it('the screens in Hungarian and Chinese › payables and imports in the page language', async () => {
    for (const [browserLocale, locale] of [
      ['hu-HU', 'hu'],
      ['zh-CN', 'zh-Hans'],
    ] as const) {
      const messages = catalogs[locale];
      const local = await signedInPage(BILLING_ADMIN, browserLocale);
      await local.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
      await local.goto(`${origin}/staff/vendor-bills/payables`);
      const row = local.locator(`[data-testid="payable-row"][data-invoice="${invoiceNumber}"]`);
      await row.waitFor();
      await local.getByRole('heading', { name: messages['vendorBills.payables.title'] }).waitFor();
      const listed = await api.request('GET', '/api/v1/vendor-bills/invoices');
      const invoice = listed
        .json()
        .items.find((item: { invoiceNumber: string }) => item.invoiceNumber === invoiceNumber);
      assert.equal(await row.getByTestId('payable-due').textContent(), calendarDay(locale, invoice.dueDate));
      await fontsSettled(local);
      await screenshot(local, `vendor-bills-payables-${locale}`);

      await local.getByTestId('tab-imports').click();
      await local.getByTestId('import-table').waitFor();
      await local.getByRole('heading', { name: messages['vendorBills.history.title'] }).waitFor();
      await fontsSettled(local);
      await screenshot(local, `vendor-bills-imports-${locale}`);
      await local.context().close();
    }
  });

  it('payables › terms of 0 days make the invoice overdue: the countdown to suspension shows, on the dashboard too', async () => {
    const en = translator('en');
    await page.goto(`${origin}/staff/vendor-bills/payables`);
    const row = page.locator(`[data-testid="payable-row"][data-invoice="${invoiceNumber}"]`);
    await row.getByTestId('payable-terms').click();
    await page.getByTestId('terms-days').fill('0');
    await page.getByTestId('terms-save').click();
    await row.locator('[data-testid="payable-status"][data-status="overdue"]').waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(en('vendorBills.terms.overridden')));

    const summary = (await api.request('GET', '/api/v1/vendor-bills/payables/summary')).json();
    assert.ok(summary.daysToSuspension > 0, 'the invoice is overdue, not yet 60 days');
    const countdown = en('vendorBills.payables.countdown', { days: summary.daysToSuspension });
    const shown = page.getByTestId('suspension-countdown');
    assert.match((await shown.textContent()) ?? '', new RegExp(countdown));
    assert.ok(((await shown.textContent()) ?? '').includes(calendarDay('en', summary.nextSuspensionDate)));
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-payables-overdue');

    await page.getByTestId('nav-dashboard').click();
    const card = page.getByTestId('payables-card');
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', new RegExp(countdown));
    await fontsSettled(page);
    await screenshot(page, 'vendor-bills-dashboard-card');
  });

  it('payables › marking the invoice paid ends the countdown', async () => {
    await page.goto(`${origin}/staff/vendor-bills/payables`);
    const row = page.locator(`[data-testid="payable-row"][data-invoice="${invoiceNumber}"]`);
    await row.getByTestId('payable-mark-paid').click();
    await page.getByTestId('paid-save').click();
    await row.locator('[data-testid="payable-status"][data-status="paid"]').waitFor();
    await page.getByTestId('suspension-countdown').waitFor({ state: 'detached' });
    const listed = await api.request('GET', '/api/v1/vendor-bills/invoices?status=paid');
    const paid = listed
      .json()
      .items.find((item: { invoiceNumber: string }) => item.invoiceNumber === invoiceNumber);
    assert.equal(paid.paidSource, 'manual');
    assert.equal(
      paid.paidAt,
      (await api.request('GET', '/api/v1/vendor-bills/payables/summary')).json().today,
    );
  });
});
