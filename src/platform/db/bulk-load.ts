import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './database.ts';

export interface BulkLoad {
  /** Table name, optionally schema-qualified; quoted here. */
  table: string;
  columns: readonly string[];
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>;
  /** Rows per COPY statement: each chunk is one short transaction. */
  chunkRows?: number;
  /** Called after each chunk with the rows loaded so far. */
  onProgress?: (loaded: number) => void;
}

const DEFAULT_CHUNK_ROWS = { pglite: 20_000, postgres: 100_000 };

/**
 * Loads rows with COPY, in chunks that each commit on their own. Callers make the whole load atomic
 * by visibility: rows carry their run's id and only count once the run is marked complete.
 * On PostgreSQL each chunk is streamed to the server as it is produced; PGlite takes each chunk as one
 * in-memory blob, so the chunk size bounds memory.
 */
export async function bulkLoad(database: Database, load: BulkLoad): Promise<number> {
  const statement = `COPY ${quoteTable(load.table)} (${load.columns.map(quoteIdentifier).join(', ')}) FROM STDIN`;
  const chunkRows = load.chunkRows ?? DEFAULT_CHUNK_ROWS[database.engine];
  const rows = toAsyncIterator(load.rows);
  let loaded = 0;
  for (;;) {
    const count =
      database.engine === 'pglite'
        ? await copyChunkPglite(
            database.client,
            statement.replace('FROM STDIN', "FROM '/dev/blob'"),
            rows,
            chunkRows,
          )
        : await copyChunkPostgres(database, statement, rows, chunkRows);
    if (count === 0) break;
    loaded += count;
    load.onProgress?.(loaded);
    if (count < chunkRows) break;
  }
  return loaded;
}

async function copyChunkPglite(
  client: import('@electric-sql/pglite').PGlite,
  statement: string,
  rows: AsyncIterator<readonly unknown[]>,
  chunkRows: number,
): Promise<number> {
  const lines: string[] = [];
  while (lines.length < chunkRows) {
    const next = await rows.next();
    if (next.done) break;
    lines.push(copyLine(next.value));
  }
  if (lines.length === 0) return 0;
  await client.query(statement, [], { blob: new Blob([lines.join('')]) });
  return lines.length;
}

async function copyChunkPostgres(
  database: Extract<Database, { engine: 'postgres' }>,
  statement: string,
  rows: AsyncIterator<readonly unknown[]>,
  chunkRows: number,
): Promise<number> {
  // Peek first so an exhausted source opens no empty COPY.
  const first = await rows.next();
  if (first.done) return 0;
  let count = 0;
  async function* lines() {
    yield copyLine(first.value);
    count = 1;
    while (count < chunkRows) {
      const next = await rows.next();
      if (next.done) return;
      yield copyLine(next.value);
      count += 1;
    }
  }
  const client = await database.pool.connect();
  try {
    await pipeline(Readable.from(lines()), client.query(copyFrom(statement)));
  } finally {
    client.release();
  }
  return count;
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const iterator = source[Symbol.iterator]();
  return { next: async () => iterator.next() };
}

/** One row in COPY's text format: tab-separated, `\N` for null, backslash escapes. */
export function copyLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    line += copyValue(values[i]);
  }
  return `${line}\n`;
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = typeof value === 'object' && !('toFixed' in value) ? JSON.stringify(value) : String(value);
  return escapeCopyText(text);
}

const copySpecial = /[\\\t\n\r]/;

function escapeCopyText(text: string): string {
  if (!copySpecial.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
  );
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteTable(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}
