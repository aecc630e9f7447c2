import { useEffect, useRef } from 'react';
import { type Locale, SUPPORTED_LOCALES, useI18n } from '../../../lib/i18n.tsx';
import { useMe, useUpdateMe } from '../api/me.ts';

function asLocale(language: string | null | undefined): Locale | undefined {
  return SUPPORTED_LOCALES.find((locale) => locale === language);
}

/**
 * Keeps the page language and the signed-in person's saved language together: the app adopts the saved
 * one when it arrives, and a language chosen afterwards (with the header's switcher) is saved.
 */
export function LanguageSync() {
  const { locale, setLocale } = useI18n();
  const { data: me } = useMe();
  const updateMe = useUpdateMe();
  const signedIn = me?.step === 'done';
  const saved = signedIn ? asLocale(me.language) : undefined;

  // Adopt a saved language once per value (and per session), so a later switch is not undone before
  // it is saved.
  const adopted = useRef<Locale | undefined>(undefined);
  useEffect(() => {
    if (adopted.current === saved) return;
    adopted.current = saved;
    if (saved !== undefined && saved !== locale) setLocale(saved);
  }, [saved, locale, setLocale]);

  // A change of language that is not the adoption above is the person's own choice.
  const shown = useRef(locale);
  const { mutate: save } = updateMe;
  useEffect(() => {
    const before = shown.current;
    shown.current = locale;
    if (before !== locale && signedIn && locale !== saved) save({ language: locale });
  }, [locale, signedIn, saved, save]);

  return null;
}
