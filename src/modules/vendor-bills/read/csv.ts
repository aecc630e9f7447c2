import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { type CostLine, ImportFileError } from '../lines.ts';
import { type CsvRecord, CsvSplitter, CsvSyntaxError } from './csv-records.ts';
import { columnIndexOf, detectForm, type FormSpec, legacyLicence } from './forms.ts';
import { costLineOf, type SourceRow } from './normalise.ts';

export interface CsvReadOptions {
  /** Called as the file is consumed with the bytes read so far (compressed bytes for `.csv.gz`). */
  onBytes?(bytesRead: number): void;
  /**
   * The invoice the file is of, for the legacy licence-based file, which has no InvoiceNumber column
   * (§3.3). Without it, an invoice number standing alone in the file name (`D020001IVK.csv`) is used.
   */
  invoiceNumber?: string;
}

const gzipMagic = [0x1f, 0x8b];

/** The input's bytes, counted, with the first ones looked at (gzip or not) before anything is parsed. */
async function openBytes(input: Readable, onBytes: ((bytesRead: number) => void) | undefined) {
  let bytesRead = 0;
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < gzipMagic.length) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  const gzipped = gzipMagic.every((byte, index) => first[index] === byte);
  async function* counted() {
    for (let chunk: Buffer | undefined = first; chunk !== undefined; ) {
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
      yield chunk;
      const next = await chunks.next();
      chunk = next.done ? undefined : Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  return { gzipped, empty: first.length === 0, bytes: Readable.from(counted(), { objectMode: false }) };
}

/** A name as one invoice number: a legacy `D…` (or new-commerce `G…`) id standing alone in the file name. */
function invoiceNumberInName(fileName: string): string | null {
  return /(?<![A-Za-z0-9])([DG]\d[0-9A-Z]{8})(?![A-Za-z0-9])/.exec(fileName)?.[1] ?? null;
}

function fileErrorOf(fileName: string, error: unknown, gzipped: boolean): unknown {
  if (error instanceof ImportFileError) return error;
  if (error instanceof CsvSyntaxError) {
    return new ImportFileError(fileName, error.line, null, `is not valid CSV: ${error.message}`);
  }
  const code = (error as { code?: string }).code;
  if (gzipped && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR')) {
    return new ImportFileError(
      fileName,
      null,
      null,
      code === 'Z_BUF_ERROR'
        ? 'the gzip file ends early (an incomplete download?): the whole file is refused'
        : 'the gzip file is damaged: the whole file is refused',
    );
  }
  return error;
}

/** How one header maps onto a form: the documented column at each position, the rest kept as extra. */
function layoutOf(fileName: string, line: number, headers: string[], spec: FormSpec) {
  const { byName } = columnIndexOf(spec);
  const positionOf = new Map<string, number>();
  const extras: number[] = [];
  headers.forEach((header, position) => {
    const column = byName.get(header.trim().toLowerCase());
    if (column === undefined) extras.push(position);
    else if (column !== null) {
      const earlier = positionOf.get(column);
      if (earlier !== undefined) {
        throw new ImportFileError(
          fileName,
          line,
          header,
          `names the same column as "${headers[earlier]}" (${column}): which one to read is unclear`,
        );
      }
      positionOf.set(column, position);
    }
  });
  const missing = spec.required.find((column) => !positionOf.has(column));
  if (missing !== undefined) {
    throw new ImportFileError(fileName, line, missing, `is missing: a ${spec.title} has this column`);
  }
  return { positionOf, extras };
}

/** The file's records as they are decoded: UTF-8, a leading BOM dropped. */
async function* recordsOf(text: Readable): AsyncIterable<CsvRecord> {
  const decoder = new StringDecoder('utf8');
  const splitter = new CsvSplitter();
  let first = true;
  for await (const chunk of text) {
    let decoded = decoder.write(chunk as Buffer);
    if (first && decoded !== '') {
      decoded = decoded.replace(/^\uFEFF/, '');
      first = false;
    }
    yield* splitter.push(decoded);
  }
  yield* splitter.push(decoder.end(), true);
}

/**
 * Reads a reconciliation file as Partner Center downloads it — `.csv` or `.csv.gz` (told by its first
 * bytes, not its name), UTF-8 with or without BOM — into CostLines, streaming: memory holds a chunk and
 * a row, whatever the file's size. The header tells the form (§3.1–3.4). Anything that cannot be read
 * — a missing required column, a row with another number of fields than the header, a bad date or
 * amount, broken quoting, a truncated gzip — throws an `ImportFileError` naming the file, the 1-based
 * line (the header is line 1; quoted fields spanning lines counted) and the column: the whole file is
 * refused, and the caller discards what it read.
 */
export async function* readCsvFile(
  input: Readable,
  fileName: string,
  options: CsvReadOptions = {},
): AsyncIterable<CostLine> {
  const { gzipped, empty, bytes } = await openBytes(input, options.onBytes);
  if (empty) throw new ImportFileError(fileName, null, null, 'the file is empty');
  const text = gzipped ? bytes.pipe(createGunzip()) : bytes;
  // pipe() does not pass errors on: a broken read or gunzip ends the text stream with them.
  bytes.on('error', (error) => text.destroy(error));
  let layout: ReturnType<typeof layoutOf> | undefined;
  let spec: FormSpec | undefined;
  let headers: string[] = [];
  let deliveredFor: string | null = options.invoiceNumber ?? null;
  try {
    for await (const { fields: record, line } of recordsOf(text)) {
      if (layout === undefined || spec === undefined) {
        headers = record;
        spec = detectForm(headers);
        if (spec === undefined) {
          throw new ImportFileError(
            fileName,
            line,
            null,
            'the header is not that of a file Partner Center delivers (new-commerce invoice reconciliation, daily rated usage, legacy licence-based or usage-based)',
          );
        }
        layout = layoutOf(fileName, line, headers, spec);
        if (spec === legacyLicence && !layout.positionOf.has('InvoiceNumber')) {
          deliveredFor ??= invoiceNumberInName(fileName);
        }
        continue;
      }
      if (record.every((field) => field.trim() === '')) continue;
      if (record.length !== headers.length) {
        throw new ImportFileError(
          fileName,
          line,
          record.length < headers.length ? (headers[record.length] ?? null) : null,
          `has ${record.length} fields, the header has ${headers.length}`,
        );
      }
      yield costLineOf(spec, csvRow(fileName, line, record, headers, layout), deliveredFor);
    }
  } catch (error) {
    throw fileErrorOf(fileName, error, gzipped);
  } finally {
    text.destroy();
    bytes.destroy();
    input.destroy();
  }
}

function csvRow(
  sourceName: string,
  line: number,
  record: string[],
  headers: string[],
  layout: ReturnType<typeof layoutOf>,
): SourceRow {
  return {
    sourceName,
    line,
    dates: 'csv',
    value: (column) => {
      const position = layout.positionOf.get(column);
      return position === undefined ? undefined : record[position];
    },
    nameOf: (column) => {
      const position = layout.positionOf.get(column);
      return position === undefined ? column : headers[position]!;
    },
    extra: () =>
      layout.extras.length === 0
        ? null
        : Object.fromEntries(layout.extras.map((position) => [headers[position]!, record[position]!])),
  };
}
