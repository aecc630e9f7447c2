import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppModule, type RunningApp, startApp } from '#platform/app';
import { type Config, loadConfig } from '#platform/config';
import type { Authenticator } from '#platform/http';
import type { Clock } from '#platform/time';
import { type Engine, openTestDatabase } from './database.ts';

export interface TestAppOptions {
  engine: Engine;
  modules?: readonly AppModule[];
  config?: Partial<Config>;
  authenticator?: Authenticator;
  clock?: Clock;
  listen?: boolean;
  webDist?: string;
}

/**
 * A whole partnerdesk on a fresh copy of the template database, with its own data folder, quiet logs
 * and no demo data. `close()` stops it and removes everything it made.
 */
export async function startTestApp(options: TestAppOptions): Promise<RunningApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-test-'));
  const config: Config = {
    ...loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DEMO_DATA: 'false' }),
    ...options.config,
  };
  const running = await startApp({
    config,
    modules: options.modules ?? [],
    version: 'test',
    database: await openTestDatabase(options.engine),
    listen: options.listen ?? false,
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.webDist ? { webDist: options.webDist } : {}),
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const close = running.close;
  return {
    ...running,
    close: async () => {
      await close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` is true, polling; fails with `what` after the timeout. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
