import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { inviteUser } from '#modules/identity';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner, operator } from '#test/factories';
import { dailyUsageCsvLines } from '#test/vendor-usage-file';
import { modules } from '../../main.ts';
import type { DeliveryView, ImportView } from './import-routes.ts';
import { beginImport } from './imports.ts';
import { pullCaller } from './pulls.ts';

const usageCsv = (rows: number, invoiceNumber: string | null, seed?: number) =>
  [
    ...dailyUsageCsvLines({ rows, invoiceNumber, month: '2026-09', ...(seed === undefined ? {} : { seed }) }),
  ].join('');

for (const engine of engines()) {
  describe(`vendor-bills › imports API on ${engine}`, () => {
    let running: RunningApp;
    let partnerId: string;
    let otherPartnerId: string;

    before(async () => {
      running = await startTestApp({
        engine,
        modules,
        authenticator: headerAuthenticator,
        listen: true,
      });
      partnerId = await createTestPartner(running.app, 'contoso-uploads', { currency: 'EUR' });
      otherPartnerId = await createTestPartner(running.app, 'fabrikam-uploads', { currency: 'EUR' });
    });
    after(() => running.close());

    const billingAdmin = (partner = () => partnerId) =>
      staffHeader(partner(), ['costs.manage'], `billing-${partner()}`);

    async function upload(
      file: Blob,
      fileName: string,
      fields: Record<string, string> = {},
      headers = billingAdmin(),
    ) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', file, fileName);
      return fetch(`${running.url}/api/v1/vendor-bills/imports`, { method: 'POST', headers, body: form });
    }

    async function get<T>(path: string, headers = billingAdmin()): Promise<{ status: number; body: T }> {
      const response = await fetch(`${running.url}/api/v1${path}`, { headers });
      return { status: response.status, body: (await response.json()) as T };
    }

    async function finished(importId: string) {
      return eventually(
        'the import to finish',
        async () => {
          const { body } = await get<ImportView & { deliveries: DeliveryView[] }>(
            `/vendor-bills/imports/${importId}`,
          );
          return body.status === 'running' ? undefined : body;
        },
        60_000,
      );
    }

    it('streams a .csv.gz to storage, imports it in a job, and reports progress up to 100 %', async () => {
      const gz = gzipSync(usageCsv(3000, 'G100000001'));
      const response = await upload(new Blob([gz]), 'DailyRatedUsage_202609.csv.gz', { cloud: 'public' });
      assert.equal(response.status, 202);
      const accepted = (await response.json()) as { import: ImportView; jobId: string };
      assert.equal(accepted.import.fileName, 'DailyRatedUsage_202609.csv.gz');
      assert.equal(accepted.import.fileBytes, gz.length);
      assert.equal(accepted.import.source, 'csv_upload');
      const stored = await running.app.storage.stat(
        `vendor-imports/${accepted.import.id}/DailyRatedUsage_202609.csv.gz`,
      );
      assert.equal(stored.size, gz.length);

      const done = await finished(accepted.import.id);
      assert.equal(done.status, 'completed', done.errorMessage ?? '');
      assert.equal(done.form, 'daily_usage');
      assert.equal(done.rowsRead, 3000);
      assert.equal(done.bytesRead, gz.length);
      assert.deepEqual(
        done.deliveries.map((delivery) => [
          delivery.deliveryKey,
          delivery.version,
          delivery.lineCount,
          delivery.status,
        ]),
        [['billed:G100000001:daily_usage', 1, 3000, 'current']],
      );
      const job = await eventually('the job to succeed', async () => {
        const { body } = await get<{ status: string; done: number; total: number }>(
          `/jobs/${accepted.jobId}`,
        );
        return body.status === 'succeeded' ? body : undefined;
      });
      assert.equal(job.done, job.total);
      assert.equal(job.total, gz.length);

      const [{ total }] = (await selectRows<{ total: string }>(
        running.app.database.db,
        sql`SELECT sum(cost)::text AS total FROM vendor_cost_lines WHERE partner_id = ${partnerId} AND import_id = ${done.id}`,
      )) as [{ total: string }];
      assert.equal(done.deliveries[0]!.total, total, 'the delivery total is the sum of its lines, exactly');
    });

    it('a damaged file is refused by line and column, with nothing left behind', async () => {
      const good = usageCsv(40, 'G100000002', 7).split('\r\n');
      // Line 21 of the file (the 20th row): a usage date that is no date.
      good[20] = good[20]!.replace(
        /,9\/(\d+)\/2026,([^,]*),/,
        (_match, _day, meterType) => `,9/31/2026,${meterType},`,
      );
      const response = await upload(new Blob([good.join('\r\n')]), 'bad.csv');
      assert.equal(response.status, 202);
      const { import: accepted } = (await response.json()) as { import: ImportView };
      const done = await finished(accepted.id);
      assert.equal(done.status, 'failed');
      assert.equal(done.errorFile, 'bad.csv');
      assert.equal(done.errorLine, 21);
      assert.ok(done.errorColumn, 'the column is named');
      assert.ok(done.errorMessage);
      assert.deepEqual(done.deliveries, []);
      const [left] = await selectRows<{ lines: number }>(
        running.app.database.db,
        sql`SELECT count(*)::int AS lines FROM vendor_cost_lines WHERE partner_id = ${partnerId} AND import_id = ${done.id}`,
      );
      assert.equal(left!.lines, 0);
    });

    it('lists imports latest first with a cursor, shows delivery history, and keeps partners apart', async () => {
      const csv = usageCsv(20, 'G100000003', 11);
      for (const name of ['first.csv', 'again.csv']) {
        const response = await upload(new Blob([csv]), name);
        await finished(((await response.json()) as { import: ImportView }).import.id);
      }
      const corrected = usageCsv(20, 'G100000003', 12);
      await finished(
        ((await (await upload(new Blob([corrected]), 'corrected.csv')).json()) as { import: ImportView })
          .import.id,
      );

      const page1 = await get<{ items: ImportView[]; nextCursor: string | null }>(
        '/vendor-bills/imports?limit=2',
      );
      assert.equal(page1.status, 200);
      assert.deepEqual(
        page1.body.items.map((item) => [item.fileName, item.status]),
        [
          ['corrected.csv', 'completed'],
          ['again.csv', 'unchanged'],
        ],
      );
      assert.ok(page1.body.nextCursor);
      const page2 = await get<{ items: ImportView[] }>(
        `/vendor-bills/imports?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor!)}`,
      );
      assert.equal(page2.body.items[0]?.fileName, 'first.csv');

      const history = await get<{ items: DeliveryView[] }>(
        `/vendor-bills/deliveries?key=${encodeURIComponent('billed:G100000003:daily_usage')}`,
      );
      assert.deepEqual(
        history.body.items.map((item) => [item.version, item.status]),
        [
          [2, 'current'],
          [null, 'discarded'],
          [1, 'superseded'],
        ],
      );

      const stranger = await get<{ items: ImportView[] }>(
        '/vendor-bills/imports',
        billingAdmin(() => otherPartnerId),
      );
      assert.deepEqual(stranger.body.items, []);
      const hidden = await get(
        `/vendor-bills/imports/${page1.body.items[0]!.id}`,
        billingAdmin(() => otherPartnerId),
      );
      assert.equal(hidden.status, 404);
    });

    it('names who started each import: the person, the daily pull, the command line', async () => {
      const staffNamed = async (partner: string, name: string) => {
        const email = `${name.toLowerCase().replaceAll(' ', '.')}@${partner.slice(0, 8)}.test`;
        const { user } = await inviteUser(
          running.app,
          operator,
          partner,
          null,
          {
            email,
            name,
            roles: ['billing_admin'],
            language: 'en',
          },
          'Test',
        );
        return user.id;
      };
      const zsofia = await staffNamed(partnerId, 'Kovács Zsófia');
      const peter = await staffNamed(partnerId, 'Nagy Péter');
      const stranger = await staffNamed(otherPartnerId, 'Someone Else');
      const uploadAs = async (userId: string, fileName: string) => {
        const response = await upload(
          new Blob([usageCsv(5, 'G100000009', 21)]),
          fileName,
          {},
          staffHeader(partnerId, ['costs.manage'], userId),
        );
        assert.equal(response.status, 202);
        const { import: accepted } = (await response.json()) as { import: ImportView };
        await finished(accepted.id);
        return accepted;
      };
      const accepted = await uploadAs(zsofia, 'by-zsofia.csv');
      assert.equal(accepted.startedByName, 'Kovács Zsófia', 'the upload answer names its uploader');
      await uploadAs(peter, 'by-peter.csv');
      // Another partner's user id, as a staff key here, is nobody's name.
      await uploadAs(stranger, 'by-stranger.csv');
      for (const [caller, fileName] of [
        [pullCaller, 'daily.json'],
        [operator, 'cli.csv'],
      ] as const) {
        await beginImport(running.app, caller, {
          partnerId,
          source: 'csv_upload',
          cloud: 'public',
          fileName,
        });
      }

      const { body } = await get<{ items: ImportView[] }>('/vendor-bills/imports?limit=5');
      assert.deepEqual(
        body.items
          .map((item) => [item.fileName, item.startedBy, item.startedByName])
          .toSorted(([a], [b]) => String(a).localeCompare(String(b))),
        [
          ['by-peter.csv', `staff:${peter}`, 'Nagy Péter'],
          ['by-stranger.csv', `staff:${stranger}`, null],
          ['by-zsofia.csv', `staff:${zsofia}`, 'Kovács Zsófia'],
          ['cli.csv', 'operator:tests', 'Command line'],
          ['daily.json', 'system:partner-center', 'Daily pull'],
        ],
      );
      const one = await get<ImportView>(`/vendor-bills/imports/${accepted.id}`);
      assert.equal(one.body.startedByName, 'Kovács Zsófia');
    });

    it('refuses callers without costs.manage, and a request without a file', async () => {
      const helpdesk = staffHeader(partnerId, ['customers.read'], 'helpdesk');
      assert.equal((await upload(new Blob(['x']), 'x.csv', {}, helpdesk)).status, 403);
      assert.equal((await get('/vendor-bills/imports', helpdesk)).status, 403);
      const form = new FormData();
      form.append('cloud', 'public');
      const response = await fetch(`${running.url}/api/v1/vendor-bills/imports`, {
        method: 'POST',
        headers: billingAdmin(),
        body: form,
      });
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as { detail: string }).detail, /file/);
      const badCloud = await upload(new Blob(['x']), 'x.csv', { cloud: 'mars' });
      assert.equal(badCloud.status, 400);
    });
  });
}
