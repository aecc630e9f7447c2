import { NativeSelect } from '@mantine/core';
import { LOCALE_NAMES, SUPPORTED_LOCALES, useI18n } from '../lib/i18n.tsx';

const options = SUPPORTED_LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] }));

/** Every language under its own name, so a reader finds theirs whatever the page is in now. */
export function LanguageSwitcher() {
  const { locale, setLocale, t } = useI18n();
  return (
    <NativeSelect
      aria-label={t('shell.language')}
      data-testid="language-switcher"
      data={options}
      value={locale}
      onChange={(event) => {
        const chosen = SUPPORTED_LOCALES.find((supported) => supported === event.currentTarget.value);
        if (chosen) setLocale(chosen);
      }}
    />
  );
}
