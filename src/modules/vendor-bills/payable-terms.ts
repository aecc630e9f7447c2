import type { Decimal } from 'decimal.js';
import type { NotificationValues } from '#modules/notifications';
import { parseDecimal } from '#platform/money';
import { addLocalDays, daysBetween } from '#platform/time';

/*
 * When Microsoft's invoice is due and what happens if it is not paid (reference §5.2): net 60 days from
 * the invoice date unless the partner says otherwise, and Partner Center suspends the partner when the
 * amount is "more than 60 days overdue". Pure: dates are `yyyy-mm-dd` in the partner's time zone.
 */

export const payableStatuses = ['open', 'due_soon', 'overdue', 'paid'] as const;
export type PayableStatus = (typeof payableStatuses)[number];

/** What billing admins are told about an invoice, each at most once; the mail template's own words. */
export type PayableNotice = NotificationValues['vendor-invoice-due']['notice'];
/** Least to most severe. */
export const payableNotices = [
  'due_soon',
  'overdue',
  'suspension_risk',
] as const satisfies readonly PayableNotice[];

/** Partner Center suspends the partner once an amount is more than this many days overdue. */
export const SUSPENSION_AFTER_DAYS_OVERDUE = 60;
/** Billing admins are told when the suspension date is this close. */
export const SUSPENSION_WARNING_DAYS = 14;

export interface PayableFacts {
  documentType: 'invoice' | 'credit_note';
  invoiceDate: string;
  /** The invoice's own terms, else the partner's. */
  termsDays: number;
  /** Microsoft's total, when the connector knows it. */
  total: string | null;
  /** What the current billed lines of the invoice add up to, when there are any. */
  billedLinesTotal: string | null;
  paidAt: string | null;
  paidAmount: string | null;
}

export interface PayableState {
  /** Null for a credit note: Microsoft settles it against the balance, nobody pays it. */
  dueDate: string | null;
  status: PayableStatus;
  daysOverdue: number;
  /** The day Partner Center would suspend the partner if this stays unpaid; null once paid. */
  suspensionDate: string | null;
  /**
   * What is still to pay: Microsoft's total, or (CSV-only partners) the billed lines' sum, less what
   * was paid. Null when neither amount is known yet.
   */
  outstanding: Decimal | null;
}

export function dueDateOf(invoiceDate: string, termsDays: number): string {
  return addLocalDays(invoiceDate, termsDays);
}

/** "More than 60 days overdue": the 61st day after the due date. */
export function suspensionDateOf(dueDate: string): string {
  return addLocalDays(dueDate, SUSPENSION_AFTER_DAYS_OVERDUE + 1);
}

function amountOwed(facts: PayableFacts): Decimal | null {
  const basis = facts.total ?? facts.billedLinesTotal;
  if (basis === null) return null;
  const paid = facts.paidAmount === null ? parseDecimal('0') : parseDecimal(facts.paidAmount);
  return parseDecimal(basis).minus(paid);
}

/**
 * Where an invoice stands on `today`. It is paid when the partner recorded the day it was paid, or
 * when what was paid (by hand or as Microsoft reports it) covers it; due soon from `warnDaysBefore`
 * days before its due date through the due date itself; overdue from the day after.
 */
export function payableState(facts: PayableFacts, today: string, warnDaysBefore: number): PayableState {
  if (facts.documentType === 'credit_note') {
    return { dueDate: null, status: 'paid', daysOverdue: 0, suspensionDate: null, outstanding: null };
  }
  const dueDate = dueDateOf(facts.invoiceDate, facts.termsDays);
  const owed = amountOwed(facts);
  // Nothing left to pay — paid in full, or an invoice that nets to zero — counts as paid.
  const settled = facts.paidAt !== null || owed?.lte(0) === true;
  if (settled) {
    return { dueDate, status: 'paid', daysOverdue: 0, suspensionDate: null, outstanding: parseDecimal('0') };
  }
  const daysLate = daysBetween(dueDate, today);
  const status: PayableStatus = daysLate > 0 ? 'overdue' : daysLate >= -warnDaysBefore ? 'due_soon' : 'open';
  return {
    dueDate,
    status,
    daysOverdue: Math.max(0, daysLate),
    suspensionDate: suspensionDateOf(dueDate),
    outstanding: owed,
  };
}

/**
 * The one notice an invoice calls for on `today`, the most severe that applies: a late run sends the
 * overdue notice, not a due-soon one that no longer helps.
 */
export function noticeDue(
  state: Pick<PayableState, 'status' | 'suspensionDate'>,
  today: string,
): PayableNotice | null {
  if (state.status === 'paid' || state.suspensionDate === null) return null;
  if (daysBetween(today, state.suspensionDate) <= SUSPENSION_WARNING_DAYS) return 'suspension_risk';
  if (state.status === 'overdue') return 'overdue';
  if (state.status === 'due_soon') return 'due_soon';
  return null;
}
