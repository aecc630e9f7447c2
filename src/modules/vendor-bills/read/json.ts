import { type CostLine, ImportFileError, type LineForm } from '../lines.ts';
import { columnIndexOf, type FormSpec, formSpecOf } from './forms.ts';
import { costLineOf, type SourceRow } from './normalise.ts';

export type JsonRow = Record<string, unknown>;
/** Rows as they stream in (an export, pages of line items), or already in hand. */
export type Rows<T> = AsyncIterable<T> | Iterable<T>;

/** How one set of attribute names maps onto a form: attribute → documented column, the rest extra. */
interface Layout {
  keyOf: Map<string, string>;
  extras: string[];
  missing: string | undefined;
}

/**
 * Rows of one source have the same attributes, so their layout is worked out once per set of names
 * (a handful at most: Graph leaves out empty attributes of some rows).
 */
function layouts(spec: FormSpec) {
  const { byName } = columnIndexOf(spec);
  const known = new Map<string, Layout>();
  return (row: JsonRow): Layout => {
    const names = Object.keys(row);
    const signature = names.join('\u0000');
    let layout = known.get(signature);
    if (!layout) {
      const keyOf = new Map<string, string>();
      const extras: string[] = [];
      for (const name of names) {
        const column = byName.get(name.toLowerCase());
        if (column === undefined) extras.push(name);
        else if (column !== null && !keyOf.has(column)) keyOf.set(column, name);
      }
      layout = { keyOf, extras, missing: spec.required.find((column) => !keyOf.has(column)) };
      if (known.size > 64) known.clear();
      known.set(signature, layout);
    }
    return layout;
  };
}

function extraText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface JsonSource {
  sourceName: string;
  form: LineForm;
  /** The invoice the rows were asked for, when they were (a billed export or v1 call for one invoice). */
  invoiceNumber?: string | null;
}

async function* readJsonRows(rows: Rows<JsonRow>, source: JsonSource): AsyncIterable<CostLine> {
  const spec = formSpecOf(source.form);
  const layoutOf = layouts(spec);
  const deliveredFor = source.invoiceNumber ?? null;
  let line = 0;
  for await (const row of rows) {
    line += 1;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new ImportFileError(source.sourceName, line, null, 'is not a JSON object');
    }
    const layout = layoutOf(row);
    if (layout.missing !== undefined) {
      const attribute = layout.missing.charAt(0).toLowerCase() + layout.missing.slice(1);
      throw new ImportFileError(
        source.sourceName,
        line,
        attribute,
        `is missing: a ${spec.title} line has it`,
      );
    }
    const sourceRow: SourceRow = {
      sourceName: source.sourceName,
      line,
      dates: 'json',
      value: (column) => {
        const key = layout.keyOf.get(column);
        return key === undefined ? undefined : row[key];
      },
      nameOf: (column) => layout.keyOf.get(column) ?? column,
      extra: () =>
        layout.extras.length === 0
          ? null
          : Object.fromEntries(layout.extras.map((name) => [name, extraText(row[name])])),
    };
    yield costLineOf(spec, sourceRow, deliveredFor);
  }
}

export interface JsonReadOptions {
  /**
   * The invoice the rows were asked for (a billed export or v1 call for one invoice): rows of another
   * invoice are refused, and legacy licence items, which carry none, get it.
   */
  invoiceNumber?: string | null;
}

/**
 * Rows of a Microsoft Graph billing export (§2.8.2: JSON lines, the CSV columns in camelCase, dates ISO
 * 8601) as CostLines; a row's line is its 1-based place in `rows`.
 */
export function readGraphExportRows(
  rows: Rows<JsonRow>,
  blobName: string,
  form: 'billed_recon' | 'daily_usage',
  options: JsonReadOptions = {},
): AsyncIterable<CostLine> {
  return readJsonRows(rows, { sourceName: blobName, form, invoiceNumber: options.invoiceNumber ?? null });
}

/** The bodies of parsed rows, as Microsoft sent them. */
export async function* bodiesOf(items: Rows<{ raw: JsonRow }>): AsyncIterable<JsonRow> {
  for await (const item of items) yield item.raw;
}

/**
 * v1 invoice line items as the billing client reads them (§2.8.1: `OneTimeInvoiceLineItem` →
 * billed_recon, `DailyRatedUsageLineItem` → daily_usage, `LicenseBasedLineItem` → legacy_license,
 * `UsageBasedLineItem` → legacy_usage), from their JSON body (`raw`), so that they read exactly as the
 * same lines from a file or an export do.
 */
export function readV1LineItems(
  items: Rows<{ raw: JsonRow }>,
  sourceName: string,
  form: LineForm,
  options: JsonReadOptions = {},
): AsyncIterable<CostLine> {
  return readJsonRows(bodiesOf(items), { sourceName, form, invoiceNumber: options.invoiceNumber ?? null });
}
