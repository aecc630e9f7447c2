import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import { createPartner } from '#modules/partners';
import {
  beginImport,
  type CostLine,
  loadImport,
  readCsvFile,
  readGraphExportRows,
} from '#modules/vendor-bills';
import type { Caller } from '#platform/actor';
import { startApp } from '#platform/app';
import { loadConfig } from '#platform/config';
import { copyLine, type Database, selectRows } from '#platform/db';
import { modules } from '../src/main.ts';
import { CsvSplitter } from '../src/modules/vendor-bills/read/csv-records.ts';
import {
  dailyUsageColumns,
  dailyUsageCsvLines,
  dailyUsageJsonLines,
} from '../test/support/vendor-usage-file.ts';
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
 * The vendor-bill import (reader + engine: parse, normalise, fingerprint, match customers, COPY into
 * deliveries, commit) against a raw COPY of the same file's rows — the same file read the same way
 * (the CSV through csv-parse; the gzipped JSON lines through gunzip and JSON.parse), in the same
 * chunks, into a plain table of text columns without indexes. Memory is measured at a quarter of the
 * rows and at all of them: it must not grow with the file.
 */

const CHUNK_ROWS: Record<Engine, number> = { pglite: 5_000, postgres: 100_000 };
const VARIANTS = ['import-csv', 'import-json', 'baseline-csv', 'baseline-json'] as const;
type Variant = (typeof VARIANTS)[number];
const MONTH = '2026-09';
const INVOICE = 'G987654321';
/** The generated files, written once by the parent and read by each measuring process. */
const FILES_DIR = 'VENDOR_IMPORT_BENCH_FILES';

interface Measurement {
  rows: number;
  seconds: number;
  fileMb: number;
  idleRssMb: number;
  peakRssAboveIdleMb: number;
}

const filesOf = (dir: string, count: number) => ({
  csv: join(dir, `DailyRatedUsage_${count}.csv`),
  json: join(dir, `daily-usage-export_${count}.json.gz`),
});

async function writeFiles(dir: string, count: number) {
  const files = filesOf(dir, count);
  const options = { rows: count, invoiceNumber: INVOICE, month: MONTH };
  await pipeline(Readable.from(dailyUsageCsvLines(options)), createWriteStream(files.csv));
  await pipeline(Readable.from(dailyUsageJsonLines(options)), createGzip(), createWriteStream(files.json));
}

/** Every variant on one engine, each in a process of its own; the imports at both sizes. */
async function compare(engine: Engine) {
  const sizes = [Math.max(1, Math.round(rows / 4)), rows];
  const run = async (variant: Variant, count: number) =>
    (await measureApart(import.meta.url, {
      rows: count,
      engine,
      measure: variant,
    })) as unknown as Measurement;
  const figures: Record<string, unknown> = {};
  for (const form of ['csv', 'json'] as const) {
    const baseline = await run(`baseline-${form}`, rows);
    const imports = [];
    for (const size of sizes) imports.push(await run(`import-${form}`, size));
    const full = imports.at(-1)!;
    figures[form] = {
      fileMb: full.fileMb,
      import: {
        rowsPerSecond: Math.round(rows / full.seconds),
        seconds: round(full.seconds, 2),
        peakRssAboveIdleMb: Object.fromEntries(imports.map((m) => [m.rows, round(m.peakRssAboveIdleMb, 1)])),
      },
      baseline: {
        rowsPerSecond: Math.round(rows / baseline.seconds),
        seconds: round(baseline.seconds, 2),
        peakRssAboveIdleMb: round(baseline.peakRssAboveIdleMb, 1),
      },
      ratio: round(baseline.seconds / full.seconds, 3),
      idleRssMb: round(full.idleRssMb, 1),
    };
  }
  return {
    benchmark: 'vendor-import',
    engine,
    rows,
    chunkRows: CHUNK_ROWS[engine],
    ...figures,
    node: process.version,
  };
}

