import { invalid } from '#platform/errors';
import { type Locale, SUPPORTED_LOCALES } from '#platform/i18n';

/**
 * Parsers of the plain values partners and customers are made of. Each returns the value in its stored
 * form or throws an `invalid` error naming the field, so a request, a CLI option and an import all get
 * the same message.
 */

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
// Unicode letters are allowed on both sides: Chinese and Russian customers use internationalised addresses.
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;
const PHONE = /^\+?[0-9 ()./-]{3,40}$/;
const COLOR = /^#[0-9a-f]{6}$/;

export function parseSlug(value: unknown, field = 'slug'): string {
  if (typeof value !== 'string' || !SLUG.test(value)) {
    throw invalid(
      'invalid-slug',
      `${field} must be 2 to 63 lower-case letters, digits or hyphens, starting with a letter or digit`,
      { field },
    );
  }
  return value;
}

/** Trimmed, non-empty text of at most `max` characters. */
export function parseText(value: unknown, field: string, max = 200): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw invalid('required', `${field} is required`, { field });
  if (text.length > max) throw invalid('too-long', `${field} must be at most ${max} characters`, { field });
  return text;
}

/** `null`, `undefined` and blank text clear an optional value; anything else must parse. */
export function parseOptional<T>(value: unknown, parse: (value: unknown) => T): T | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return null;
  return parse(value);
}

export function parseLanguage(value: unknown, field = 'language'): Locale {
  if (!SUPPORTED_LOCALES.includes(value as Locale)) {
    throw invalid('unsupported-language', `${field} must be one of ${SUPPORTED_LOCALES.join(', ')}`, {
      field,
    });
  }
  return value as Locale;
}

export function parseEmailAddress(value: unknown, field: string): string {
  const address = typeof value === 'string' ? value.trim() : '';
  if (address.length > 254 || !EMAIL.test(address)) {
    throw invalid('invalid-email', `${field} must be an e-mail address such as billing@contoso.com`, {
      field,
    });
  }
  return address;
}

export function parsePhone(value: unknown, field: string): string {
  const phone = typeof value === 'string' ? value.trim() : '';
  if (!PHONE.test(phone) || !/\d/.test(phone)) {
    throw invalid('invalid-phone', `${field} must be a telephone number such as +36 1 234 5678`, { field });
  }
  return phone;
}

/** An absolute http(s) address. */
export function parseWebAddress(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || text.length > 2000) {
    throw invalid('invalid-url', `${field} must be a web address starting with https://`, { field });
  }
  return url.href;
}

/** `#rrggbb`, stored in lower case. */
export function parseColor(value: unknown, field: string): string {
  const color = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!COLOR.test(color)) {
    throw invalid('invalid-color', `${field} must be a colour written #rrggbb, such as #1c7ed6`, { field });
  }
  return color;
}

export function parseWholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid('out-of-range', `${field} must be a whole number from ${min} to ${max}`, { field });
  }
  return value;
}

/** One of a fixed set of words (a kind, a status). */
export function parseChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw invalid('invalid-choice', `${field} must be one of ${choices.join(', ')}`, { field });
  }
  return value as T;
}

/** The values of `proposed` that differ from `current`, before and after: what an audit event records. */
export function changedValues<T extends object>(
  current: Record<keyof T, unknown>,
  proposed: Partial<T>,
): { before: Partial<Record<keyof T, unknown>>; after: Partial<T> } {
  const before: Partial<Record<keyof T, unknown>> = {};
  const after: Partial<T> = {};
  for (const name of Object.keys(proposed) as (keyof T)[]) {
    const value = proposed[name];
    if (value === undefined || value === current[name]) continue;
    before[name] = current[name];
    after[name] = value;
  }
  return { before, after };
}

type Parsers = Record<string, (value: unknown) => unknown>;

/** The fields of `input` that are given (not undefined), each checked by its parser; for creates and patches. */
export function parseGiven<P extends Parsers>(
  input: { [K in keyof P]?: unknown },
  parsers: P,
): { [K in keyof P]?: ReturnType<P[K]> } {
  const parsed: { [K in keyof P]?: ReturnType<P[K]> } = {};
  for (const name of Object.keys(parsers) as (keyof P)[]) {
    if (input[name] !== undefined) parsed[name] = parsers[name]!(input[name]) as ReturnType<P[typeof name]>;
  }
  return parsed;
}
