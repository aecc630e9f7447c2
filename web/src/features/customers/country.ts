import { useMemo } from 'react';
import { useI18n } from '../../lib/i18n.tsx';

/** The country's name in the page's language; the code itself where the browser does not know it. */
export function useCountryName(): (code: string) => string {
  const { locale } = useI18n();
  return useMemo(() => {
    const names = new Intl.DisplayNames(locale, { type: 'region' });
    return (code: string) => names.of(code) ?? code;
  }, [locale]);
}
