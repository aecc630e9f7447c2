import { NativeSelect } from '@mantine/core';
import { LOCALE_NAMES, SUPPORTED_LOCALES } from '../../../lib/i18n.tsx';

interface LanguageSelectProps {
  label: string;
  /** What choosing no language means here (follow the browser; the organisation's default). */
  noneLabel: string;
  /** '' for none. */
  value: string;
  onChange: (value: string) => void;
}

/** A person's language: one of the five, each under its own name, or none. */
export function LanguageSelect({ label, noneLabel, value, onChange }: LanguageSelectProps) {
  const data = [
    { value: '', label: noneLabel },
    ...SUPPORTED_LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] })),
  ];
  return (
    <NativeSelect
      label={label}
      data={data}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}
