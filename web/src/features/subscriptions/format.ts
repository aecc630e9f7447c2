import { useMemo } from 'react';
import { useI18n } from '../../lib/i18n.tsx';
import type { ChangeStatus, Subscription } from './api.ts';

type Translate = ReturnType<typeof useI18n>['t'];

/**
 * Term ends and billing dates are calendar dates that Partner Center sends as midnight UTC: read in the
 * browser's zone they would fall a day early west of Greenwich, so they are shown as UTC days.
 */
export function useCalendarDate(): (iso: string) => string {
  const { locale } = useI18n();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}

/** `P1M`, `P1Y`, `P3Y` as words; anything else as Partner Center wrote it. */
export function termText(t: Translate, termDuration: string | null): string | null {
  if (termDuration === null) return null;
  const match = /^P(\d+)([MY])$/.exec(termDuration);
  if (!match) return termDuration;
  const count = Number(match[1]);
  return match[2] === 'Y'
    ? t('subscriptions.term.years', { count })
    : t('subscriptions.term.months', { count });
}

export function billingCycleText(t: Translate, billingCycle: string | null): string | null {
  if (billingCycle === null || billingCycle === 'unknown') return null;
  // ICU select keys cannot hold the underscore of `one_time`.
  return t('subscriptions.billingCycle', { cycle: billingCycle === 'one_time' ? 'oneTime' : billingCycle });
}

/** Partner Center's unit words (`Licenses`, `Usage-based`) in the page's language; others as sent. */
export function unitText(t: Translate, unitType: string): string {
  const known: Record<string, string> = { licenses: 'licenses', 'usage-based': 'usageBased' };
  return t('subscriptions.unitType', { unit: known[unitType.toLowerCase()] ?? unitType });
}

/** Microsoft codes whose advice the catalog words; for others the server's English advice stands. */
const ADVISED = new Set(['2055', '800082', '900115', '900278', '900329']);

export function adviceText(
  t: Translate,
  change: { errorCode: string | null; advice?: string | null },
): string | null {
  if (change.errorCode !== null && ADVISED.has(change.errorCode)) {
    return t(`subscriptions.advice.code${change.errorCode}`);
  }
  return change.advice ?? null;
}

/** The scheduled change, in short: what the next term becomes. */
export function scheduledChangeText(t: Translate, changes: Subscription['scheduledChanges']): string | null {
  if (!changes) return null;
  const product = (changes.product ?? {}) as Record<string, unknown>;
  const quantity = typeof changes.quantity === 'number' ? changes.quantity : null;
  const term = typeof product.termDuration === 'string' ? termText(t, product.termDuration) : null;
  const cycle = typeof product.billingCycle === 'string' ? billingCycleText(t, product.billingCycle) : null;
  const parts = [quantity === null ? null : t('subscriptions.quantity', { quantity }), term, cycle].filter(
    (part): part is string => part !== null,
  );
  return parts.length === 0
    ? t('subscriptions.scheduled.other')
    : t('subscriptions.scheduled.nextTerm', { change: parts.join(' · ') });
}

export const STATUS_COLOR: Record<Subscription['status'], string> = {
  active: 'teal',
  suspended: 'orange',
  pending: 'blue',
  expired: 'gray',
  disabled: 'red',
  deleted: 'gray',
};

export const CHANGE_COLOR: Record<ChangeStatus, string> = {
  requested: 'blue',
  pending: 'blue',
  waiting: 'yellow',
  succeeded: 'teal',
  failed: 'red',
  declined: 'red',
};
