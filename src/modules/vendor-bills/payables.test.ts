import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { searchAudit } from '#modules/audit';
import { createCustomer } from '#modules/customers';
import { inviteUser, rolePermissions } from '#modules/identity';
import type { Caller } from '#platform/actor';
import type { AppContext, AppModule, RunningApp } from '#platform/app';
import { withTransaction } from '#platform/db';
import { type FixedClock, fixedClock } from '#platform/time';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner, operator } from '#test/factories';
import { type SmtpCapture, startSmtpCapture } from '#test/smtp';
import { periodStatus } from './completeness.ts';
import { beginImport, loadImport } from './imports.ts';
import { lineRoutes } from './line-routes.ts';
import type { CostLine } from './lines.ts';
import { payableJobs, payableJobTypes, payablesWarningsJob, sendPayablesWarnings } from './payable-jobs.ts';
import { payableRoutes } from './payable-routes.ts';
import {
  type ConnectorInvoice,
  recordBilledInvoices,
  upsertVendorInvoicesFromConnector,
} from './payables.ts';

const payablesModule: AppModule = {
  name: 'vendor-bills',
  routes(api, app) {
    payableRoutes(api, app);
    lineRoutes(api, app);
  },
  jobTypes: payableJobTypes,
  jobs: payableJobs,
};

const KNOWN_TENANT = '5b1e64a8-6c2c-4d0c-9a4e-1f1e1c0a0001';
const UNKNOWN_TENANT = '5b1e64a8-6c2c-4d0c-9a4e-1f1e1c0a0002';

/** A billed or estimated line with every field a reader may leave empty left empty. */
function costLine(fields: Partial<CostLine> & Pick<CostLine, 'cost' | 'period'>): CostLine {
  return {
    form: 'billed_recon',
    invoiceNumber: null,
    sourceName: 'test.csv',
    sourceLine: 2,
    customerTenantId: KNOWN_TENANT,
    customerName: 'Fabrikam Kft.',
    customerCountry: 'HU',
    resellerMpnId: null,
    subscriptionId: null,
    entitlementId: null,
    orderId: null,
    productId: 'CFQ7TTC0LH18',
    skuId: '0001',
    availabilityId: null,
    productName: 'Microsoft 365 Business Basic',
    skuName: 'Microsoft 365 Business Basic',
    meterId: null,
    meterName: null,
    meterCategory: null,
    serviceFamily: 'm365',
    chargeType: 'new',
    referenceId: null,
    periodStart: null,
    periodEnd: null,
    chargeStart: null,
    chargeEnd: null,
    usageDate: null,
    quantity: '1',
    unitPrice: null,
    effectiveUnitPrice: null,
    subtotal: null,
    tax: null,
    currency: 'USD',
    pricingCurrency: null,
    pricingTotal: null,
    exchangeRate: null,
    creditType: null,
    isReservation: false,
    extra: null,
    ...fields,
  };
}

/** Imports lines through the import engine, as the CLI would. */
async function importLines(app: AppContext, partnerId: string, lines: CostLine[]) {
  const row = await beginImport(app, operator, { partnerId, source: 'csv_cli', cloud: 'public' });
  const result = await loadImport(
    app,
    operator,
    row,
    (async function* () {
      yield* lines.map((line, index) => ({ ...line, sourceLine: index + 2 }));
    })(),
  );
  assert.notEqual(result.import.status, 'failed', JSON.stringify(result.import.errorMessage));
  return result;
}

const invoice = (
  fields: Partial<ConnectorInvoice> & Pick<ConnectorInvoice, 'invoiceNumber'>,
): ConnectorInvoice => ({
  invoiceDate: '2026-04-08',
  documentType: 'invoice',
  currency: 'USD',
  total: '100.00',
  billingPeriodStart: '2026-03-01',
  billingPeriodEnd: '2026-03-31',
  ...fields,
});

const staffOf = (role: keyof typeof rolePermissions, partnerId: string, id = `${role}-1`) =>
  staffHeader(partnerId, [...rolePermissions[role]], id);
const callerOf = (partnerId: string): Caller => ({
  actor: { kind: 'staff', id: 'admin-1', partnerId, permissions: new Set(rolePermissions.global_admin) },
});

