import { useMemo } from 'react';
import { useI18n } from '../../lib/i18n.tsx';

export interface VendorFormats {
  /** An exact decimal string in its currency, e.g. `1 234,56 €`; the string is formatted, never summed. */
  money: (amount: string, currency: string) => string;
  /** A calendar day `yyyy-mm-dd`, e.g. `8 Dec 2025`. */
  day: (date: string) => string;
  /** Two calendar days as one span, e.g. `Sep 1 – 30, 2026`; one day when they are the same. */
  dayRange: (from: string, to: string) => string;
  /** A short day without the year, for chart axes: `8 Dec`. */
  shortDay: (date: string) => string;
  /** A billing month `yyyy-mm`, e.g. `November 2025`. */
  month: (period: string) => string;
  /** An instant, e.g. when an import started. */
  instant: (iso: string) => string;
  bytes: (count: number) => string;
}

// Dates of Microsoft's bills are calendar days: read as UTC midnight they show as the same day everywhere.
const utcDay = (date: string) => new Date(`${date.slice(0, 10)}T00:00:00Z`);

export function useVendorFormats(): VendorFormats {
  const { locale } = useI18n();
  return useMemo(() => {
    const currencies = new Map<string, Intl.NumberFormat>();
    const currencyFormat = (currency: string) => {
      let format = currencies.get(currency);
      if (!format) {
        // Amounts keep the digits Microsoft sent (usage lines carry more than two).
        format = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 6 });
        currencies.set(currency, format);
      }
      return format;
    };
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const shortDay = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const instant = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const bytes = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'kilobyte',
      maximumFractionDigits: 1,
    });
    const megabytes = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    });
    return {
      // Intl formats a decimal string exactly (no trip through a binary float).
      money: (amount, currency) => currencyFormat(currency).format(amount as Intl.StringNumericLiteral),
      day: (date) => day.format(utcDay(date)),
      dayRange: (from, to) => day.formatRange(utcDay(from), utcDay(to)),
      shortDay: (date) => shortDay.format(utcDay(date)),
      month: (period) => month.format(utcDay(`${period.slice(0, 7)}-01`)),
      instant: (iso) => instant.format(new Date(iso)),
      bytes: (count) =>
        count >= 1024 * 1024 ? megabytes.format(count / 1024 / 1024) : bytes.format(count / 1024),
    };
  }, [locale]);
}

/** The sign of an exact decimal string, read without turning it into a float. */
export const isNegative = (amount: string) => amount.trim().startsWith('-');
export const isZero = (amount: string) => /^-?0*(?:\.0*)?$/.test(amount.trim());
