import { parseDecimal } from '#platform/money';

/**
 * Readers of one value of a Microsoft file or row: amounts as exact decimal strings in one canonical
 * spelling (so `"16"`, `16` and `"16.00"` read alike from CSV, Graph and v1), dates as `yyyy-mm-dd`.
 * A value that cannot be read throws a `FieldProblem`; the caller adds the file, line and column.
 */
export class FieldProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldProblem';
  }
}

const plainDecimal = /^-?\d+(?:\.\d+)?$/;
// en-US thousands separators, as the documented worked examples write totals ("1,209.6"); a decimal
// comma ("0,5") is refused: the reference says amounts must not be re-read in another locale.
const groupedDecimal = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** `0.0960` → `0.096`, `007` → `7`, `-0.0` → `0`: the value exactly, in one spelling. */
function canonical(text: string): string {
  if (!plainDecimal.test(text)) {
    const decimal = parseDecimal(text);
    return decimal.isZero() ? '0' : decimal.toFixed();
  }
  const negative = text.startsWith('-');
  let digits = negative ? text.slice(1) : text;
  if (digits.includes('.')) digits = digits.replace(/0+$/, '').replace(/\.$/, '');
  digits = digits.replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/**
 * An amount as Microsoft writes it: plain (`-94.2`, `4.8E-05`), with en-US thousands separators, or
 * with the `$` the legacy usage file's documented samples carry (`$0.0808`).
 */
export function readAmount(text: string): string {
  const unsigned = text.replace(/^(-?)\$/, '$1');
  if (groupedDecimal.test(unsigned)) return canonical(unsigned.replaceAll(',', ''));
  try {
    return canonical(unsigned.startsWith('+') ? unsigned.slice(1) : unsigned);
  } catch {
    throw new FieldProblem(`"${text}" is not an amount (write it as 1234.56)`);
  }
}

/** A JSON amount: a number (read from its shortest exact text) or text as in a file. */
export function readJsonAmount(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FieldProblem(`${value} is not an amount`);
    return canonical(String(value));
  }
  if (typeof value === 'string') return readAmount(value);
  throw new FieldProblem(`${JSON.stringify(value)} is not an amount`);
}

const monthDayYear =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])[Mm])?)?$/;
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date, checked: no 2/30, no hour 25. */
function calendarDate(text: string, year: number, month: number, day: number, hour: number, minute: number) {
  if (month < 1 || month > 12) {
    throw new FieldProblem(`"${text}" has no month ${month}: dates are month/day/year`);
  }
  if (day < 1 || day > daysIn(year, month)) {
    throw new FieldProblem(`"${text}" is not a date: ${year}-${pad(month)} has no day ${day}`);
  }
  if (hour > 23 || minute > 59) throw new FieldProblem(`"${text}" has no such time of day`);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** ISO 8601, as JSON writes dates; an instant with an offset is taken on its UTC day (Microsoft's). */
export function readIsoDate(text: string): string {
  const match = isoDateTime.exec(text);
  if (!match)
    throw new FieldProblem(`"${text}" is not an ISO 8601 date (2020-09-30 or 2020-09-30T00:00:00Z)`);
  const [, year, month, day, hour = '0', minute = '0', , offset] = match;
  const date = calendarDate(text, Number(year), Number(month), Number(day), Number(hour), Number(minute));
  if (offset === undefined || offset === 'Z' || /^[+-]00:?00$/.test(offset)) return date;
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2)));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  return new Date(utc - offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * A date in a Partner Center CSV file: month/day/year (`9/30/2020`, `2/28/2019 23:59`, `2/1/2019 12:00 AM`)
 * as the reference says the files are written; ISO 8601 is unambiguous and read too. Anything else
 * (`30.09.2020`, `2020/09/30`, two-digit years) is refused rather than guessed at.
 */
export function readCsvDate(text: string): string {
  const match = monthDayYear.exec(text);
  if (!match) {
    if (/^\d{4}-/.test(text)) return readIsoDate(text);
    throw new FieldProblem(`"${text}" is not a date written month/day/year (such as 9/30/2020)`);
  }
  const [, month, day, year, hourText = '0', minute = '0', , meridiem] = match;
  let hour = Number(hourText);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new FieldProblem(`"${text}" has no such time of day`);
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return calendarDate(text, Number(year), Number(month), Number(day), hour, Number(minute));
}

/** The first day of the date's month: the billing month a line belongs to. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}
