/**
 * Server side of i18n: the five catalogs of `locales/`, read once at start, and a translator per locale
 * (and time zone). The browser-safe part lives in catalog.ts and is re-exported here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

function readCatalogFile(path: string): Messages {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
  const flat =
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.values(data).every((message) => typeof message === 'string');
  if (!flat) throw new Error(`${path}: a catalog is one flat JSON object of key → ICU message`);
  return data as Messages;
}

const localesDir = fileURLToPath(new URL('../../../locales', import.meta.url));

/**
 * Each locale is a folder of files, one per area (`locales/ru/identity.json`), so every module owns its
 * own messages; together they make one catalog, and a key defined in two files is an error.
 */
function readCatalogFiles(locale: Locale): Record<string, Messages> {
  const dir = join(localesDir, locale);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  return Object.fromEntries(
    files.map((file) => [file.replace(/\.json$/, ''), readCatalogFile(join(dir, file))]),
  );
}

function merge(locale: Locale, files: Record<string, Messages>): Messages {
  const merged: Record<string, string> = {};
  const owner = new Map<string, string>();
  for (const [area, messages] of Object.entries(files)) {
    for (const [key, message] of Object.entries(messages)) {
      if (owner.has(key))
        throw new Error(`locales/${locale}: ${key} is in both ${owner.get(key)}.json and ${area}.json`);
      owner.set(key, area);
      merged[key] = message;
    }
  }
  return merged;
}

/** Every locale's catalog files by area, as on disk. */
export const catalogFiles: Readonly<Record<Locale, Record<string, Messages>>> = Object.fromEntries(
  SUPPORTED_LOCALES.map((locale) => [locale, readCatalogFiles(locale)]),
) as Record<Locale, Record<string, Messages>>;

export const catalogs: Readonly<Record<Locale, Messages>> = Object.fromEntries(
  SUPPORTED_LOCALES.map((locale) => [locale, merge(locale, catalogFiles[locale])]),
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
