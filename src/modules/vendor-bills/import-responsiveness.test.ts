import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createGzip } from 'node:zlib';
import { createCustomer } from '#modules/customers';
import { permissionsOf } from '#modules/identity';
import type { Caller } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { startTestApp } from '#test/app';
import { type Engine, engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { dailyUsageCsvLines } from '#test/vendor-usage-file';
import { modules } from '../../main.ts';
import type { DeliveryView, ImportView } from './import-routes.ts';

/**
 * Rows in the uploaded file: enough for several of the engine's COPY chunks (5,000 rows on PGlite,
 * 100,000 on PostgreSQL, see imports.ts), so progress is recorded more than once while it runs.
 */
const ROWS: Record<Engine, number> = { pglite: 80_000, postgres: 250_000 };
const INVOICE = 'G200000001';

/** A generated daily rated usage file, gzipped as it is generated (never the whole text in memory). */
async function usageCsvGz(rows: number): Promise<Blob> {
  const lines = dailyUsageCsvLines({ rows, invoiceNumber: INVOICE, month: '2026-10' });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const part of Readable.from(lines).pipe(createGzip())) parts.push(part);
  return new Blob(parts);
}

for (const engine of engines()) {
  describe(`vendor-bills › the server answers while a large import runs, on ${engine}`, () => {
    let running: RunningApp;
    let partnerId: string;
    let billingAdmin: Record<string, string>;

    before(async () => {
      running = await startTestApp({ engine, modules, authenticator: headerAuthenticator, listen: true });
      partnerId = await createTestPartner(running.app, 'contoso-large-import', { currency: 'EUR' });
      billingAdmin = staffHeader(partnerId, [...permissionsOf(['billing_admin'])], 'billing-admin');
      const sales: Caller = {
        actor: { kind: 'staff', id: 'sales', partnerId, permissions: new Set(['customers.manage']) },
      };
      await createCustomer(running.app, sales, {
        name: 'Nagy Kft.',
        domain: 'nagy.onmicrosoft.com',
        country: 'HU',
      });
    });
    after(() => running.close());

    async function get<T>(path: string): Promise<{ status: number; body: T }> {
      const response = await fetch(`${running.url}${path}`, { headers: billingAdmin });
      return { status: response.status, body: (await response.json()) as T };
    }

    it('answers imports, customers and health checks throughout, with the progress growing', {
      timeout: 90_000,
    }, async () => {
      const rows = ROWS[engine];
      const gz = await usageCsvGz(rows);
      const form = new FormData();
      form.append('cloud', 'public');
      form.append('file', gz, 'DailyRatedUsage_202610.csv.gz');
      const response = await fetch(`${running.url}/api/v1/vendor-bills/imports`, {
        method: 'POST',
        headers: billingAdmin,
        body: form,
      });
      assert.equal(response.status, 202);
      const { import: accepted } = (await response.json()) as { import: ImportView };

      // Each round asks for the customers and the health check first, then the import: an import
      // still `running` in that last answer means the other two were answered while it ran.
      const whileRunning: number[] = [];
      let done: (ImportView & { deliveries: DeliveryView[] }) | undefined;
      while (!done) {
        const customers = await get<{ items: Array<{ name: string }> }>('/api/v1/customers');
        assert.equal(customers.status, 200);
        assert.deepEqual(
          customers.body.items.map((customer) => customer.name),
          ['Nagy Kft.'],
        );
        const health = await get<{ status: string }>('/healthz');
        assert.deepEqual(health, { status: 200, body: { status: 'ok' } });
        const current = await get<ImportView & { deliveries: DeliveryView[] }>(
          `/api/v1/vendor-bills/imports/${accepted.id}`,
        );
        assert.equal(current.status, 200);
        if (current.body.status === 'running') whileRunning.push(current.body.bytesRead);
        else done = current.body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      assert.ok(whileRunning.length >= 5, `answered ${whileRunning.length} rounds while the import ran`);
      assert.deepEqual(
        whileRunning,
        whileRunning.toSorted((a, b) => a - b),
        'the bytes read never go back',
      );
      const distinct = new Set(whileRunning);
      assert.ok(distinct.size >= 3, `the progress moved while it ran: ${[...distinct].join(', ')}`);

      assert.equal(done.status, 'completed', done.errorMessage ?? '');
      assert.equal(done.rowsRead, rows);
      assert.equal(done.bytesRead, gz.size);
      assert.deepEqual(
        done.deliveries.map((delivery) => [delivery.deliveryKey, delivery.lineCount, delivery.status]),
        [[`billed:${INVOICE}:daily_usage`, rows, 'current']],
      );
    });
  });
}