for (const engine of engines()) {
  describe(`vendor-bills payables on ${engine}`, () => {
    let smtp: SmtpCapture;
    let running: RunningApp;
    let clock: FixedClock;
    let hungary: string;
    let other: string;
    let known: string;
    let billing: Record<string, string>;

    const request = async (
      method: 'GET' | 'PATCH' | 'PUT',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => running.http.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    const get = async (url: string, headers = billing) => {
      const response = await request('GET', url, headers);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const invoiceByNumber = async (number: string) => {
      const { items } = await get('/vendor-bills/invoices?limit=200');
      return items.find((item: { invoiceNumber: string }) => item.invoiceNumber === number);
    };

    before(async () => {
      smtp = await startSmtpCapture();
      clock = fixedClock('2026-06-15T10:00:00Z');
      running = await startTestApp({
        engine,
        modules: [payablesModule],
        authenticator: headerAuthenticator,
        clock,
        config: { smtpUrl: smtp.url, mailFrom: 'desk@installation.test' },
      });
      const app = running.app;
      hungary = await createTestPartner(app, 'payables-hu', {
        displayName: 'Contoso Hungary',
        legalName: 'Contoso Informatikai Kft.',
        defaultLanguage: 'hu',
        timeZone: 'Europe/Budapest',
      });
      other = await createTestPartner(app, 'payables-other');
      billing = staffOf('billing_admin', hungary);
      known = (
        await createCustomer(app, callerOf(hungary), {
          name: 'Fabrikam Kft.',
          domain: 'fabrikamhu.onmicrosoft.com',
          country: 'HU',
          tenantId: KNOWN_TENANT,
        })
      ).id;
      // March: an M365 line of a known customer and Azure usage of a tenant not known here.
      await importLines(app, hungary, [
        costLine({ invoiceNumber: 'G100', period: '2026-03-01', cost: '100.00', chargeType: 'new' }),
        costLine({
          invoiceNumber: 'G100',
          period: '2026-03-01',
          cost: '50.25',
          form: 'billed_recon',
          serviceFamily: 'azure',
          chargeType: 'usage',
          customerTenantId: UNKNOWN_TENANT,
          customerName: 'Northwind Traders',
          productName: 'Azure plan',
        }),
      ]);
      // April in euros, known from the file only.
      await importLines(app, hungary, [
        costLine({ invoiceNumber: 'G200', period: '2026-04-01', cost: '80.10', currency: 'EUR' }),
      ]);
    });
    after(async () => {
      await running.close();
      await smtp.close();
    });

    it('import › an invoice first met in a file is recorded with an estimated date and no total', async () => {
      const g200 = await invoiceByNumber('G200');
      assert.deepEqual(
        {
          source: g200.source,
          total: g200.total,
          invoiceDate: g200.invoiceDate,
          period: [g200.billingPeriodStart, g200.billingPeriodEnd],
          billedLinesTotal: g200.billedLinesTotal,
          difference: g200.difference,
          termsDays: g200.termsDays,
          dueDate: g200.dueDate,
          outstanding: g200.outstanding,
        },
        {
          source: 'import',
          total: null,
          invoiceDate: '2026-05-08',
          period: ['2026-04-01', '2026-04-30'],
          billedLinesTotal: '80.10',
          difference: null,
          termsDays: 60,
          dueDate: '2026-07-07',
          outstanding: '80.10',
        },
      );
    });

    it('connector › Microsoft’s facts win over an import’s guess; the same invoices again change nothing', async () => {
      const app = running.app;
      const pull = [
        invoice({ invoiceNumber: 'G100', total: '150.25' }),
        invoice({ invoiceNumber: 'G050', invoiceDate: '2026-03-08', total: '300.00', paidAmount: '-300.00' }),
        invoice({
          invoiceNumber: 'G060',
          invoiceDate: '2026-03-09',
          documentType: 'credit_note',
          total: '-20.00',
        }),
      ];
      const first = await withTransaction(app.database, (tx) =>
        upsertVendorInvoicesFromConnector(tx, hungary, 'public', pull, clock.now()),
      );
      assert.deepEqual(first, { created: 2, updated: 1 });
      const again = await withTransaction(app.database, (tx) =>
        upsertVendorInvoicesFromConnector(
          tx,
          hungary,
          'public',
          pull.map((entry) => ({ ...entry, total: `${entry.total}0` })),
          clock.now(),
        ),
      );
      assert.deepEqual(again, { created: 0, updated: 0 }, '150.250 is the same amount as 150.25');
      const refile = await withTransaction(app.database, (tx) =>
        recordBilledInvoices(tx, hungary, 'public', [
          { invoiceNumber: 'G100', currency: 'USD', period: '2026-03-01', total: '1.00' },
        ]),
      );
      assert.deepEqual(refile, { created: 0, updated: 0 }, 'an import never overwrites connector facts');

      const g100 = await invoiceByNumber('G100');
      assert.deepEqual(
        [g100.source, g100.invoiceDate, g100.total, g100.billedLinesTotal, g100.difference],
        ['connector', '2026-04-08', '150.25', '150.25', '0.00'],
      );
      const g050 = await invoiceByNumber('G050');
      assert.deepEqual([g050.status, g050.paidAmount, g050.paidSource], ['paid', '300.00', 'imported']);
      const g060 = await invoiceByNumber('G060');
      assert.deepEqual([g060.documentType, g060.status, g060.dueDate], ['credit_note', 'paid', null]);
    });

    it('status › G100 (net 60 from April 8) is overdue by 8 days; Partner Center would suspend on August 7', async () => {
      const g100 = await invoiceByNumber('G100');
      assert.deepEqual(
        [g100.dueDate, g100.status, g100.daysOverdue, g100.suspensionDate, g100.outstanding],
        ['2026-06-07', 'overdue', 8, '2026-08-07', '150.25'],
      );
      const overdue = await get('/vendor-bills/invoices?status=overdue');
      assert.deepEqual(
        overdue.items.map((item: { invoiceNumber: string }) => item.invoiceNumber),
        ['G100'],
      );
      const euros = await get('/vendor-bills/invoices?currency=EUR');
      assert.deepEqual(
        euros.items.map((item: { invoiceNumber: string }) => item.invoiceNumber),
        ['G200'],
      );
    });

    it('list › newest first, page by page with the cursor; a made-up cursor is refused by name', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { invoiceNumber: string }[]; nextCursor: string | null } = await get(
          `/vendor-bills/invoices?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((item) => item.invoiceNumber));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ['G200', 'G100', 'G060', 'G050']);
      const bad = await request('GET', '/vendor-bills/invoices?cursor=bm9wZQ', billing);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().field, 'cursor');
    });

    it('terms › an invoice’s own terms move its due date, and null goes back to the partner’s', async () => {
      const g200 = await invoiceByNumber('G200');
      const patched = await request('PATCH', `/vendor-bills/invoices/${g200.id}`, billing, { termsDays: 35 });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual(
        [
          patched.json().termsDays,
          patched.json().termsOverridden,
          patched.json().dueDate,
          patched.json().status,
        ],
        [35, true, '2026-06-12', 'overdue'],
      );
      const reset = await request('PATCH', `/vendor-bills/invoices/${g200.id}`, billing, { termsDays: null });
      assert.deepEqual(
        [reset.json().termsDays, reset.json().termsOverridden, reset.json().dueDate, reset.json().status],
        [60, false, '2026-07-07', 'open'],
      );
      const events = await searchAudit(running.app, callerOf(hungary), { targetId: g200.id });
      assert.deepEqual(
        events.events.map((event) => [event.action, event.changes?.termsDays]),
        [
          ['payable.updated', { before: 35, after: null }],
          ['payable.updated', { before: null, after: 35 }],
        ],
      );
    });

    it('PATCH › bad input names the field and changes nothing', async () => {
      const g100 = await invoiceByNumber('G100');
      const cases: [object, string][] = [
        [{ termsDays: 400 }, 'termsDays'],
        [{ termsDays: -1 }, 'termsDays'],
        [{ paidAt: '2026-02-30' }, 'paidAt'],
        [{ paidAt: '2026-06-16' }, 'paidAt'],
        [{ paidAmount: '12,50' }, 'paidAmount'],
        [{ paidAmount: '-5' }, 'paidAmount'],
      ];
      for (const [body, field] of cases) {
        const response = await request('PATCH', `/vendor-bills/invoices/${g100.id}`, billing, body);
        assert.equal(response.statusCode, 400, JSON.stringify(body));
        assert.equal(response.json().field, field, JSON.stringify(body));
      }
      const unknownField = await request('PATCH', `/vendor-bills/invoices/${g100.id}`, billing, {
        total: '1',
      });
      assert.equal(unknownField.statusCode, 400);
      assert.deepEqual(await invoiceByNumber('G100'), g100);
    });

    it('summary › open, due soon and overdue per currency, the due-date chart and the suspension countdown', async () => {
      const summary = await get('/vendor-bills/payables/summary');
      assert.equal(summary.today, '2026-06-15');
      assert.deepEqual(summary.byCurrency, [
        { currency: 'EUR', open: '80.10', dueSoon: '0.00', overdue: '0.00' },
        { currency: 'USD', open: '0.00', dueSoon: '0.00', overdue: '150.25' },
      ]);
      assert.deepEqual(summary.dueByDate, [
        { dueDate: '2026-06-07', currency: 'USD', amount: '150.25' },
        { dueDate: '2026-07-07', currency: 'EUR', amount: '80.10' },
      ]);
      assert.equal(summary.nextSuspensionDate, '2026-08-07');
      assert.equal(summary.daysToSuspension, 53);
      assert.deepEqual(summary.warnings, [
        {
          kind: 'overdue',
          invoiceId: (await invoiceByNumber('G100')).id,
          invoiceNumber: 'G100',
          currency: 'USD',
          amount: '150.25',
          dueDate: '2026-06-07',
          daysOverdue: 8,
          suspensionDate: '2026-08-07',
        },
      ]);
      assert.equal(summary.creditLimitUsd, null);
      assert.equal(summary.headroomUsd, null);
    });

    it('credit limit › headroom is the limit less open USD invoices and unbilled USD estimates; euros are named, not guessed', async () => {
      await importLines(running.app, hungary, [
        costLine({ form: 'daily_usage', period: '2026-06-01', cost: '12.34', serviceFamily: 'azure' }),
        costLine({ form: 'daily_usage', period: '2026-06-01', cost: '5.00', serviceFamily: 'azure' }),
      ]);
      const saved = await request('PUT', '/vendor-bills/settings', billing, {
        creditLimitUsd: '160',
        warnDaysBefore: 10,
      });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json(), { creditLimitUsd: '160.00', warnDaysBefore: 10, paymentTermsDays: 60 });
      const summary = await get('/vendor-bills/payables/summary');
      assert.deepEqual(
        [summary.creditLimitUsd, summary.openUsd, summary.unbilledUsd, summary.headroomUsd],
        ['160.00', '150.25', '17.34', '-7.59'],
      );
      assert.deepEqual(summary.currenciesNotInUsd, ['EUR']);
      assert.deepEqual(summary.warnings.at(-1), {
        kind: 'credit_limit_exceeded',
        invoiceId: null,
        invoiceNumber: null,
        currency: 'USD',
        amount: '7.59',
        dueDate: null,
        daysOverdue: 0,
        suspensionDate: null,
      });

      for (const [body, field] of [
        [{ creditLimitUsd: 'lots', warnDaysBefore: 7 }, 'creditLimitUsd'],
        [{ creditLimitUsd: '-1', warnDaysBefore: 7 }, 'creditLimitUsd'],
        [{ creditLimitUsd: null, warnDaysBefore: 91 }, 'warnDaysBefore'],
      ] as const) {
        const refused = await request('PUT', '/vendor-bills/settings', billing, body);
        assert.equal(refused.statusCode, 400, JSON.stringify(body));
        assert.equal(refused.json().field, field);
      }
      assert.deepEqual((await get('/vendor-bills/settings')).creditLimitUsd, '160.00');
    });

    it('paid by hand › the invoice leaves the open amounts and the countdown', async () => {
      const g100 = await invoiceByNumber('G100');
      const paid = await request('PATCH', `/vendor-bills/invoices/${g100.id}`, billing, {
        paidAt: '2026-06-14',
      });
      assert.deepEqual(
        [paid.json().status, paid.json().paidAt, paid.json().paidSource, paid.json().suspensionDate],
        ['paid', '2026-06-14', 'manual', null],
      );
      // Microsoft has not seen the payment yet: the connector's next read leaves the partner's record.
      await withTransaction(running.app.database, (tx) =>
        upsertVendorInvoicesFromConnector(tx, hungary, 'public', [
          invoice({ invoiceNumber: 'G100', total: '150.25', paidAmount: '0' }),
        ]),
      );
      assert.equal((await invoiceByNumber('G100')).paidSource, 'manual');
      const summary = await get('/vendor-bills/payables/summary');
      assert.equal(summary.openUsd, '0.00');
      assert.equal(summary.nextSuspensionDate, '2026-09-06', 'G200 is now the one that counts');
      assert.deepEqual(
        summary.byCurrency.find((entry: { currency: string }) => entry.currency === 'USD'),
        undefined,
      );
      const undone = await request('PATCH', `/vendor-bills/invoices/${g100.id}`, billing, { paidAt: null });
      assert.deepEqual([undone.json().status, undone.json().paidSource], ['overdue', null]);
    });

    it('lines › only current deliveries, filtered, with totals over the whole set and not just the page', async () => {
      const page = await get('/vendor-bills/lines?invoiceNumber=G100&limit=1');
      assert.equal(page.items.length, 1);
      assert.deepEqual(page.totals, [{ currency: 'USD', cost: '150.25', lines: 2 }]);
      const next = await get(`/vendor-bills/lines?invoiceNumber=G100&limit=1&cursor=${page.nextCursor}`);
      assert.equal(next.nextCursor, null);
      const both = [...page.items, ...next.items];
      assert.deepEqual(both.map((line) => line.cost).sort(), ['100.00', '50.25']);
      const m365 = both.find((line) => line.serviceFamily === 'm365');
      assert.deepEqual(
        [m365.customerId, m365.kind, m365.deliveryVersion, m365.form, m365.period, m365.sourceLine],
        [known, 'billed', 1, 'billed_recon', '2026-03-01', 2],
      );

      const filters: [string, string[]][] = [
        [`customerId=${known}`, ['100.00', '80.10', '12.34', '5.00']],
        ['serviceFamily=azure', ['50.25', '12.34', '5.00']],
        ['chargeType=usage', ['50.25']],
        ['kind=estimate', ['12.34', '5.00']],
        ['period=2026-04', ['80.10']],
        ['unknownCustomer=true', ['50.25']],
      ];
      for (const [query, costs] of filters) {
        const { items } = await get(`/vendor-bills/lines?${query}`);
        assert.deepEqual(items.map((line: { cost: string }) => line.cost).sort(), [...costs].sort(), query);
      }
      const bad = await request('GET', '/vendor-bills/lines?period=2026-13', billing);
      assert.equal(bad.statusCode, 400);

      // A corrected re-delivery of G100 replaces what the API shows; the old version stays stored.
      await importLines(running.app, hungary, [
        costLine({ invoiceNumber: 'G100', period: '2026-03-01', cost: '100.00' }),
        costLine({
          invoiceNumber: 'G100',
          period: '2026-03-01',
          cost: '49.25',
          serviceFamily: 'azure',
          customerTenantId: UNKNOWN_TENANT,
          customerName: 'Northwind Traders',
        }),
      ]);
      const corrected = await get('/vendor-bills/lines?invoiceNumber=G100');
      assert.deepEqual(corrected.totals, [{ currency: 'USD', cost: '149.25', lines: 2 }]);
      assert.deepEqual(
        corrected.items.map((line: { deliveryVersion: number }) => line.deliveryVersion),
        [2, 2],
      );
      assert.equal(
        (await invoiceByNumber('G100')).difference,
        '-1.00',
        'the lines less Microsoft’s total, as the reconciliation says',
      );
    });

    it('unknown customers › grouped by tenant with their lines, cost per currency and last period', async () => {
      await importLines(running.app, hungary, [
        costLine({
          invoiceNumber: 'G300',
          period: '2026-05-01',
          cost: '7.00',
          currency: 'EUR',
          customerTenantId: UNKNOWN_TENANT,
          customerName: 'Northwind Traders',
        }),
        costLine({
          invoiceNumber: 'G300',
          period: '2026-05-01',
          cost: '3.00',
          currency: 'EUR',
          customerTenantId: null,
          customerName: null,
        }),
      ]);
      assert.deepEqual(await get('/vendor-bills/unknown-customers'), [
        {
          customerTenantId: UNKNOWN_TENANT,
          customerName: 'Northwind Traders',
          lines: 2,
          costByCurrency: [
            { currency: 'EUR', cost: '7.00' },
            { currency: 'USD', cost: '49.25' },
          ],
          lastPeriod: '2026-05',
        },
        {
          customerTenantId: null,
          customerName: null,
          lines: 1,
          costByCurrency: [{ currency: 'EUR', cost: '3.00' }],
          lastPeriod: '2026-05',
        },
      ]);
    });

    it('completeness › a period is estimated until its billed data arrives, then final', async () => {
      const before = await periodStatus(running.app.database.db, hungary, '2026-06', 'USD');
      assert.deepEqual(before, {
        period: '2026-06',
        currency: 'USD',
        status: 'estimated',
        billedTotal: null,
        estimateTotal: '17.34',
        invoiceNumbers: [],
        finalExpectedBy: '2026-07-08',
      });
      assert.deepEqual(await periodStatus(running.app.database.db, hungary, '2026-07-01', 'USD'), {
        period: '2026-07',
        currency: 'USD',
        status: 'estimated',
        billedTotal: null,
        estimateTotal: null,
        invoiceNumbers: [],
        finalExpectedBy: '2026-08-08',
      });
      await importLines(running.app, hungary, [
        costLine({ invoiceNumber: 'G400', period: '2026-06-01', cost: '17.50', serviceFamily: 'azure' }),
        // The daily usage behind the billed line is detail, never added to it.
        costLine({ invoiceNumber: 'G400', form: 'daily_usage', period: '2026-06-01', cost: '17.50' }),
      ]);
      const periods = await get('/vendor-bills/periods?currency=USD');
      assert.deepEqual(periods, [
        {
          period: '2026-06',
          currency: 'USD',
          status: 'final',
          billedTotal: '17.50',
          estimateTotal: '17.34',
          invoiceNumbers: ['G400'],
          finalExpectedBy: '2026-07-08',
        },
        {
          period: '2026-03',
          currency: 'USD',
          status: 'final',
          billedTotal: '149.25',
          estimateTotal: null,
          invoiceNumbers: ['G100'],
          finalExpectedBy: '2026-04-08',
        },
      ]);
      assert.equal((await periodStatus(running.app.database.db, hungary, '2026-06', 'USD')).status, 'final');
      const bad = await request('GET', '/vendor-bills/periods?currency=usd', billing);
      assert.equal(bad.statusCode, 400);
    });

    it('warnings › billing admins get each notice once, in their language, through SMTP; a re-run sends nothing', async () => {
      const app = running.app;
      const invited = async (
        email: string,
        roles: ('billing_admin' | 'global_admin' | 'helpdesk_agent')[],
        language: string,
      ) => {
        const { user } = await inviteUser(
          app,
          operator,
          hungary,
          null,
          { email, name: email, roles, language },
          'Test',
        );
        // As if the invitation was accepted: warnings go to people who use the desk.
        await app.database.db.execute(sql`update users set status = 'active' where id = ${user.id}`);
      };
      await invited('szamlazas@contoso-hu.test', ['billing_admin'], 'hu');
      await invited('admin@contoso-hu.test', ['global_admin'], 'en');
      await invited('helpdesk@contoso-hu.test', ['helpdesk_agent'], 'en');
      // Someone else's partner has an overdue invoice and no billing admin to tell: nothing is sent there.
      await withTransaction(app.database, (tx) =>
        upsertVendorInvoicesFromConnector(tx, other, 'public', [invoice({ invoiceNumber: 'G900' })]),
      );
      assert.equal(await sendPayablesWarnings(app, other), 0);

      const warningsTo = (address: string) =>
        smtp.messages.filter(
          (mail) => mail.envelope.to.includes(address) && /Microsoft/.test(mail.subject ?? ''),
        );
      const noticesAt = async (instant: string) => {
        clock.set(new Date(instant));
        return sendPayablesWarnings(app, hungary);
      };

      // 15 June: G100 is overdue (G200, G300 and G400 are not due yet; G050 is paid).
      assert.equal(await noticesAt('2026-06-15T10:00:00Z'), 1);
      assert.equal(await noticesAt('2026-06-15T18:00:00Z'), 0, 'the same day again sends nothing');
      const [overdue] = await eventually('the overdue notice', async () => {
        const mails = warningsTo('szamlazas@contoso-hu.test');
        return mails.length === 1 && mails;
      });
      assert.equal(overdue!.subject, 'A Microsoft G100 számú számlája lejárt');
      assert.match(overdue!.text ?? '', /Fennálló összeg: 150,25\u00a0USD/);
      assert.match(overdue!.text ?? '', /Fizetési határidő: 2026\. június 7\./);
      assert.match(overdue!.text ?? '', /8 napja lejárt/);

      // 1 July: G200 (due 7 July) comes within the 10 days' warning; G100 was told about already.
      assert.equal(await noticesAt('2026-07-01T10:00:00Z'), 1);
      // 25 July: G100's suspension date (7 August) is 13 days away; G200 is overdue; G300 (due 7 August)
      // is still outside the 10 days' warning.
      assert.equal(await noticesAt('2026-07-25T10:00:00Z'), 2);
      assert.equal(await noticesAt('2026-07-26T10:00:00Z'), 0);
      const subjects = await eventually('every notice', async () => {
        const mails = warningsTo('szamlazas@contoso-hu.test');
        return mails.length === 4 && mails.map((mail) => mail.subject).sort();
      });
      assert.deepEqual(subjects, [
        'A Microsoft G100 számú számlája lejárt',
        'A Microsoft G200 számú számlája 2026. július 7. napon esedékes',
        'A Microsoft G200 számú számlája lejárt',
        'Fizesse ki a Microsoft G100 számú számláját 2026. augusztus 7. előtt a felfüggesztés elkerülése érdekében',
      ]);
      // 29 July, through the daily job: G300 (due 7 August) is now within the 10 days' warning.
      clock.set(new Date('2026-07-29T10:00:00Z'));
      const jobId = await withTransaction(app.database, (tx) => app.jobs.send(tx, payablesWarningsJob, {}));
      await eventually('the job to finish', async () => {
        const progress = await app.jobs.progress(jobId!);
        return progress.status === 'succeeded' && progress;
      });
      const [g300] = await eventually('the G300 notice', async () => {
        const mails = warningsTo('szamlazas@contoso-hu.test').filter((mail) =>
          /G300/.test(mail.subject ?? ''),
        );
        return mails.length === 1 && mails;
      });
      assert.equal(g300!.subject, 'A Microsoft G300 számú számlája 2026. augusztus 7. napon esedékes');
      assert.deepEqual(
        warningsTo('admin@contoso-hu.test'),
        [],
        'Global admins are told only when no billing admin is',
      );
      assert.deepEqual(warningsTo('helpdesk@contoso-hu.test'), []);
      clock.set(new Date('2026-06-15T10:00:00Z'));
    });

    it('access › Billing and Global admins only; a Helpdesk agent is refused and another partner’s invoice is not found', async () => {
      const routes: ['GET' | 'PATCH' | 'PUT', string, object?][] = [
        ['GET', '/vendor-bills/invoices'],
        ['GET', '/vendor-bills/payables/summary'],
        ['GET', '/vendor-bills/settings'],
        ['PUT', '/vendor-bills/settings', { creditLimitUsd: null, warnDaysBefore: 7 }],
        ['GET', '/vendor-bills/periods'],
        ['GET', '/vendor-bills/lines'],
        ['GET', '/vendor-bills/unknown-customers'],
      ];
      for (const [method, url, body] of routes) {
        for (const role of ['billing_admin', 'global_admin'] as const) {
          const response = await request(method, url, staffOf(role, hungary), body);
          assert.equal(response.statusCode, 200, `${role} ${method} ${url}`);
        }
        for (const role of ['helpdesk_agent', 'sales_agent', 'user_admin'] as const) {
          const response = await request(method, url, staffOf(role, hungary), body);
          assert.equal(response.statusCode, 403, `${role} ${method} ${url}`);
        }
      }
      const g100 = await invoiceByNumber('G100');
      const helpdesk = await request(
        'PATCH',
        `/vendor-bills/invoices/${g100.id}`,
        staffOf('helpdesk_agent', hungary),
        {
          termsDays: 10,
        },
      );
      assert.equal(helpdesk.statusCode, 403);
      const foreign = await request(
        'PATCH',
        `/vendor-bills/invoices/${g100.id}`,
        staffOf('billing_admin', other),
        {
          termsDays: 10,
        },
      );
      assert.equal(foreign.statusCode, 404);
      const theirs = await get('/vendor-bills/invoices', staffOf('billing_admin', other));
      assert.deepEqual(
        theirs.items.map((item: { invoiceNumber: string }) => item.invoiceNumber),
        ['G900'],
      );
      assert.deepEqual(await get('/vendor-bills/unknown-customers', staffOf('billing_admin', other)), []);
      assert.equal((await invoiceByNumber('G100')).termsDays, 60);
    });
  });
}