/** One load into a fresh database, timed and watched for memory. */
async function measure(engine: Engine, variant: Variant, dir: string): Promise<Measurement> {
  const files = filesOf(dir, rows);
  const form = variant.endsWith('csv') ? 'csv' : 'json';
  const file = files[form];
  const fileMb = (await stat(file)).size / 1024 ** 2;
  const sampler = await startRssSampler();
  const appDir = await mkdtemp(join(tmpdir(), 'partnerdesk-vendor-bench-app-'));
  try {
    return await withScratchDatabase(engine, async (database) => {
      // The app closes its database; the scratch database is closed (and dropped) by its owner.
      const running = await startApp({
        config: {
          ...loadConfig({ DATA_DIR: appDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' }),
          runJobs: false,
        },
        modules,
        version: 'bench',
        database: { ...database, close: async () => {} },
      });
      try {
        const { app } = running;
        const operator: Caller = { actor: { kind: 'operator', name: 'bench' } };
        const { partner } = await createPartner(app, operator, {
          kind: 'direct',
          legalName: 'Bench',
          slug: 'bench',
        });
        await database.db.execute(
          sql.raw(`CREATE TABLE raw_usage (${dailyUsageColumns.map((c) => `"${c}" text`).join(', ')})`),
        );
        const bar = progressBar(`${engine} ${variant.padEnd(13)}`, rows);
        const idleRssMb = settledRssMb();
        sampler.reset();
        const started = performance.now();
        if (variant.startsWith('import')) {
          const row = await beginImport(app, operator, {
            partnerId: partner.id,
            source: form === 'csv' ? 'csv_cli' : 'graph_export',
            cloud: 'public',
            fileName: file,
          });
          const lines: AsyncIterable<CostLine> =
            form === 'csv'
              ? readCsvFile(createReadStream(file), file)
              : readGraphExportRows(jsonRows(file), file, 'daily_usage');
          const result = await loadImport(app, operator, row, lines, {
            chunkRows: CHUNK_ROWS[engine],
            onProgress: ({ rowsRead }) => bar.update(rowsRead),
          });
          if (result.import.status !== 'completed')
            throw new Error(`${variant}: import ${result.import.status}: ${result.import.errorMessage}`);
        } else {
          await rawCopy(database, form === 'csv' ? csvValues(file) : jsonValues(file), (n) => bar.update(n));
        }
        const seconds = (performance.now() - started) / 1000;
        const peakRssAboveIdleMb = sampler.peakMb() - idleRssMb;
        bar.stop();
        const table = variant.startsWith('import') ? 'vendor_cost_lines' : 'raw_usage';
        const [counted] = await selectRows<{ count: string }>(
          database.db,
          sql.raw(`SELECT count(*)::text AS count FROM ${table}`),
        );
        if (counted?.count !== String(rows))
          throw new Error(`${variant}: ${counted?.count} rows in ${table}, expected ${rows}`);
        note(
          `${engine} ${variant}: ${rows} rows in ${seconds.toFixed(2)} s, peak RSS ${peakRssAboveIdleMb.toFixed(1)} MB above idle`,
        );
        return { rows, seconds, fileMb: round(fileMb, 1), idleRssMb, peakRssAboveIdleMb };
      } finally {
        await running.close();
      }
    });
  } finally {
    await sampler.stop();
    await rm(appDir, { recursive: true, force: true });
  }
}

async function* jsonRows(file: string): AsyncGenerator<Record<string, unknown>> {
  for await (const line of createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  })) {
    if (line !== '') yield JSON.parse(line) as Record<string, unknown>;
  }
}

/** The baseline's reading: the CSV's records split as the reader splits them, header skipped, nothing more. */
async function* csvValues(file: string): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  const splitter = new CsvSplitter();
  let header = true;
  const records = async function* () {
    for await (const chunk of createReadStream(file)) yield* splitter.push(decoder.write(chunk as Buffer));
    yield* splitter.push(decoder.end(), true);
  };
  for await (const record of records()) {
    if (header) header = false;
    else yield record.fields;
  }
}

const jsonKeys = dailyUsageColumns.map(
  (column) =>
    ({ MPNID: 'mpnId', ResellerMPNID: 'tier2MpnId', Unit: 'unitOfMeasure' })[column as string] ??
    `${column.charAt(0).toLowerCase()}${column.slice(1)}`,
);

async function* jsonValues(file: string): AsyncGenerator<unknown[]> {
  for await (const row of jsonRows(file)) yield jsonKeys.map((key) => row[key] ?? null);
}

/** COPY of the values as they are, in the engine's chunks (a blob per chunk on PGlite, a stream per chunk on PostgreSQL). */
async function rawCopy(
  database: Database,
  values: AsyncIterable<readonly unknown[]>,
  onRows: (n: number) => void,
) {
  const columns = dailyUsageColumns.map((c) => `"${c}"`).join(', ');
  const chunkRows = CHUNK_ROWS[database.engine];
  const source = values[Symbol.asyncIterator]();
  let loaded = 0;
  let done = false;
  // One chunk's COPY text, pulled from the source as COPY takes it (as bulkLoad streams on PostgreSQL).
  async function* chunk() {
    for (let count = 0; count < chunkRows; count++) {
      const next = await source.next();
      if (next.done) {
        done = true;
        return;
      }
      loaded += 1;
      yield copyLine(next.value);
    }
  }
  while (!done) {
    const before = loaded;
    if (database.engine === 'pglite') {
      const lines: string[] = [];
      for await (const line of chunk()) lines.push(line);
      if (lines.length > 0)
        await database.client.query(`COPY raw_usage (${columns}) FROM '/dev/blob'`, [], {
          blob: new Blob([lines.join('')]),
        });
    } else {
      const client = await database.pool.connect();
      try {
        await pipeline(
          Readable.from(chunk()),
          client.query(copyFrom(`COPY raw_usage (${columns}) FROM STDIN`)),
        );
      } finally {
        client.release();
      }
    }
    if (loaded > before) onRows(loaded);
  }
}

const { rows, engines, measure: measured } = parseBenchArgs(process.argv.slice(2));
if (measured === undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'partnerdesk-vendor-bench-'));
  process.env[FILES_DIR] = dir;
  try {
    await mkdir(dir, { recursive: true });
    for (const count of new Set([Math.max(1, Math.round(rows / 4)), rows])) {
      note(`writing ${count} rows of daily rated usage (CSV and gzipped JSON lines)`);
      await writeFiles(dir, count);
    }
    for (const engine of engines) report(await compare(engine));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else {
  const variant = VARIANTS.find((name) => name === measured);
  const dir = process.env[FILES_DIR];
  if (!variant || engines.length !== 1 || dir === undefined)
    throw new Error(
      `--measure takes one of ${VARIANTS.join(', ')}, with one --engine, from the benchmark itself`,
    );
  report({ ...(await measure(engines[0]!, variant, dir)) });
}
