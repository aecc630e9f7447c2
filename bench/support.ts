import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { SingleBar } from 'cli-progress';
import pg from 'pg';
import { type Database, openDatabase } from '#platform/db';

export type Engine = 'pglite' | 'postgres';

export type Figures = Record<string, unknown>;

/** PGlite always; PostgreSQL too when DATABASE_URL names a server. */
export function benchEngines(): Engine[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export const DEFAULT_ROWS = 1_000_000;

export interface BenchArgs {
  rows: number;
  /** `--engine E` narrows to one engine; by default every engine of `benchEngines()`. */
  engines: Engine[];
  /** `--measure M`: this process makes the one measurement M of its benchmark (see `measureApart`). */
  measure: string | undefined;
  /** Benchmarks named on the runner's command line. */
  names: string[];
}

export function parseBenchArgs(args: string[]): BenchArgs {
  const { values, positionals } = parseArgs({
    args,
    options: { rows: { type: 'string' }, engine: { type: 'string' }, measure: { type: 'string' } },
    allowPositionals: true,
  });
  const rows = values.rows === undefined ? DEFAULT_ROWS : Number(values.rows.replaceAll('_', ''));
  if (!Number.isSafeInteger(rows) || rows < 1)
    throw new Error(`--rows must be a positive integer, got ${values.rows}`);
  const engine = values.engine;
  if (engine !== undefined && !benchEngines().includes(engine as Engine)) {
    throw new Error(
      `--engine must be one of ${benchEngines().join(', ')} (PostgreSQL needs DATABASE_URL), got ${engine}`,
    );
  }
  return {
    rows,
    engines: engine === undefined ? benchEngines() : [engine as Engine],
    measure: values.measure,
    names: positionals,
  };
}

/** Figures go to stdout as one JSON object per line; the runner passes them through. */
export function report(figures: Figures): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Runs a benchmark file in a new Node process (with `--expose-gc`, see `settledRssMb`) and hands
 * over each JSON object it prints; its other output goes to stderr. Fails unless it exits 0 having
 * printed at least one.
 */
export async function runBenchProcess(
  file: string,
  args: string[],
  onFigures: (figures: Figures) => void,
): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject).once('close', (code, signal) => resolve({ code, signal }));
  });
  let printed = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const figures = parseFigures(line);
    if (figures) {
      onFigures(figures);
      printed += 1;
    } else {
      note(line);
    }
  }
  const { code, signal } = await exited;
  if (signal) throw new Error(`killed by ${signal}`);
  if (code !== 0) throw new Error(`exit code ${code}`);
  if (printed === 0) throw new Error('printed no figures');
}

function parseFigures(line: string): Figures | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Figures)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes one measurement of the calling benchmark in a process of its own, so that neither memory the
 * engine keeps after closing nor garbage from an earlier measurement counts in this one.
 */
export async function measureApart(
  benchUrl: string,
  args: { rows: number; engine: Engine; measure: string },
): Promise<Figures> {
  let result: Figures | undefined;
  await runBenchProcess(
    fileURLToPath(benchUrl),
    ['--rows', String(args.rows), '--engine', args.engine, '--measure', args.measure],
    (figures) => {
      result = figures;
    },
  );
  return result!;
}

/**
 * A throwaway database on one engine, removed afterwards whatever happens: a PGlite in a temporary
 * directory (on disk, as the app runs it, so table pages are not counted as process memory), or the
 * scratch server database `partnerdesk_bench_<pid>`, created and dropped here; no other is touched.
 */
export async function withScratchDatabase<T>(
  engine: Engine,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  if (engine === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-bench-'));
    try {
      return await withOpen(openDatabase({ dataDir }), work);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const serverUrl = process.env.DATABASE_URL!;
  const name = `partnerdesk_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return await withOpen(openDatabase({ databaseUrl: url.toString() }), work);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

async function withOpen<T>(opening: Promise<Database>, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await opening;
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const MB = 1024 * 1024;

export interface RssSampler {
  /** Forgets the peak so far: the next `peakMb` covers only what follows. */
  reset(): void;
  peakMb(): number;
  stop(): Promise<void>;
}

/**
 * Samples the process's RSS every 50 ms from a worker thread, so samples keep coming while PGlite's
 * WebAssembly holds the main thread for a whole COPY chunk.
 */
export async function startRssSampler(): Promise<RssSampler> {
  const peakKib = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./rss-sampler.ts', import.meta.url), {
    workerData: { peakKib, everyMs: 50 },
  });
  await new Promise((resolve, reject) => worker.once('online', resolve).once('error', reject));
  return {
    reset: () => Atomics.store(peakKib, 0, 0),
    peakMb: () => Math.max(Atomics.load(peakKib, 0) * 1024, process.memoryUsage.rss()) / MB,
    stop: () => worker.terminate().then(() => undefined),
  };
}

/**
 * The RSS once garbage is collected (benchmark processes run with `--expose-gc`), so an idle figure
 * does not include garbage that a collection during the measured run would free.
 */
export function settledRssMb(): number {
  globalThis.gc?.();
  return process.memoryUsage.rss() / MB;
}

/** Rows loaded so far, on stderr: a bar on a terminal, a line every few seconds in a log. */
export function progressBar(label: string, total: number): { update(loaded: number): void; stop(): void } {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% {value}/{total} rows {duration}s`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  });
  bar.start(total, 0);
  return { update: (loaded) => bar.update(loaded), stop: () => bar.stop() };
}

export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
