import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { selectRows } from '#platform/db';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { type AppModule, resetDemoData, seedDemoData } from './index.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function demoModule(seeds: string[]): AppModule {
  return {
    name: 'demo-example',
    async seedDemo(app) {
      await app.database.db.execute(sql`create table if not exists t_demo (name text primary key)`);
      await app.database.db.execute(sql`insert into t_demo values ('Contoso') on conflict do nothing`);
      seeds.push('seeded');
    },
  };
}

for (const engine of engines()) {
  describe(`app on ${engine}`, () => {
    it('demo data › each module seeds once, however often the app starts; reset seeds again', async () => {
      const seeds: string[] = [];
      const running = await startTestApp({
        engine,
        modules: [demoModule(seeds)],
        config: { loadDemoData: true },
      });
      try {
        assert.deepEqual(running.seeded, ['demo-example']);
        assert.deepEqual(await seedDemoData(running.app, [demoModule(seeds)]), []);
        assert.deepEqual(seeds, ['seeded']);
        await running.app.database.db.execute(sql`insert into t_demo values ('Added by hand')`);
        const recorded: string[] = [];
        const reset = await resetDemoData(running.app, [demoModule(seeds)], async () =>
          recorded.push('reset'),
        );
        assert.deepEqual([reset, recorded], [['demo-example'], ['reset']]);
        const names = await selectRows<{ name: string }>(
          running.app.database.db,
          sql`select name from t_demo`,
        );
        assert.deepEqual(
          names.map((row) => row.name),
          ['Contoso'],
        );
      } finally {
        await running.close();
      }
    });

    it('shutdown › an in-flight request finishes before the app closes', async () => {
      let release: (() => void) | undefined;
      const slow: AppModule = {
        name: 'slow',
        routes: (api) =>
          void api.get('/slow', { config: { access: 'public' } }, async () => {
            await new Promise<void>((resolve) => (release = resolve));
            return { finished: true };
          }),
      };
      const running = await startTestApp({ engine, modules: [slow], listen: true });
      const response = fetch(`${running.url}/api/v1/slow`);
      while (!release) await new Promise((resolve) => setTimeout(resolve, 10));
      let closed = false;
      const closing = running.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(closed, false, 'close waits for the request');
      release();
      assert.deepEqual(await (await response).json(), { finished: true });
      await closing;
      assert.equal(closed, true);
    });
  });
}

describe('partnerdesk serve', () => {
  const dataDirs: string[] = [];
  const children: ChildProcess[] = [];
  after(async () => {
    // A start-up that failed the test must not outlive it.
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it('SIGTERM › stops taking requests, finishes, and exits 0', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-serve-'));
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, ['bin/partnerdesk.js', 'serve', '--no-web-build'], {
      cwd: root,
      // Any free port for the demo's emulator too: other test files may hold the default one.
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 50_000);
      child.stdout.on('data', () => {
        const match = output.match(/Open (http:\/\/127\.0\.0\.1:\d+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    assert.match(output, /database: embedded PGlite in /);
    assert.match(output, /mail: +SMTP_URL is not set/);
    assert.match(output, /emulator: Partner Center emulator at http:\/\/127\.0\.0\.1:\d+/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exitCode, 0, output);
    assert.match(output, /SIGTERM: finishing in-flight requests and jobs/);
  });

  it('a bad variable › stops start-up with a message naming it, exit code 2', async () => {
    const child = spawn(process.execPath, ['bin/partnerdesk.js', 'serve', '--no-web-build'], {
      cwd: root,
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /partnerdesk: PORT must be a port number from 0 to 65535, not "eighty"/);
  });
});
