import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import { bulkLoad, type Database, selectRows } from '#platform/db';
import {
  type Engine,
  measureApart,
  note,
  parseBenchArgs,
  progressBar,
  report,
  round,
  settledRssMb,
  startRssSampler,
  withScratchDatabase,
} from './support.ts';

/**
 * The bulk-load helper against a raw COPY of the same rows, fed the same way (same generator, same
 * columns, same chunks on PGlite), into identical plain tables: the ratio is the helper's own overhead.
 */

const COLUMNS = ['id', 'sku', 'usage_date', 'quantity', 'amount', 'currency', 'note', 'line_number'] as const;

type UsageRow = readonly [string, string, string, string, string, string, string | null, number];

/** The helper's chunk sizes, given to both runs so PGlite receives the same blobs from each. */
const CHUNK_ROWS: Record<Engine, number> = { pglite: 20_000, postgres: 100_000 };

const PROGRESS_EVERY = 10_000;

const VARIANTS = ['baseline', 'helper'] as const;
type Variant = (typeof VARIANTS)[number];

/** Each variant is measured this many times, alternating which goes first (ABBA…); the best time counts. */
const ROUNDS = 2;

interface Measurement {
  seconds: number;
  idleRssMb: number;
  peakRssAboveIdleMb: number;
}

/** Both variants on one engine, each measurement in a process of its own. */
async function compare(engine: Engine) {
  const measured: Record<Variant, Measurement[]> = { baseline: [], helper: [] };
  for (let turn = 0; turn < ROUNDS; turn++) {
    for (const variant of turn % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      measured[variant].push(
        (await measureApart(import.meta.url, { rows, engine, measure: variant })) as unknown as Measurement,
      );
    }
  }
  const helper = summarise(measured.helper);
  const baseline = summarise(measured.baseline);
  const all = [...measured.helper, ...measured.baseline];
  return {
    benchmark: 'bulk-load',
    engine,
    rows,
    chunkRows: CHUNK_ROWS[engine],
    rounds: ROUNDS,
    helper,
    baseline,
    ratio: round(helper.rowsPerSecond / baseline.rowsPerSecond, 3),
    idleRssMb: round(all.reduce((sum, m) => sum + m.idleRssMb, 0) / all.length, 1),
    node: process.version,
  };
}

/** The best time (least disturbed by the rest of the machine) and the worst memory. */
function summarise(measurements: Measurement[]) {
  const seconds = Math.min(...measurements.map((m) => m.seconds));
  return {
    rowsPerSecond: Math.round(rows / seconds),
    seconds: round(seconds, 2),
    secondsEach: measurements.map((m) => round(m.seconds, 2)),
    peakRssAboveIdleMb: round(Math.max(...measurements.map((m) => m.peakRssAboveIdleMb)), 1),
  };
}

/** One load into a fresh table on a freshly opened engine, timed and watched for memory. */
async function measureLoad(engine: Engine, variant: Variant): Promise<Measurement> {
  const sampler = await startRssSampler();
  try {
    return await withScratchDatabase(engine, async (database) => {
      const table = `usage_${variant}`;
      await database.db.execute(
        sql.raw(`CREATE TABLE ${table} (
          id uuid NOT NULL, sku text NOT NULL, usage_date date NOT NULL, quantity numeric(20, 6) NOT NULL,
          amount numeric NOT NULL, currency char(3) NOT NULL, note text, line_number integer NOT NULL)`),
      );
      const bar = progressBar(`${engine} ${variant.padEnd(8)}`, rows);
      const source = usageRows(rows, (produced) => bar.update(produced));
      const idleRssMb = settledRssMb();
      sampler.reset();
      const started = performance.now();
      if (variant === 'helper') {
        await bulkLoad(database, { table, columns: COLUMNS, rows: source, chunkRows: CHUNK_ROWS[engine] });
      } else {
        await rawCopy(database, table, source);
      }
      const seconds = (performance.now() - started) / 1000;
      const peakRssAboveIdleMb = sampler.peakMb() - idleRssMb;
      bar.stop();
      const [counted] = await selectRows<{ count: string }>(
        database.db,
        sql.raw(`SELECT count(*)::text AS count FROM ${table}`),
      );
      if (counted?.count !== String(rows))
        throw new Error(`${engine} ${variant}: ${counted?.count} rows in ${table}, expected ${rows}`);
      note(
        `${engine} ${variant}: ${rows} rows in ${seconds.toFixed(2)} s, peak RSS ${peakRssAboveIdleMb.toFixed(1)} MB above idle`,
      );
      return { seconds, idleRssMb, peakRssAboveIdleMb };
    });
  } finally {
    await sampler.stop();
  }
}

