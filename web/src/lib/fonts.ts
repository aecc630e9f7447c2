import type { Locale } from '../../../src/platform/i18n/catalog.ts';

// A Chinese face's font-face list alone is about 60 kB gzipped, so only a page in Chinese loads one.
const chineseFaces: Partial<Record<Locale, () => Promise<unknown>>> = {
  'zh-Hans': () =>
    Promise.all([import('@fontsource/noto-sans-sc/400.css'), import('@fontsource/noto-sans-sc/600.css')]),
  'zh-Hant': () =>
    Promise.all([import('@fontsource/noto-sans-tc/400.css'), import('@fontsource/noto-sans-tc/600.css')]),
};

/** Loads the font faces a locale needs beyond the Noto Sans that every page has. */
export async function loadFonts(locale: Locale): Promise<void> {
  await chineseFaces[locale]?.();
}
