/**
 * Server side of i18n: the five catalogs of `locales/`, read once at start, and a translator per locale
 * (and time zone). The browser-safe part lives in catalog.ts and is re-exported here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createTranslator,
  type Locale,
  type Messages,
  SUPPORTED_LOCALES,
  type Translate,
  type TranslatorOptions,
} from './catalog.ts';

export {
  createTranslator,
  DEFAULT_LOCALE,
  LOCALE_NAMES,
  type Locale,
  type LocaleChoices,
  type Messages,
  type MessageValues,
  negotiateLocale,
  normalizeLocale,
  SUPPORTED_LOCALES,
  type Translate,
  type TranslatorOptions,
} from './catalog.ts';

function readCatalog(locale: Locale): Messages {
  const url = new URL(`../../../locales/${locale}.json`, import.meta.url);
  const file = fileURLToPath(url);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(url, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  const flat =
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.values(data).every((message) => typeof message === 'string');
  if (!flat) throw new Error(`${file}: a catalog is one flat JSON object of key → ICU message`);
  return data as Messages;
}

export const catalogs: Readonly<Record<Locale, Messages>> = Object.fromEntries(
  SUPPORTED_LOCALES.map((locale) => [locale, readCatalog(locale)]),
) as Record<Locale, Messages>;

const translators = new Map<string, Translate>();

/** The shared translator of a locale; pass the partner's time zone when a message formats dates. */
export function translator(locale: Locale, options: TranslatorOptions = {}): Translate {
  const id = `${locale} ${options.timeZone ?? ''}`;
  let translate = translators.get(id);
  if (!translate) {
    translate = createTranslator(locale, catalogs[locale], options);
    translators.set(id, translate);
  }
  return translate;
}