/** The baseline: the engine's COPY with the encoding these known columns need, and nothing else. */
async function rawCopy(database: Database, table: string, source: Iterable<UsageRow>): Promise<void> {
  const columns = COLUMNS.join(', ');
  if (database.engine === 'pglite') {
    const statement = `COPY ${table} (${columns}) FROM '/dev/blob'`;
    let lines: string[] = [];
    for (const row of source) {
      lines.push(rawCopyLine(row));
      if (lines.length === CHUNK_ROWS.pglite) {
        await database.client.query(statement, [], { blob: new Blob([lines.join('')]) });
        lines = [];
      }
    }
    if (lines.length > 0) await database.client.query(statement, [], { blob: new Blob([lines.join('')]) });
    return;
  }
  const client = await database.pool.connect();
  try {
    await pipeline(
      Readable.from(rawCopyLines(source)),
      client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)),
    );
  } finally {
    client.release();
  }
}

function* rawCopyLines(source: Iterable<UsageRow>): Generator<string> {
  for (const row of source) yield rawCopyLine(row);
}

const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Only the free text can hold characters COPY must escape; everything else is written as it is. */
function rawCopyLine(row: UsageRow): string {
  const text = row[6] === null ? '\\N' : row[6].replace(/[\\\t\n\r]/g, (ch) => copyEscapes[ch]!);
  return `${row[0]}\t${row[1]}\t${row[2]}\t${row[3]}\t${row[4]}\t${row[5]}\t${text}\t${row[7]}\n`;
}

/**
 * Daily-rated-usage-like rows, made one at a time from a fixed seed: every call yields the same rows.
 * One note in ten is null, one in twenty-five holds a tab and one in twenty-five a backslash.
 */
function* usageRows(count: number, onProduced: (produced: number) => void): Generator<UsageRow> {
  const next = mulberry32(20_260_101);
  const skus = Array.from(
    { length: 64 },
    (_, i) =>
      `DZH318Z0${(46_656 + i * 977).toString(36).toUpperCase()}:${String((i % 9) + 1).padStart(4, '0')}`,
  );
  const dates = Array.from({ length: 31 }, (_, day) => `2026-01-${String(day + 1).padStart(2, '0')}`);
  const currencies = ['USD', 'EUR', 'GBP', 'HUF', 'JPY'];
  for (let n = 1; n <= count; n++) {
    const pick = next();
    const kind = pick % 50;
    const text =
      kind < 5
        ? null
        : kind < 7
          ? `cost-center\t${pick % 40}`
          : kind < 9
            ? `CONTOSO\\svc-backup-${pick % 7}`
            : `rg-${pick % 97}/providers/Microsoft.Compute/virtualMachines/vm-${pick % 13}`;
    yield [
      uuid(next),
      skus[pick % skus.length]!,
      dates[n % dates.length]!,
      ((next() % 100_000_000) / 1e6).toFixed(6),
      ((next() % 10_000_000) / 1e4).toFixed(4),
      currencies[pick % currencies.length]!,
      text,
      n,
    ];
    if (n % PROGRESS_EVERY === 0 || n === count) onProduced(n);
  }
}

/** A version-4-shaped uuid from four draws. */
function uuid(next: () => number): string {
  const [a, b, c, d] = [next(), next(), next(), next()].map((word) => word.toString(16).padStart(8, '0'));
  return `${a}-${b!.slice(0, 4)}-4${b!.slice(5)}-${'89ab'[next() & 3]}${c!.slice(1, 4)}-${c!.slice(4)}${d}`;
}

/** A small seeded generator of 32-bit unsigned integers (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const { rows, engines, measure } = parseBenchArgs(process.argv.slice(2));
if (measure === undefined) {
  for (const engine of engines) report(await compare(engine));
} else {
  const variant = VARIANTS.find((name) => name === measure);
  if (!variant || engines.length !== 1)
    throw new Error(`--measure takes one of ${VARIANTS.join(', ')}, with one --engine`);
  report({ ...(await measureLoad(engines[0]!, variant)) });
}
