import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('partnerdesk partners', { timeout: 180_000 }, () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-partners-cli-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  /** Runs the real command on an embedded database of its own. */
  function partnerdesk(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['bin/partnerdesk.js', 'partners', ...args], {
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

  it('create › a provider and a reseller of it; list shows both with the link', async () => {
    const provider = await partnerdesk(
      'create',
      '--slug',
      'northwind-us',
      '--kind',
      'indirect_provider',
      '--legal-name',
      'Northwind Cloud Distribution, Inc.',
      '--time-zone',
      'America/Chicago',
    );
    assert.equal(provider.code, 0, provider.stderr);
    assert.match(provider.stdout, /Partner northwind-us created \(indirect_provider\), id [0-9a-f-]{36}/);
    assert.match(provider.stdout, /partnerdesk users create --partner northwind-us --role global_admin/);

    const reseller = await partnerdesk(
      'create',
      '--slug',
      'tailspin-tw',
      '--kind',
      'indirect_reseller',
      '--legal-name',
      '尾旋雲端服務股份有限公司',
      '--language',
      'zh-Hant',
      '--time-zone',
      'Asia/Taipei',
      '--currency',
      'TWD',
      '--provider',
      'northwind-us',
    );
    assert.equal(reseller.code, 0, reseller.stderr);
    assert.match(reseller.stdout, /\(indirect_reseller through northwind-us\)/);

    const list = await partnerdesk('list');
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^SLUG +KIND +LANGUAGE +TIME ZONE +CURRENCY +PROVIDERS +NAME$/);
    assert.match(lines[1]!, /^northwind-us +indirect_provider +en +America\/Chicago +USD +- +Northwind/);
    assert.match(
      lines[2]!,
      /^tailspin-tw +indirect_reseller +zh-Hant +Asia\/Taipei +TWD +northwind-us +尾旋/,
    );
  });

  it('bad input › exit status 2 and a message naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--slug', 'fabrikam', '--kind', 'direct', '--legal-name', 'F', '--time-zone', 'Europe/Budapesht'],
        /--time-zone must be an IANA time zone/,
      ],
      [['--slug', 'Fabrikam!', '--kind', 'direct', '--legal-name', 'F'], /--slug must be 2 to 63/],
      [
        [
          '--slug',
          'fabrikam',
          '--kind',
          'indirect_reseller',
          '--legal-name',
          'F',
          '--provider',
          'tailspin-tw',
        ],
        /--provider: tailspin-tw is indirect_reseller, not indirect_provider/,
      ],
      [
        ['--slug', 'fabrikam', '--kind', 'distributor', '--legal-name', 'F'],
        /--kind <kind>' argument 'distributor' is invalid/,
      ],
      [['--kind', 'direct', '--legal-name', 'F'], /required option '--slug <slug>' not specified/],
    ];
    for (const [args, message] of cases) {
      const result = await partnerdesk('create', ...args);
      assert.equal(result.code, 2, `${args.join(' ')}\n${result.stderr}`);
      assert.match(result.stderr, message);
    }
    const list = await partnerdesk('list');
    assert.doesNotMatch(list.stdout, /fabrikam/i, 'nothing was written');
  });
});
