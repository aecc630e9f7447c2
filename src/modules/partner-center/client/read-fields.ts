import { parseDecimal } from '#platform/money';

/**
 * Tolerant readers of one field of a Microsoft body, shared by every resource the client reads
 * (reference/partner-center.md §2.3–2.11): property names in any casing (the PATCH samples use `Id`,
 * `Status`), numbers and booleans as text, enums as words or SDK numbers, optional fields missing. What
 * cannot be used is rejected with the path of the offending field (`items[3].quantity`).
 */
export type JsonObject = Record<string, unknown>;

export class ResourceParseError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path || 'the body'} ${reason}`);
    this.name = 'ResourceParseError';
    this.path = path;
    this.reason = reason;
  }
}

/** A value as an error message shows it: short, and never a whole nested body. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function objectAt(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResourceParseError(path, `is ${describe(value)}, expected an object`);
  }
  return value as JsonObject;
}

export function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** The key under which `name` appears, whatever its casing. */
export function keyOf(body: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(body, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(body).find((key) => key.toLowerCase() === lower);
}

/** The value of `name` in any casing, with the path to report it under. */
export function field(body: JsonObject, name: string, path: string): [unknown, string] {
  const key = keyOf(body, name);
  return [key === undefined ? undefined : body[key], join(path, name)];
}

export function optionalObject(
  body: JsonObject,
  name: string,
  path: string,
): { body: JsonObject; path: string } | undefined {
  const [value, at] = field(body, name, path);
  return value == null ? undefined : { body: objectAt(value, at), path: at };
}

export function optionalText(body: JsonObject, name: string, path: string): string | undefined {
  const [value, at] = field(body, name, path);
  if (value == null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ResourceParseError(at, `is ${describe(value)}, expected text`);
}

export function requiredText(body: JsonObject, name: string, path: string): string {
  const text = optionalText(body, name, path);
  if (text === undefined || text === '') throw new ResourceParseError(join(path, name), 'is missing');
  return text;
}

/** Lower-case words of an open set (`billingType`, `operationType`): new values are kept. */
export function optionalKeyword(body: JsonObject, name: string, path: string): string | undefined {
  return optionalText(body, name, path)?.toLowerCase();
}

export function optionalList(body: JsonObject, name: string, path: string): unknown[] {
  const [value, at] = field(body, name, path);
  if (value == null) return [];
  if (!Array.isArray(value)) throw new ResourceParseError(at, `is ${describe(value)}, expected a list`);
  return value;
}

export function optionalTextList(body: JsonObject, name: string, path: string): string[] {
  const [value, at] = field(body, name, path);
  if (value == null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new ResourceParseError(at, `is ${describe(value)}, expected a list of text`);
  }
  return value;
}

export function optionalCount(body: JsonObject, name: string, path: string): number | undefined {
  const [value, at] = field(body, name, path);
  if (value == null || value === '') return undefined;
  const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ResourceParseError(at, `is ${describe(value)}, expected a whole number of at least 0`);
  }
  return count;
}

export function requiredCount(body: JsonObject, name: string, path: string): number {
  const count = optionalCount(body, name, path);
  if (count === undefined) throw new ResourceParseError(join(path, name), 'is missing');
  return count;
}

/** An exact decimal in plain notation (`"12.50"`); a JSON number is read from its shortest exact text. */
export function optionalDecimal(body: JsonObject, name: string, path: string): string | undefined {
  const [value, at] = field(body, name, path);
  if (value == null || value === '') return undefined;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  try {
    return parseDecimal(text).toFixed();
  } catch {
    throw new ResourceParseError(at, `is ${describe(value)}, expected a decimal number`);
  }
}

export function requiredDecimal(body: JsonObject, name: string, path: string): string {
  const decimal = optionalDecimal(body, name, path);
  if (decimal === undefined) throw new ResourceParseError(join(path, name), 'is missing');
  return decimal;
}

export function optionalBoolean(body: JsonObject, name: string, path: string): boolean | undefined {
  const [value, at] = field(body, name, path);
  if (value == null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw new ResourceParseError(at, `is ${describe(value)}, expected true or false`);
}

// The subscription list sample writes "2015-11-25T06: 41: 12Z": spaces are dropped before checking.
const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** ISO 8601 dates stay text: Partner Center's 7-digit fractions and `9999-12-…` do not fit a Date. */
export function optionalDate(body: JsonObject, name: string, path: string): string | undefined {
  const [value, at] = field(body, name, path);
  if (value == null || value === '') return undefined;
  const text = typeof value === 'string' ? value.replace(/\s+/g, '') : undefined;
  if (text === undefined || !isoDate.test(text)) {
    throw new ResourceParseError(at, `is ${describe(value)}, expected an ISO 8601 date`);
  }
  return text;
}

export function requiredDate(body: JsonObject, name: string, path: string): string {
  const date = optionalDate(body, name, path);
  if (date === undefined) throw new ResourceParseError(join(path, name), 'is missing');
  return date;
}

/** One of `values`, written in any casing with or without `_`, or as its number in `byNumber`. */
export function optionalEnum<T extends string>(
  body: JsonObject,
  name: string,
  path: string,
  values: readonly T[],
  byNumber: readonly T[],
): T | undefined {
  const [value, at] = field(body, name, path);
  if (value == null || value === '') return undefined;
  const found =
    typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
      ? byNumber[Number(value)]
      : typeof value === 'string'
        ? values.find((known) => known.replaceAll('_', '') === value.toLowerCase().replaceAll('_', ''))
        : undefined;
  if (found === undefined) {
    throw new ResourceParseError(at, `is ${describe(value)}, expected one of ${values.join(', ')}`);
  }
  return found;
}

export function requiredEnum<T extends string>(
  body: JsonObject,
  name: string,
  path: string,
  values: readonly T[],
  byNumber: readonly T[],
): T {
  const found = optionalEnum(body, name, path, values, byNumber);
  if (found === undefined) throw new ResourceParseError(join(path, name), 'is missing');
  return found;
}
