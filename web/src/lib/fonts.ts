import type { Locale } from '../../../src/platform/i18n/catalog.ts';

// A Chinese face's font-face list alone is about 60 kB gzipped, so only a page in Chinese loads one.
const chineseFaces: Partial<Record<Locale, () => Promise<unknown>>> = {
  'zh-Hans': () =>
    Promise.all([import('@fontsource/noto-sans-sc/400.css'), import('@fontsource/noto-sans-sc/600.css')]),
  'zh-Hant': () =>
    Promise.all([import('@fontsource/noto-sans-tc/400.css'), import('@fontsource/noto-sans-tc/600.css')]),
};

/**
 * Other pages still show Chinese names (a Taiwanese reseller, a Shanghai customer): they get the
 * Simplified face's regular weight as a fallback, whose pieces load only when such text is on screen.
 */
const chineseFallback = () => import('@fontsource/noto-sans-sc/400.css');

/** Loads the font faces a locale needs beyond the Noto Sans that every page has. */
export async function loadFonts(locale: Locale): Promise<void> {
  await (chineseFaces[locale] ?? chineseFallback)();
}
