import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createCustomer } from '#modules/customers';
import type { Caller } from '#platform/actor';
import type { AppContext, RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { parseDecimal } from '#platform/money';
import { type FixedClock, fixedClock } from '#platform/time';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner, operator } from '#test/factories';
import { costLine, costLines, streamOf } from '#test/vendor-cost-lines';
import { modules } from '../../main.ts';
import {
  beginImport,
  cleanUpInterruptedImports,
  type ImportResult,
  loadImport,
  SILENT_IMPORT_MS,
} from './imports.ts';
import { type CostLine, ImportFileError } from './lines.ts';

const CHUNK = 50;

function exactSum(lines: readonly CostLine[]): string {
  return lines.reduce((total, line) => total.plus(parseDecimal(line.cost)), parseDecimal('0')).toFixed();
}

for (const engine of engines()) {
  describe(`vendor-bills › import engine on ${engine}`, () => {
    let running: RunningApp;
    let app: AppContext;
    let clock: FixedClock;
    let partnerId: string;
    let invoiceCounter = 0;

    before(async () => {
      clock = fixedClock('2026-10-10T09:00:00Z');
      running = await startTestApp({ engine, modules, clock });
      app = running.app;
      partnerId = await createTestPartner(app, 'contoso-imports', { currency: 'EUR' });
    });
    after(() => running.close());

    /** A fresh invoice number per test, so tests do not see each other's deliveries. */
    const nextInvoice = () => `G${String(++invoiceCounter).padStart(9, '0')}`;

    async function importLines(
      lines: AsyncIterable<CostLine> | readonly CostLine[],
      caller: Caller = operator,
    ) {
      const row = await beginImport(app, caller, {
        partnerId,
        source: 'csv_cli',
        cloud: 'public',
        fileName: 'recon.csv',
      });
      return loadImport(app, caller, row, Symbol.asyncIterator in lines ? lines : streamOf(lines), {
        chunkRows: CHUNK,
      });
    }

    /** What people see: the lines of current deliveries, counted and summed per delivery key. */
    async function visible(key: string) {
      const [row] = await selectRows<{ lines: number; total: string | null; version: number | null }>(
        app.database.db,
        sql`SELECT count(l.*)::int AS lines, sum(l.cost)::text AS total, max(d.version) AS version
            FROM vendor_deliveries d
            LEFT JOIN vendor_cost_lines l ON l.partner_id = d.partner_id AND l.delivery_id = d.id
            WHERE d.partner_id = ${partnerId} AND d.delivery_key = ${key} AND d.status = 'current'`,
      );
      return row!;
    }

    async function linesOfImport(importId: string) {
      const [row] = await selectRows<{ count: number }>(
        app.database.db,
        sql`SELECT count(*)::int AS count FROM vendor_cost_lines WHERE partner_id = ${partnerId} AND import_id = ${importId}`,
      );
      return row!.count;
    }

    async function loadingDeliveries() {
      const [row] = await selectRows<{ count: number }>(
        app.database.db,
        sql`SELECT count(*)::int AS count FROM vendor_deliveries WHERE partner_id = ${partnerId} AND status = 'loading'`,
      );
      return row!.count;
    }

    async function auditActions(importId: string) {
      const rows = await selectRows<{ action: string }>(
        app.database.db,
        sql`SELECT action FROM audit_events WHERE partner_id = ${partnerId} AND target_id = ${importId}`,
      );
      return rows.map((row) => row.action);
    }

    function billedLines(invoiceNumber: string, count: number, cost = (index: number) => `${index + 1}.25`) {
      return costLines(count, (index) => ({ invoiceNumber, cost: cost(index), orderId: `order-${index}` }));
    }

    it('imports billed lines as version 1 of their invoice, with exact totals and one audit event', async () => {
      const invoice = nextInvoice();
      const lines = billedLines(invoice, 120);
      const result = await importLines(lines);
      assert.equal(result.import.errorMessage, null);
      assert.equal(result.import.status, 'completed');
      assert.equal(result.import.rowsRead, 120);
      assert.equal(result.import.form, 'billed_recon');
      const expected = exactSum(lines);
      assert.deepEqual(result.summary?.invoices, [
        { invoiceNumber: invoice, form: 'billed_recon', currency: 'EUR', lines: 120, total: expected },
      ]);
      const shown = await visible(`billed:${invoice}:billed_recon`);
      assert.equal(shown.lines, 120);
      assert.equal(parseDecimal(shown.total).toFixed(), expected);
      assert.equal(shown.version, 1);
      assert.deepEqual(await auditActions(result.import.id), ['vendor_import.completed']);
      const [invoiceRow] = await selectRows<{ source: string; total: string | null }>(
        app.database.db,
        sql`SELECT source, total FROM vendor_invoices WHERE partner_id = ${partnerId} AND invoice_number = ${invoice}`,
      );
      assert.deepEqual(
        invoiceRow,
        { source: 'import', total: null },
        'the payable exists, awaiting Microsoft’s total',
      );
    });

    it('the same lines again, in another order: unchanged, nothing new visible, the totals as they were', async () => {
      const invoice = nextInvoice();
      const lines = billedLines(invoice, 75);
      const first = await importLines(lines);
      const before = await visible(`billed:${invoice}:billed_recon`);
      const second = await importLines(
        [...lines].reverse().map((line, index) => ({ ...line, sourceLine: index + 2 })),
      );
      assert.equal(second.import.status, 'unchanged');
      assert.equal(second.summary?.deliveriesCreated, 0);
      assert.equal(second.summary?.deliveriesUnchanged, 1);
      assert.deepEqual(
        second.deliveries.map((delivery) => delivery.status),
        ['discarded'],
      );
      assert.deepEqual(await visible(`billed:${invoice}:billed_recon`), before);
      assert.equal(await linesOfImport(second.import.id), 0, 'the repeated lines were removed');
      assert.equal(await linesOfImport(first.import.id), 75);
      assert.deepEqual(await auditActions(second.import.id), ['vendor_import.unchanged']);
    });

    it('a corrected re-delivery becomes version 2; version 1 is superseded and kept', async () => {
      const invoice = nextInvoice();
      const key = `billed:${invoice}:billed_recon`;
      const first = await importLines(billedLines(invoice, 60));
      await importLines(billedLines(invoice, 60));
      const correctedLines = billedLines(invoice, 60, (index) => (index === 7 ? '-3.10' : `${index + 1}.25`));
      const corrected = await importLines(correctedLines);
      assert.equal(corrected.import.status, 'completed');
      assert.equal(corrected.summary?.deliveriesSuperseded, 1);
      const history = await selectRows<{ version: number; status: string; import_id: string; lines: number }>(
        app.database.db,
        sql`SELECT d.version, d.status, d.import_id,
                   (SELECT count(*)::int FROM vendor_cost_lines l WHERE l.partner_id = d.partner_id AND l.delivery_id = d.id) AS lines
            FROM vendor_deliveries d WHERE d.partner_id = ${partnerId} AND d.delivery_key = ${key} AND d.version > 0
            ORDER BY d.version`,
      );
      assert.deepEqual(history, [
        { version: 1, status: 'superseded', import_id: first.import.id, lines: 60 },
        { version: 2, status: 'current', import_id: corrected.import.id, lines: 60 },
      ]);
      assert.equal(parseDecimal((await visible(key)).total).toFixed(), exactSum(correctedLines));
    });

    it('estimates: each different delivery is a new version of its period and currency; the same one again changes nothing', async () => {
      const estimate = (cost: string) =>
        costLines(30, (index) => ({
          form: 'daily_usage' as const,
          invoiceNumber: null,
          period: '2026-10-01',
          usageDate: `2026-10-${String((index % 9) + 1).padStart(2, '0')}`,
          entitlementId: 'ent-est',
          meterId: `meter-${index}`,
          cost,
        }));
      const key = 'estimate:2026-10:EUR:daily_usage';
      const first = await importLines(estimate('1.5'));
      assert.equal(first.import.status, 'completed');
      const again = await importLines(estimate('1.5'));
      assert.equal(again.import.status, 'unchanged');
      const later = await importLines(estimate('2.5'));
      assert.equal(later.import.status, 'completed');
      assert.deepEqual(later.summary?.estimates, [
        { period: '2026-10', form: 'daily_usage', currency: 'EUR', lines: 30, total: '75' },
      ]);
      const shown = await visible(key);
      assert.deepEqual(
        { lines: shown.lines, total: parseDecimal(shown.total).toFixed(), version: shown.version },
        { lines: 30, total: '75', version: 2 },
      );
    });

    it('a line refused in the middle fails the import with its line and column; nothing stays behind', async () => {
      const invoice = nextInvoice();
      async function* failing() {
        yield* streamOf(billedLines(invoice, CHUNK * 3));
        throw new ImportFileError('recon.csv', CHUNK * 3 + 2, 'ChargeStartDate', 'is not a date: 13/45/2026');
      }
      const result = await importLines(failing());
      assert.equal(result.import.status, 'failed');
      assert.deepEqual(
        {
          file: result.import.errorFile,
          line: result.import.errorLine,
          column: result.import.errorColumn,
          message: result.import.errorMessage,
        },
        {
          file: 'recon.csv',
          line: CHUNK * 3 + 2,
          column: 'ChargeStartDate',
          message: 'is not a date: 13/45/2026',
        },
      );
      assert.equal(result.import.rowsRead, CHUNK * 3, 'three chunks had been loaded');
      assert.equal(await linesOfImport(result.import.id), 0);
      assert.equal(await loadingDeliveries(), 0);
      assert.equal((await visible(`billed:${invoice}:billed_recon`)).lines, 0);
      assert.deepEqual(await auditActions(result.import.id), [], 'a refused file changed nothing to audit');
    });

    it('a bad amount is refused by its line too', async () => {
      const invoice = nextInvoice();
      const lines = billedLines(invoice, 10);
      lines[4] = { ...lines[4]!, cost: '12,50' };
      const result = await importLines(lines);
      assert.equal(result.import.status, 'failed');
      assert.equal(result.import.errorLine, 6);
      assert.equal(result.import.errorColumn, 'cost');
      assert.equal(await loadingDeliveries(), 0);
    });

    it('an import whose process stopped mid-load is cleaned up as interrupted, and the file imports again', async () => {
      const invoice = nextInvoice();
      const lines = billedLines(invoice, CHUNK * 3);
      let release: () => void = () => {};
      async function* stopsAfterTwoChunks() {
        yield* streamOf(lines.slice(0, CHUNK * 2));
        // The process "dies" here: nothing ever resumes this import.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      const row = await beginImport(app, operator, {
        partnerId,
        source: 'csv_cli',
        cloud: 'public',
        fileName: 'recon.csv',
      });
      const stalled = loadImport(app, operator, row, stopsAfterTwoChunks(), { chunkRows: CHUNK });
      await eventually('two chunks loaded', async () => (await linesOfImport(row.id)) === CHUNK * 2);
      assert.equal(
        (await visible(`billed:${invoice}:billed_recon`)).lines,
        0,
        'nothing visible while loading',
      );

      assert.deepEqual(await cleanUpInterruptedImports(app, partnerId), [], 'a live import is left alone');
      clock.advance(SILENT_IMPORT_MS + 1000);
      const cleaned = await cleanUpInterruptedImports(app, partnerId);
      assert.deepEqual(
        cleaned.map((interrupted) => [interrupted.id, interrupted.status]),
        [[row.id, 'failed']],
      );
      assert.match(cleaned[0]!.errorMessage ?? '', /stopped before it finished/);
      assert.equal(await linesOfImport(row.id), 0);
      assert.equal(await loadingDeliveries(), 0);

      const again = await importLines(lines);
      assert.equal(again.import.status, 'completed');
      assert.equal((await visible(`billed:${invoice}:billed_recon`)).lines, CHUNK * 3);
      // The stalled load, were it to wake, ends without touching anything.
      release();
      const late: ImportResult = await stalled;
      assert.equal(late.import.status, 'failed');
      assert.equal((await visible(`billed:${invoice}:billed_recon`)).lines, CHUNK * 3);
    });

    it('lines of customers not known here are kept with no customer and listed; known tenants are matched', async () => {
      const known = '7d9a3c1e-2b4f-4a6d-8e0f-1a2b3c4d5e6f';
      const stranger = '0e195b37-4574-4539-bc42-0e539b9684c0';
      const staff: Caller = {
        actor: {
          kind: 'staff',
          id: 'staff-1',
          partnerId,
          permissions: new Set(['customers.manage', 'costs.manage']),
        },
      };
      const customer = await createCustomer(app, staff, {
        name: 'Known Kft.',
        domain: 'known.onmicrosoft.com',
        country: 'HU',
        tenantId: known,
      });
      const invoice = nextInvoice();
      const lines = costLines(9, (index) => ({
        invoiceNumber: invoice,
        orderId: `o-${index}`,
        // Microsoft writes tenant ids in either case.
        customerTenantId:
          index % 3 === 0 ? stranger.toUpperCase() : index % 3 === 1 ? known.toUpperCase() : known,
        customerName: index % 3 === 0 ? 'Stranger GmbH' : 'Known Kft.',
      }));
      const result = await importLines(lines, staff);
      assert.equal(result.import.status, 'completed');
      assert.equal(result.summary?.unknownCustomerLines, 3);
      assert.deepEqual(result.summary?.unknownCustomers, [
        { customerTenantId: stranger.toUpperCase(), customerName: 'Stranger GmbH', lines: 3 },
      ]);
      const rows = await selectRows<{ customer_id: string | null; lines: number }>(
        app.database.db,
        sql`SELECT customer_id, count(*)::int AS lines FROM vendor_cost_lines
            WHERE partner_id = ${partnerId} AND import_id = ${result.import.id}
            GROUP BY customer_id ORDER BY customer_id NULLS FIRST`,
      );
      assert.deepEqual(rows, [
        { customer_id: null, lines: 3 },
        { customer_id: customer.id, lines: 6 },
      ]);
    });

    it('links daily usage to the billed Azure line it details, and to the new version when that is corrected', async () => {
      const invoice = nextInvoice();
      const azure = (entitlement: string, sku: string, cost: string) =>
        costLine({
          invoiceNumber: invoice,
          subscriptionId: entitlement,
          productId: 'DZH318Z0BQPS',
          skuId: sku,
          orderId: `${entitlement}-${sku}`,
          cost,
        });
      const billed = [
        azure('ent-a', '0001', '40'),
        azure('ent-a', '0002', '12'),
        azure('ent-b', '0001', '7'),
      ];
      const usage = (entitlement: string, sku: string, day: number): CostLine =>
        costLine({
          form: 'daily_usage',
          invoiceNumber: invoice,
          subscriptionId: 'azure-plan-1',
          entitlementId: entitlement,
          productId: 'DZH318Z0BQPS',
          skuId: sku,
          meterId: `meter-${sku}`,
          usageDate: `2026-09-${String(day).padStart(2, '0')}`,
          chargeStart: '2026-09-01',
          chargeEnd: '2026-09-30',
          cost: '1',
        });
      const daily = [
        usage('ent-a', '0001', 1),
        usage('ent-a', '0001', 2),
        usage('ent-a', '0002', 3),
        usage('ent-b', '0001', 4),
        usage('ent-c', '0001', 5),
      ];
      await importLines(billed);
      const usageImport = await importLines(daily);
      assert.equal(
        usageImport.summary?.usageLinesLinked,
        4,
        'the usage of an entitlement with no billed line stays unlinked',
      );

      const links = () =>
        selectRows<{
          entitlement_id: string;
          sku_id: string;
          billed_order: string | null;
          billed_status: string | null;
        }>(
          app.database.db,
          sql`SELECT u.entitlement_id, u.sku_id, b.order_id AS billed_order, d.status AS billed_status
              FROM vendor_cost_lines u
              LEFT JOIN vendor_cost_lines b ON b.partner_id = u.partner_id AND b.delivery_id = u.billed_delivery_id
                AND b.line_number = u.billed_line_number
              LEFT JOIN vendor_deliveries d ON d.partner_id = b.partner_id AND d.id = b.delivery_id
              WHERE u.partner_id = ${partnerId} AND u.import_id = ${usageImport.import.id}
              ORDER BY u.line_number`,
        );
      assert.deepEqual(await links(), [
        { entitlement_id: 'ent-a', sku_id: '0001', billed_order: 'ent-a-0001', billed_status: 'current' },
        { entitlement_id: 'ent-a', sku_id: '0001', billed_order: 'ent-a-0001', billed_status: 'current' },
        { entitlement_id: 'ent-a', sku_id: '0002', billed_order: 'ent-a-0002', billed_status: 'current' },
        { entitlement_id: 'ent-b', sku_id: '0001', billed_order: 'ent-b-0001', billed_status: 'current' },
        { entitlement_id: 'ent-c', sku_id: '0001', billed_order: null, billed_status: null },
      ]);
      // A corrected billed delivery: the usage now details the new version's lines.
      await importLines([...billed.slice(0, 2), azure('ent-b', '0001', '7.5')]);
      assert.deepEqual(
        (await links()).map((link) => link.billed_status),
        ['current', 'current', 'current', 'current', null],
      );
    });

    it('reconciliation › any loaded import keeps the check of its billed invoices (a file only: check the PDF)', async () => {
      const invoiceNumber = nextInvoice();
      const lines = costLines(3, () => ({ invoiceNumber }));
      const result = await importLines(lines);
      assert.equal(result.import.status, 'completed');
      const [row] = await selectRows<{ reconciliation: unknown }>(
        app.database.db,
        sql`SELECT summary->'reconciliation' AS reconciliation FROM vendor_imports
             WHERE partner_id = ${partnerId} AND id = ${result.import.id}`,
      );
      assert.deepEqual(row!.reconciliation, [
        {
          invoiceNumber,
          currency: lines[0]!.currency,
          microsoftTotal: null,
          // The lines' total, shown to be checked against Microsoft's invoice PDF.
          billedLinesTotal: parseDecimal(exactSum(lines)).toFixed(2),
          difference: null,
          status: 'no_total',
        },
      ]);
    });

    it('lines from Microsoft › each chunk is read before its COPY opens: no call waits inside a transaction', async () => {
      const invoiceNumber = nextInvoice();
      // Stands for Microsoft's pages: each time a line is asked for, is a COPY of ours open right now?
      const copiesOpenWhenAsked: number[] = [];
      async function* fromMicrosoft(): AsyncGenerator<CostLine> {
        for (const line of costLines(3 * CHUNK + 7, () => ({ invoiceNumber }))) {
          const [open] = await selectRows<{ copies: number }>(
            app.database.db,
            sql`SELECT count(*)::int AS copies FROM pg_stat_activity
                 WHERE datname = current_database() AND state <> 'idle' AND query ILIKE 'COPY %vendor_cost_lines%'`,
          );
          copiesOpenWhenAsked.push(open!.copies);
          yield line;
        }
      }
      const row = await beginImport(app, operator, { partnerId, source: 'v1_line_items', cloud: 'public' });
      const result = await loadImport(app, operator, row, fromMicrosoft(), {
        chunkRows: CHUNK,
        remoteLines: true,
      });
      assert.equal(result.import.status, 'completed', result.import.errorMessage ?? '');
      assert.equal(result.import.rowsRead, 3 * CHUNK + 7);
      assert.equal(copiesOpenWhenAsked.length, 3 * CHUNK + 7);
      assert.deepEqual(
        copiesOpenWhenAsked.filter((copies) => copies > 0),
        [],
      );
    });
  });
}
