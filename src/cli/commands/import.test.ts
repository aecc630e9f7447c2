import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { dailyUsageCsvLines } from '#test/vendor-usage-file';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('partnerdesk import recon', { timeout: 240_000 }, () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-import-cli-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  /** Runs the real command on an embedded database of its own. */
  function partnerdesk(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['bin/partnerdesk.js', ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO_DATA: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  }

  it('imports each file on its own: a good .csv.gz is loaded, a bad .csv refused by line and column', async () => {
    const created = await partnerdesk(
      'partners',
      'create',
      '--slug',
      'contoso-cli',
      '--kind',
      'direct',
      '--legal-name',
      'Contoso CLI Kft.',
    );
    assert.equal(created.code, 0, created.stderr);
    const good = join(dataDir, 'DailyRatedUsage_G200000001.csv.gz');
    await writeFile(
      good,
      gzipSync(
        [...dailyUsageCsvLines({ rows: 500, invoiceNumber: 'G200000001', month: '2026-09' })].join(''),
      ),
    );
    const lines = [
      ...dailyUsageCsvLines({ rows: 30, invoiceNumber: 'G200000002', month: '2026-09', seed: 3 }),
    ];
    // Line 12 of the file: an amount written with a decimal comma.
    lines[11] = lines[11]!.replace(/,EUR,/, ',EUR,').replace(/,(\d+)\.(\d+),EUR,/, ',"$1,$2",EUR,');
    const bad = join(dataDir, 'bad.csv');
    await writeFile(bad, lines.join(''));

    const first = await partnerdesk('import', 'recon', good, bad, '--partner', 'contoso-cli');
    assert.equal(first.code, 1, 'a refused file makes the command fail');
    assert.match(first.stdout, /DailyRatedUsage_G200000001\.csv\.gz: completed \(daily_usage\)/);
    assert.match(
      first.stdout,
      /ROWS\s+CREATED\s+UNCHANGED\s+SUPERSEDED\s+UNKNOWN-CUSTOMER LINES\n\s+500\s+1\s+0\s+0\s+500/,
    );
    assert.match(first.stdout, /G200000001\s+daily_usage\s+EUR\s+500\s+\d+(\.\d+)?/);
    assert.match(first.stderr, /bad\.csv: refused — bad\.csv, line 12, column BillingPreTaxTotal: /);
    assert.match(first.stderr, /Nothing of this file was kept/);

    const again = await partnerdesk('import', 'recon', good, '--partner', 'contoso-cli', '--cloud', 'public');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /: unchanged \(daily_usage\)/);
    assert.match(again.stdout, /\n\s+500\s+0\s+1\s+0\s+500/);
  });

  it('a partner that does not exist is named as the problem', async () => {
    const result = await partnerdesk('import', 'recon', join(dataDir, 'none.csv'), '--partner', 'nobody');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--partner: no partner has the slug nobody/);
  });
});
