import {
  createContext,
  type ReactNode,
  startTransition,
  use,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import {
  createTranslator,
  type Locale,
  type Messages,
  negotiateLocale,
  type Translate,
} from '../../../src/platform/i18n/catalog.ts';
import { loadFonts } from './fonts.ts';

export { LOCALE_NAMES, type Locale, SUPPORTED_LOCALES } from '../../../src/platform/i18n/catalog.ts';

// The catalogs also carry the server's mail and PDF texts, so each one loads only when chosen.
// Each locale is a folder with one file per area (see src/platform/i18n); a locale loads all of its files.
const catalogFiles = import.meta.glob<Messages>('../../../locales/*/*.json', { import: 'default' });
const loaded = new Map<Locale, Promise<Messages>>();

/** A locale's catalog, once its fonts are in too, so a switch changes text and typeface together. */
function loadLocale(locale: Locale): Promise<Messages> {
  let messages = loaded.get(locale);
  if (!messages) {
    const files = Object.entries(catalogFiles)
      .filter(([path]) => path.startsWith(`../../../locales/${locale}/`))
      .map(([, load]) => load());
    if (files.length === 0) throw new Error(`No catalog files for locale ${locale}`);
    messages = Promise.all([Promise.all(files), loadFonts(locale)]).then(([catalogs]) =>
      Object.assign({}, ...catalogs),
    );
    // A failed load is not kept, so choosing the language again tries again.
    messages.catch(() => loaded.delete(locale));
    loaded.set(locale, messages);
  }
  return messages;
}

const STORAGE_KEY = 'partnerdesk.locale';

/** The language chosen earlier in this browser, else the best match for the browser's languages. */
function initialLocale(): Locale {
  return negotiateLocale({
    user: window.localStorage.getItem(STORAGE_KEY),
    acceptLanguage: navigator.languages.join(','),
  });
}

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** Suspends until the first catalog is loaded. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState(initialLocale);
  const messages = use(loadLocale(locale));
  const t = useMemo(() => createTranslator(locale, messages), [locale, messages]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.name');
  }, [locale, t]);

  // Loads before switching, so a catalog that cannot be fetched leaves the page as it was (the
  // rejection still reaches the console) instead of taking the whole app down.
  const setLocale = useCallback((next: Locale) => {
    void loadLocale(next).then(() => {
      window.localStorage.setItem(STORAGE_KEY, next);
      startTransition(() => setLocaleState(next));
    });
  }, []);

  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() needs an <I18nProvider> above it');
  return i18n;
}
