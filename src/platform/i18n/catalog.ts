/**
 * Locales, language negotiation and message formatting. Browser-safe: the web app imports this file by
 * relative path together with the JSON catalogs, so nothing here may touch `node:` modules.
 */
import { type Formatters, IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';

export const SUPPORTED_LOCALES = ['en', 'zh-Hans', 'zh-Hant', 'hu', 'ru'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, as a language switcher shows it. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
  hu: 'Magyar',
  ru: 'Русский',
};

/** One catalog: message key → ICU message. */
export type Messages = Readonly<Record<string, string>>;
export type MessageValues = Readonly<Record<string, PrimitiveType>>;
export type Translate = (key: string, values?: MessageValues) => string;

export interface TranslatorOptions {
  /** IANA zone for `{x, date}` / `{x, time}`; without it the runtime's own zone is used. */
  timeZone?: string;
}

const TRADITIONAL_CHINESE_REGIONS = new Set(['TW', 'HK', 'MO']);

/** Maps a BCP 47 tag (or a POSIX name such as `ru_RU.UTF-8`) to a supported locale. */
export function normalizeLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  // POSIX names (from LANG) carry an encoding or modifier after the tag and use '_' as the separator.
  const bcp47 = tag
    .trim()
    .replace(/[.@].*$/, '')
    .replaceAll('_', '-');
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(bcp47);
  } catch {
    return undefined;
  }
  switch (locale.language) {
    case 'en':
    case 'hu':
    case 'ru':
      return locale.language;
    case 'zh':
      if (locale.script === undefined) {
        return TRADITIONAL_CHINESE_REGIONS.has(locale.region ?? '') ? 'zh-Hant' : 'zh-Hans';
      }
      return locale.script === 'Hant' ? 'zh-Hant' : 'zh-Hans';
    default:
      return undefined;
  }
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** RFC 9110 Accept-Language: ranges by falling quality, header order kept among equals; bad q drops a range. */
function parseAcceptLanguage(header: string): { range: string; q: number }[] {
  const ranges: { range: string; q: number }[] = [];
  for (const item of header.split(',')) {
    const [range = '', ...params] = item.split(';').map((part) => part.trim());
    let q = 1;
    let valid = range !== '';
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((part) => part.trim());
      if (name.toLowerCase() !== 'q') continue;
      valid &&= QVALUE.test(value);
      q = Number(value);
    }
    if (valid) ranges.push({ range, q });
  }
  return ranges.sort((a, b) => b.q - a.q);
}

export interface LocaleChoices {
  /** The signed-in user's own setting. */
  user?: string | null;
  acceptLanguage?: string | null;
  partnerDefault?: string | null;
}

/**
 * The user's setting first, then the Accept-Language header by quality, then the partner's default, then
 * English. A `*` range stands for the partner default and English (unless the header names them), and a
 * locale the header refuses with q=0 is passed over while another choice remains.
 */
export function negotiateLocale({ user, acceptLanguage, partnerDefault }: LocaleChoices): Locale {
  const own = normalizeLocale(user);
  if (own) return own;
  const partner = normalizeLocale(partnerDefault) ?? DEFAULT_LOCALE;
  const fallbacks = [partner, DEFAULT_LOCALE];

  const quality = new Map<Locale, number>();
  let wildcard: number | undefined;
  for (const { range, q } of parseAcceptLanguage(acceptLanguage ?? '')) {
    if (range === '*') {
      wildcard ??= q;
      continue;
    }
    const locale = normalizeLocale(range);
    // Ranges come best first, so the first mention of a locale carries its highest quality.
    if (locale && !quality.has(locale)) quality.set(locale, q);
  }
  const candidates = [...quality];
  if (wildcard !== undefined) {
    for (const locale of fallbacks) if (!quality.has(locale)) candidates.push([locale, wildcard]);
  }
  // Stable sort: at equal quality a named locale beats the wildcard, and header order is kept.
  candidates.sort((a, b) => b[1] - a[1]);
  const best = candidates.find(([, q]) => q > 0);
  if (best) return best[0];
  const refused = new Set(candidates.map(([locale]) => locale));
  return fallbacks.find((locale) => !refused.has(locale)) ?? partner;
}

/** Intl formatters shared by all messages of one translator; building Intl objects is the costly part. */
function createFormatters(timeZone: string | undefined): Formatters {
  const made = new Map<string, unknown>();
  const once = <T>(id: unknown[], make: () => T): T => {
    const key = JSON.stringify(id);
    if (!made.has(key)) made.set(key, make());
    return made.get(key) as T;
  };
  return {
    getNumberFormat: (locales, options) =>
      once(
        ['number', locales, options],
        () => new Intl.NumberFormat(locales, options as Intl.NumberFormatOptions),
      ),
    getDateTimeFormat: (locales, options) =>
      once(['date', locales, options], () => new Intl.DateTimeFormat(locales, { ...options, timeZone })),
    getPluralRules: (locales, options) =>
      once(['plural', locales, options], () => new Intl.PluralRules(locales, options)),
  };
}

/**
 * `t(key, values)` for one locale's catalog. Messages compile on first use and stay compiled. A key the
 * catalog lacks throws: catalogs are complete, so a missing key is a bug, never text to show.
 */
export function createTranslator(
  locale: Locale,
  messages: Messages,
  options: TranslatorOptions = {},
): Translate {
  const formatters = createFormatters(options.timeZone);
  const compiled = new Map<string, IntlMessageFormat>();
  return (key, values) => {
    let format = compiled.get(key);
    if (!format) {
      if (!Object.hasOwn(messages, key)) throw new Error(`No message "${key}" in the ${locale} catalog`);
      format = new IntlMessageFormat(messages[key] as string, locale, undefined, { formatters });
      compiled.set(key, format);
    }
    // Plain values (no rich-text tag functions) always format to one string.
    return format.format(values) as string;
  };
}
