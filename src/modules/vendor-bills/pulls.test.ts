import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  createBillingClient,
  type Invoice,
  type PartnerCenterBillingClient,
  type RunningEmulator,
  type SeededCredentials,
  startEmulator,
} from '#modules/partner-center';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { money, sum } from '#platform/money';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { modules } from '../../main.ts';
import { beginImport, loadImport } from './imports.ts';
import { pullCaller, runPull, scheduleDailyPulls } from './pulls.ts';
import { readV1LineItems } from './read/index.ts';

interface ImportRow {
  id: string;
  source: string;
  form: string | null;
  status: string;
  rows_read: number;
  error_message: string | null;
  summary: { reconciliation?: Array<{ invoiceNumber: string; status: string }> };
}

interface DeliveryRow {
  id: string;
  kind: string;
  form: string;
  invoice_number: string | null;
  version: number;
  status: string;
  line_count: number;
  total: string;
  currency: string;
}

for (const engine of engines()) {
  describe(`vendor-bills › pulls through the connector on ${engine}`, () => {
    let running: RunningApp;
    let emulator: RunningEmulator;
    let contoso: string;
    let gov: string;
    let microsoftInvoices: Invoice[];

    /** The emulator names its clouds as Microsoft's pages do; connections use the instance's short name. */
    const cloudOf = (credentials: SeededCredentials) =>
      ({ public: 'public', 'us-government': 'usgov', '21vianet': 'china' })[credentials.cloud];
    const seeded = (key: string): SeededCredentials =>
      emulator.admin.credentials.find((credentials) => credentials.key === key)!;

    /** Microsoft's side, read straight from the emulator with the partner's own app. */
    const microsoft = (key: string): PartnerCenterBillingClient => {
      const credentials = seeded(key);
      return createBillingClient({
        cloud: cloudOf(credentials),
        baseUrl: emulator.url,
        authority: emulator.url,
        graphUrl: emulator.url,
        credentials: {
          tenantId: credentials.tenantId,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
        },
      });
    };

    const billing = (partnerId: string) => staffHeader(partnerId, ['costs.manage'], `billing-${partnerId}`);
    const inject = (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => running.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    async function connect(partnerId: string, key: string) {
      const credentials = seeded(key);
      const saved = await inject(
        'PUT',
        `/api/v1/partner/connections/${cloudOf(credentials)}`,
        staffHeader(partnerId, ['partner.manage'], `admin-${partnerId}`),
        {
          tenantId: credentials.tenantId,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          refreshToken: credentials.refreshToken,
          baseUrl: emulator.url,
          authority: emulator.url,
        },
      );
      assert.equal(saved.statusCode, 200, saved.body);
    }

    async function finished(partnerId: string, jobId: string) {
      return eventually(
        `job ${jobId} to finish`,
        async () => {
          const job = (await inject('GET', `/api/v1/jobs/${jobId}`, billing(partnerId))).json();
          return job.status === 'succeeded' || job.status === 'failed' ? job : undefined;
        },
        120_000,
      );
    }

    /** Asks for a pull through the API and waits for its job. */
    async function pull(partnerId: string, body: object) {
      const started = await inject('POST', '/api/v1/vendor-bills/pulls', billing(partnerId), body);
      assert.equal(started.statusCode, 202, started.body);
      const { jobId, importIds } = started.json() as { jobId: string; importIds: string[] };
      return { job: await finished(partnerId, jobId), importIds };
    }

    const importRows = (partnerId: string, ids: readonly string[]) =>
      selectRows<ImportRow>(
        running.app.database.db,
        sql`select * from vendor_imports where partner_id = ${partnerId}
            and id in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})`,
      );
    const deliveries = (partnerId: string) =>
      selectRows<DeliveryRow>(
        running.app.database.db,
        sql`select id, kind, form, invoice_number, version, status, line_count, total::text as total, currency
            from vendor_deliveries where partner_id = ${partnerId} order by delivery_key, version`,
      );
    const reconciliation = async (partnerId: string, period?: string) => {
      const answer = await inject(
        'GET',
        `/api/v1/vendor-bills/reconciliation${period ? `?period=${period}` : ''}`,
        billing(partnerId),
      );
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json().items as Array<{
        invoiceNumber: string;
        currency: string;
        microsoftTotal: string | null;
        billedLinesTotal: string | null;
        difference: string | null;
        status: string;
      }>;
    };

    const newCommerce = () => microsoftInvoices.filter((invoice) => invoice.id.startsWith('G'));
    const monthOf = (invoice: Invoice) => invoice.billingPeriodStartDate.slice(0, 7);

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      running = await startTestApp({
        engine,
        modules,
        authenticator: headerAuthenticator,
      });
      contoso = await createTestPartner(running.app, 'contoso', { currency: 'EUR' });
      gov = await createTestPartner(running.app, 'northwind-gov', { currency: 'USD' });
      await connect(contoso, 'contoso-hu');
      await connect(gov, 'northwind-gov');
      microsoftInvoices = [];
      for await (const invoice of microsoft('contoso-hu').listInvoices()) microsoftInvoices.push(invoice);
      assert.ok(newCommerce().length >= 12, 'the emulator publishes a year of new-commerce invoices');
    });
    after(async () => {
      await running?.close();
      await emulator?.close();
    });

    it('invoices › every invoice Microsoft lists becomes a vendor invoice with its date, total and currency', async () => {
      const { job, importIds } = await pull(contoso, { cloud: 'public', what: 'invoices' });
      assert.equal(job.status, 'succeeded', job.error);
      assert.deepEqual(importIds, [], 'invoices are headers, not lines: no import');
      const rows = await selectRows<{
        invoice_number: string;
        invoice_date: string;
        total: string;
        currency: string;
        source: string;
        billing_period_start: string;
      }>(
        running.app.database.db,
        sql`select invoice_number, invoice_date::text as invoice_date, total::text as total, currency, source,
              billing_period_start::text as billing_period_start
            from vendor_invoices where partner_id = ${contoso} order by invoice_number`,
      );
      assert.equal(rows.length, microsoftInvoices.length);
      for (const invoice of microsoftInvoices) {
        const row = rows.find((candidate) => candidate.invoice_number === invoice.id);
        assert.ok(row, invoice.id);
        assert.equal(row.invoice_date, invoice.invoiceDate.slice(0, 10));
        assert.equal(row.billing_period_start, invoice.billingPeriodStartDate.slice(0, 10));
        assert.equal(row.currency, invoice.currencyCode);
        assert.equal(row.source, 'connector');
        assert.ok(money(row.total, row.currency).equals(money(invoice.totalCharges, invoice.currencyCode)));
      }
      const checked = await reconciliation(contoso);
      assert.ok(checked.length > 0, 'the pulled invoices are there to check');
      assert.ok(
        checked.every((entry) => entry.status === 'no_lines'),
        'no lines are imported yet',
      );
    });

    it('connections › a Billing admin sees the partner’s connected clouds only, without secrets; others are refused', async () => {
      const listed = async (partnerId: string) => {
        const answer = await inject('GET', '/api/v1/vendor-bills/connections', billing(partnerId));
        assert.equal(answer.statusCode, 200, answer.body);
        return answer.json().items as Array<Record<string, unknown>>;
      };
      const [connection, ...others] = await listed(contoso);
      assert.deepEqual(others, [], 'one cloud connected');
      assert.deepEqual(Object.keys(connection!).sort(), ['cloud', 'lastError', 'status']);
      assert.equal(connection!.cloud, 'public');
      assert.equal(connection!.lastError, null);
      assert.deepEqual(
        (await listed(gov)).map((entry) => entry.cloud),
        ['usgov'],
        'another partner’s connection is not listed',
      );
      const unconnected = await createTestPartner(running.app, 'no-connection', { currency: 'EUR' });
      assert.deepEqual(await listed(unconnected), []);
      const helpdesk = await inject(
        'GET',
        '/api/v1/vendor-bills/connections',
        staffHeader(contoso, ['customers.read', 'invoices.read'], 'helpdesk'),
      );
      assert.equal(helpdesk.statusCode, 403);
    });

    it('a legacy (D…) invoice › its licence-based lines come through v1 line items and total Microsoft’s invoice', async () => {
      const legacy = microsoftInvoices.find((invoice) => invoice.id.startsWith('D'));
      assert.ok(legacy, 'contoso has legacy invoices');
      let expectedLines = 0;
      for await (const _line of microsoft('contoso-hu').legacyLicenseLineItems(legacy.id)) expectedLines += 1;
      const { job, importIds } = await pull(contoso, {
        cloud: 'public',
        what: 'billed',
        invoiceNumber: legacy.id,
      });
      assert.equal(job.status, 'succeeded', job.error);
      const imports = await importRows(contoso, importIds);
      assert.deepEqual(
        imports.map((row) => [row.form, row.source, row.status, row.rows_read]),
        [['legacy_license', 'v1_line_items', 'completed', expectedLines]],
        'one import: legacy invoices have no daily usage',
      );
      assert.deepEqual(
        imports[0]!.summary.reconciliation?.map((entry) => entry.status),
        ['matches'],
      );
      const [checked] = (await reconciliation(contoso)).filter((entry) => entry.invoiceNumber === legacy.id);
      assert.equal(checked?.status, 'matches');
      assert.ok(
        money(checked!.billedLinesTotal!, checked!.currency).equals(
          money(legacy.totalCharges, legacy.currencyCode),
        ),
      );
      const lines = await selectRows<{ invoice_number: string; source_name: string; source_line: number }>(
        running.app.database.db,
        sql`select invoice_number, source_name, source_line from vendor_cost_lines
            where partner_id = ${contoso} and import_id = ${importIds[0]!} order by source_line`,
      );
      assert.deepEqual(
        lines.map((line) => [line.invoice_number, line.source_name, line.source_line]),
        lines.map((_line, index) => [legacy.id, `${legacy.id} licence-based line items`, index + 1]),
        'the lines carry the invoice they were asked for, and their place in Microsoft’s answer',
      );
    });

    it('429 three times while the export streams › the billed lines arrive whole: no line lost or repeated', async () => {
      const latest = newCommerce()[0]!;
      let expectedLines = 0;
      for await (const _line of microsoft('contoso-hu').billedLineItems(latest.id, latest.currencyCode)) {
        expectedLines += 1;
      }
      emulator.admin.setFaults({ throttle: { count: 3, retryAfterSeconds: 1, path: '/_blobs/' } });
      try {
        const { job, importIds } = await pull(contoso, {
          cloud: 'public',
          what: 'billed',
          invoiceNumber: latest.id,
        });
        assert.equal(job.status, 'succeeded', job.error);
        assert.equal(emulator.admin.faults().throttle?.count, 0, 'all three 429s were answered');
        const [recon] = (await importRows(contoso, importIds)).filter((row) => row.form === 'billed_recon');
        assert.equal(recon?.source, 'graph_export');
        assert.equal(recon?.status, 'completed');
        assert.equal(recon?.rows_read, expectedLines);
      } finally {
        emulator.admin.setFaults({});
      }
      const [checked] = await reconciliation(contoso, monthOf(latest));
      assert.equal(checked?.invoiceNumber, latest.id);
      assert.equal(checked?.status, 'matches');
      const current = (await deliveries(contoso)).filter(
        (row) => row.invoice_number === latest.id && row.form === 'billed_recon' && row.status === 'current',
      );
      assert.equal(current.length, 1);
      assert.equal(current[0]!.line_count, expectedLines);
    });

    it('billed via Graph, every published month › each invoice’s billed lines total Microsoft’s total to the cent', async () => {
      const months = [...new Set(newCommerce().map(monthOf))];
      const pulls = await Promise.all(
        months.map((period) => pull(contoso, { cloud: 'public', what: 'billed', period })),
      );
      for (const { job } of pulls) assert.equal(job.status, 'succeeded', job.error);
      for (const { job } of pulls) assert.equal(job.done, job.total, 'progress reaches its total');
      const imports = await importRows(
        contoso,
        pulls.flatMap((entry) => entry.importIds),
      );
      // Graph exports new-commerce billing; a month's legacy invoice is read through v1 line items.
      assert.ok(
        imports.every(
          (row) => row.source === (row.form === 'legacy_license' ? 'v1_line_items' : 'graph_export'),
        ),
      );
      assert.ok(
        imports.some((row) => row.form === 'legacy_license'),
        'the months have legacy invoices too',
      );

      const checked = await reconciliation(contoso);
      for (const invoice of microsoftInvoices) {
        const entry = checked.find((candidate) => candidate.invoiceNumber === invoice.id);
        assert.ok(entry, invoice.id);
        const lines = (await deliveries(contoso)).filter(
          (row) =>
            row.invoice_number === invoice.id &&
            (row.form === 'billed_recon' || row.form === 'legacy_license') &&
            row.status === 'current',
        );
        const linesTotal = sum(
          lines.map((row) => money(row.total, row.currency)),
          invoice.currencyCode,
        );
        const microsoftTotal = money(invoice.totalCharges, invoice.currencyCode);
        assert.ok(linesTotal.equals(microsoftTotal), `${invoice.id}: ${linesTotal} ≠ ${microsoftTotal}`);
        assert.equal(entry.status, 'matches', invoice.id);
        assert.ok(money(entry.billedLinesTotal!, entry.currency).equals(microsoftTotal));
        assert.ok(money(entry.difference!, entry.currency).isZero());
      }
      // The import page shows the check too.
      const recon = imports.find(
        (row) =>
          row.form === 'billed_recon' &&
          row.summary.reconciliation?.[0]?.invoiceNumber === newCommerce()[1]!.id,
      );
      assert.equal(recon?.summary.reconciliation?.[0]?.status, 'matches');
    });

    it('provenance › each exported line names the blob of Microsoft’s manifest it came from and its line in that blob', async () => {
      const latest = newCommerce()[0]!;
      // The same export asked again: its blobs hold the same rows (the names carry a fresh id each time).
      const exported = await microsoft('contoso-hu').exportBilledUsage(latest.id);
      const blobSizes: number[] = [];
      for await (const blob of exported.blobs()) {
        let rows = 0;
        for await (const _row of blob.rows) rows += 1;
        blobSizes.push(rows);
      }
      assert.ok(blobSizes.length >= 2, 'the usage export comes in several blobs');
      const lines = await selectRows<{ source_name: string; source_line: number }>(
        running.app.database.db,
        sql`select l.source_name, l.source_line from vendor_cost_lines l
            join vendor_deliveries d on d.partner_id = l.partner_id and d.id = l.delivery_id
            where d.partner_id = ${contoso} and d.invoice_number = ${latest.id} and d.form = 'daily_usage'
              and d.status = 'current'
            order by l.line_number`,
      );
      const names = [...new Set(lines.map((line) => line.source_name))];
      const blobPart = /^part-(\d{5})-[0-9a-f-]{36}\.c000\.json\.gz$/;
      assert.ok(
        names.every((name) => blobPart.test(name)),
        `blob names as the manifest lists them: ${names.join()}`,
      );
      assert.deepEqual(
        names.map((name) => Number(blobPart.exec(name)![1])),
        blobSizes.map((_size, index) => index),
        'one name per blob, in the manifest’s order',
      );
      for (const [index, name] of names.entries()) {
        const inBlob = lines.filter((line) => line.source_name === name).map((line) => line.source_line);
        assert.deepEqual(
          inBlob,
          Array.from({ length: blobSizes[index]! }, (_value, line) => line + 1),
          `${name}: lines counted from 1 within the blob`,
        );
      }
    });

    it('daily usage of a billed month is linked to the billed Azure line it details', async () => {
      const rows = await selectRows<{
        linked: string | number;
        unlinked: string | number;
        mismatched: string | number;
      }>(
        running.app.database.db,
        sql`with usage as (
              select u.* from vendor_cost_lines u
              join vendor_deliveries d on d.partner_id = u.partner_id and d.id = u.delivery_id
              where d.partner_id = ${contoso} and d.form = 'daily_usage' and d.kind = 'billed'
                and d.status = 'current'),
            per_billed as (
              select b.partner_id, b.delivery_id, b.line_number, b.quantity, sum(u.quantity) as daily
              from usage u
              join vendor_cost_lines b on b.partner_id = u.partner_id
                and b.delivery_id = u.billed_delivery_id and b.line_number = u.billed_line_number
              group by b.partner_id, b.delivery_id, b.line_number, b.quantity)
            select (select count(*) from usage where billed_delivery_id is not null) as linked,
                   (select count(*) from usage where billed_delivery_id is null) as unlinked,
                   (select count(*) from per_billed where daily <> quantity) as mismatched`,
      );
      const [counts] = rows;
      assert.ok(Number(counts!.linked) > 0, 'the Azure months have daily usage');
      assert.equal(Number(counts!.unlinked), 0, 'every billed day is linked');
      assert.equal(
        Number(counts!.mismatched),
        0,
        'the days of each billed line sum to its billable quantity',
      );
      const [family] = await selectRows<{ families: string[] | string }>(
        running.app.database.db,
        sql`select array_agg(distinct b.service_family) as families
            from vendor_cost_lines u
            join vendor_cost_lines b on b.partner_id = u.partner_id
              and b.delivery_id = u.billed_delivery_id and b.line_number = u.billed_line_number
            where u.partner_id = ${contoso}`,
      );
      assert.match(String(family!.families), /azure/);
      assert.doesNotMatch(String(family!.families), /m365|d365/);
    });

    it('the same pull again › nothing changes: imports unchanged, no new versions', async () => {
      const before = await deliveries(contoso);
      const month = monthOf(newCommerce()[2]!);
      const { job, importIds } = await pull(contoso, { cloud: 'public', what: 'billed', period: month });
      assert.equal(job.status, 'succeeded', job.error);
      const imports = await importRows(contoso, importIds);
      assert.ok(imports.length > 0);
      assert.ok(
        imports.every((row) => row.status === 'unchanged'),
        imports.map((row) => row.status).join(),
      );
      const visible = (rows: DeliveryRow[]) => rows.filter((row) => row.status !== 'discarded');
      assert.deepEqual(visible(await deliveries(contoso)), visible(before));
      const checked = await reconciliation(contoso, month);
      assert.ok(checked.length > 0, 'the month has invoices to check');
      assert.deepEqual(
        checked.filter((entry) => entry.status !== 'matches'),
        [],
      );
    });

    it('the same invoice through v1 line items › unchanged: the same lines from another source', async () => {
      const invoice = newCommerce()[3]!;
      const before = await deliveries(contoso);
      const imports = [];
      for (const form of ['billed_recon', 'daily_usage'] as const) {
        const row = await beginImport(running.app, pullCaller, {
          partnerId: contoso,
          source: 'v1_line_items',
          cloud: 'public',
          form,
        });
        imports.push({ importId: row.id, form });
      }
      const outcome = await runPull(running.app, {
        partnerId: contoso,
        cloud: 'public',
        daily: false,
        steps: [
          { what: 'billed', invoiceNumber: invoice.id, currency: invoice.currencyCode, route: 'v1', imports },
        ],
      });
      assert.equal(outcome.error, null);
      const rows = await importRows(
        contoso,
        imports.map((entry) => entry.importId),
      );
      const recon = rows.find((row) => row.form === 'billed_recon')!;
      assert.equal(recon.status, 'unchanged');
      assert.ok(recon.rows_read > 0);
      const visible = (all: DeliveryRow[]) => all.filter((row) => row.status !== 'discarded');
      assert.deepEqual(visible(await deliveries(contoso)), visible(before));
    });

    it('unbilled › the current estimate is stored as an estimate with Microsoft’s unbilled lines', async () => {
      let expected = money('0', 'EUR');
      let lines = 0;
      for await (const line of microsoft('contoso-hu').unbilledLineItems('EUR', 'current')) {
        expected = expected.add(money(line.total, line.currency));
        lines += 1;
      }
      assert.ok(lines > 0, 'the open month has unbilled charges');
      const { job, importIds } = await pull(contoso, {
        cloud: 'public',
        what: 'unbilled',
        period: 'current',
      });
      assert.equal(job.status, 'succeeded', job.error);
      const imports = await importRows(contoso, importIds);
      assert.ok(imports.length > 0);
      assert.ok(imports.every((row) => row.source === 'graph_export' && row.status === 'completed'));
      const estimates = (await deliveries(contoso)).filter(
        (row) => row.kind === 'estimate' && row.form === 'billed_recon' && row.status === 'current',
      );
      assert.equal(
        estimates.reduce((count, row) => count + row.line_count, 0),
        lines,
      );
      const stored = sum(
        estimates.map((row) => money(row.total, row.currency)),
        'EUR',
      );
      assert.ok(stored.equals(expected), `${stored} ≠ ${expected}`);
    });

    it('US Government › invoices and billed lines come through v1 line items and match Microsoft’s total', async () => {
      const invoices = await pull(gov, { cloud: 'usgov', what: 'invoices' });
      assert.equal(invoices.job.status, 'succeeded', invoices.job.error);
      const listed: Invoice[] = [];
      for await (const invoice of microsoft('northwind-gov').listInvoices()) listed.push(invoice);
      const latest = listed.find((invoice) => invoice.id.startsWith('G'))!;
      const { job, importIds } = await pull(gov, {
        cloud: 'usgov',
        what: 'billed',
        invoiceNumber: latest.id,
      });
      assert.equal(job.status, 'succeeded', job.error);
      const imports = await importRows(gov, importIds);
      assert.ok(imports.length > 0);
      assert.ok(imports.every((row) => row.source === 'v1_line_items'));
      const [checked] = (await reconciliation(gov)).filter((entry) => entry.invoiceNumber === latest.id);
      assert.equal(checked?.status, 'matches');
      assert.ok(
        money(checked!.billedLinesTotal!, checked!.currency).equals(
          money(latest.totalCharges, latest.currencyCode),
        ),
      );
    });

    it('daily › each connection reads the invoices, the billed lines it lacks and the current estimate', async () => {
      const listed: Invoice[] = [];
      for await (const invoice of microsoft('northwind-gov').listInvoices()) listed.push(invoice);
      const alreadyImported = listed.find((invoice) => invoice.id.startsWith('G'))!;
      const jobs = await scheduleDailyPulls(running.app);
      assert.equal(jobs.length, 2, 'one pull per connection');
      const views = await eventually('the daily pulls to finish', async () => {
        const all = await Promise.all(jobs.map((jobId) => running.app.jobs.progress(jobId)));
        return all.every((view) => view.status === 'succeeded' || view.status === 'failed') && all;
      });
      const govJob = views.find((view) => view.partnerId === gov)!;
      assert.equal(govJob.status, 'succeeded', govJob.error ?? undefined);
      const imports = await selectRows<{ form: string; status: string; file_name: string }>(
        running.app.database.db,
        sql`select form, status, file_name from vendor_imports where partner_id = ${gov} and job_id = ${govJob.id}`,
      );
      const pulledInvoices = new Set(
        imports
          .filter((row) => !row.file_name.startsWith('Estimate'))
          .map((row) => row.file_name.split(' ')[0]),
      );
      const newCommerceGov = listed.filter((invoice) => invoice.id.startsWith('G'));
      assert.equal(
        pulledInvoices.has(alreadyImported.id),
        false,
        'an invoice already imported is not pulled again',
      );
      assert.equal(pulledInvoices.size, newCommerceGov.length - 1);
      const checked = await reconciliation(gov);
      for (const invoice of newCommerceGov) {
        assert.equal(
          checked.find((entry) => entry.invoiceNumber === invoice.id)?.status,
          'matches',
          invoice.id,
        );
      }
      const estimates = (await deliveries(gov)).filter(
        (row) => row.kind === 'estimate' && row.status === 'current',
      );
      assert.ok(estimates.length > 0, 'the current estimate is stored');
    });

    it('reconciliation › a CSV-only partner’s invoice has no Microsoft total to check; a total that differs says by how much', async () => {
      const csvOnly = await createTestPartner(running.app, 'csv-only', { currency: 'TWD' });
      const formosa = microsoft('formosa-tw');
      let invoice: Invoice | undefined;
      for await (const candidate of formosa.listInvoices()) {
        if (candidate.id.startsWith('G')) {
          invoice = candidate;
          break;
        }
      }
      const row = await beginImport(running.app, pullCaller, {
        partnerId: csvOnly,
        source: 'csv_upload',
        cloud: 'public',
        form: 'billed_recon',
      });
      const lines = readV1LineItems(
        formosa.billedLineItems(invoice!.id, invoice!.currencyCode),
        invoice!.id,
        'billed_recon',
      );
      const loaded = await loadImport(running.app, pullCaller, row, lines);
      assert.equal(loaded.import.status, 'completed', loaded.import.errorMessage ?? undefined);
      const [entry] = await reconciliation(csvOnly);
      assert.deepEqual(entry, {
        invoiceNumber: invoice!.id,
        currency: invoice!.currencyCode,
        microsoftTotal: null,
        billedLinesTotal: money(invoice!.totalCharges, invoice!.currencyCode).toString(),
        difference: null,
        status: 'no_total',
      });

      // Microsoft's total one cent above what its lines sum to.
      const latest = newCommerce()[0]!;
      const stated = money(latest.totalCharges, latest.currencyCode).add(money('0.01', latest.currencyCode));
      await running.app.database.db.execute(
        sql`update vendor_invoices set total = ${stated.toString()}
            where partner_id = ${contoso} and invoice_number = ${latest.id}`,
      );
      const differs = (await reconciliation(contoso, monthOf(latest))).find(
        (candidate) => candidate.invoiceNumber === latest.id,
      );
      assert.equal(differs?.status, 'differs');
      assert.equal(differs?.difference, '-0.01');
      assert.equal(differs?.microsoftTotal, stated.toString());
      // The next pull of Microsoft's invoices puts its own total back.
      const { job } = await pull(contoso, { cloud: 'public', what: 'invoices' });
      assert.equal(job.status, 'succeeded', job.error);
      const fixed = (await reconciliation(contoso, monthOf(latest))).find(
        (candidate) => candidate.invoiceNumber === latest.id,
      );
      assert.equal(fixed?.status, 'matches');
    });

    it('bad requests › each is refused with the field at fault; no connection is not found; without costs.manage 403', async () => {
      const cases: Array<[object, number, string]> = [
        [{ cloud: 'public', what: 'billed', invoiceNumber: 'G999999999' }, 400, 'invoiceNumber'],
        [{ cloud: 'public', what: 'billed' }, 400, 'period'],
        [{ cloud: 'public', what: 'billed', period: '2026-13' }, 400, 'period'],
        [{ cloud: 'public', what: 'unbilled', period: 'last-year' }, 400, 'period'],
      ];
      for (const [body, status, field] of cases) {
        const answer = await inject('POST', '/api/v1/vendor-bills/pulls', billing(contoso), body);
        assert.equal(answer.statusCode, status, answer.body);
        assert.equal(answer.json().field, field, answer.body);
      }
      const china = await inject('POST', '/api/v1/vendor-bills/pulls', billing(contoso), {
        cloud: 'china',
        what: 'invoices',
      });
      assert.equal(china.statusCode, 404);
      const helpdesk = await inject(
        'POST',
        '/api/v1/vendor-bills/pulls',
        staffHeader(contoso, ['customers.read', 'invoices.read'], 'helpdesk'),
        { cloud: 'public', what: 'invoices' },
      );
      assert.equal(helpdesk.statusCode, 403);
      const period = await inject('GET', '/api/v1/vendor-bills/reconciliation?period=May', billing(contoso));
      assert.equal(period.statusCode, 400);
      assert.equal(period.json().field, 'period');
    });

    it('revoked credential › the pull fails saying why, its imports keep the reason, the connection shows it', async () => {
      assert.ok(emulator.admin.revokeRefreshToken(seeded('contoso-hu').refreshToken));
      const { job, importIds } = await pull(contoso, {
        cloud: 'public',
        what: 'unbilled',
        period: 'current',
      });
      assert.equal(job.status, 'failed');
      assert.match(job.error, /AADSTS50173|revoked|consent/i);
      const imports = await importRows(contoso, importIds);
      assert.equal(imports.length, 2);
      for (const row of imports) {
        assert.equal(row.status, 'failed');
        assert.match(row.error_message ?? '', /AADSTS50173|revoked|consent/i);
      }
      const connection = (
        await inject(
          'GET',
          '/api/v1/partner/connections',
          staffHeader(contoso, ['partner.manage'], `admin-${contoso}`),
        )
      ).json()[0];
      assert.equal(connection.status, 'failed');
      assert.match(connection.lastError, /AADSTS50173|revoked|consent/i);
      const [seenByBilling] = (
        await inject('GET', '/api/v1/vendor-bills/connections', billing(contoso))
      ).json().items;
      assert.deepEqual(seenByBilling, { cloud: 'public', status: 'failed', lastError: connection.lastError });
    });
  });
}
