import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Decimal } from 'decimal.js';

/**
 * For tests: reconciliation files written as Partner Center's download writes them, from the headers the
 * reference transcribed (partner-center-data/derived/, documented column order) — not from the readers'
 * own tables — and from JSON rows (v1 line items, doc samples): month/day/year dates, plain amounts.
 */
export const referenceData = new URL('../../../../../shared/reference/partner-center-data/', import.meta.url);

export const documentedFiles = {
  billed_recon: 'nce-invoice-reconciliation__columns-and-doc-sample-values.csv',
  daily_usage: 'nce-daily-rated-usage__columns-as-documented.csv',
  legacy_license: 'legacy-license-based-reconciliation__columns-and-doc-sample-values.csv',
  legacy_usage: 'legacy-usage-based-reconciliation__columns-and-doc-sample-values.csv',
} as const;

export function derivedFile(name: string): string {
  return readFileSync(new URL(`derived/${name}`, referenceData), 'utf8');
}

export function docSample(name: string): Record<string, unknown>[] {
  const body = JSON.parse(readFileSync(new URL(`partner-center-docs/${name}`, referenceData), 'utf8'));
  return body.items;
}

/** The documented header of a form, in document order. */
export function documentedHeader(form: keyof typeof documentedFiles): string[] {
  return derivedFile(documentedFiles[form]).split(/\r?\n/)[0]!.split(',');
}

/** Where a column's value sits in a JSON line when its name is not the column's in camelCase (§3, §7). */
const jsonNames: Record<string, string[]> = {
  Total: ['totalForCustomer', 'total'],
  ResellerMPNID: ['resellerMpnId', 'tier2MpnId'],
  Unit: ['unitOfMeasure', 'unit'],
  PartnerEarnedCreditPercentage: ['rateOfPartnerEarnedCredit', 'partnerEarnedCreditPercentage'],
  CreditPercentage: ['rateOfCredit', 'creditPercentage'],
};

function jsonValue(row: Record<string, unknown>, header: string): unknown {
  const wanted = (jsonNames[header] ?? [header]).map((name) => name.toLowerCase());
  for (const name of wanted) {
    const key = Object.keys(row).find((candidate) => candidate.toLowerCase() === name);
    if (key !== undefined) return row[key];
  }
  return undefined;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+Z?$/;

/** A JSON value as Partner Center's CSV writes it. */
export function csvText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return new Decimal(value).toFixed();
  if (typeof value !== 'string') return JSON.stringify(value);
  const date = isoDate.exec(value);
  return date ? `${Number(date[2])}/${Number(date[3])}/${date[1]}` : value;
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A whole file: the header, then one line per JSON row. */
export function csvOf(header: readonly string[], rows: Iterable<Record<string, unknown>>): string {
  let text = csvLine(header);
  for (const row of rows) text += csvLine(header.map((column) => csvText(jsonValue(row, column))));
  return text;
}

/** A stream of the text in small chunks, as a file or an upload arrives. */
export function streamOf(content: string | Buffer, chunkSize = 64): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return Readable.from(
    (function* () {
      for (let start = 0; start < bytes.length; start += chunkSize)
        yield bytes.subarray(start, start + chunkSize);
    })(),
  );
}
