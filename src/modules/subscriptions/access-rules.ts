import { isDeepStrictEqual } from 'node:util';
import {
  PartnerCenterAuthError,
  PartnerCenterError,
  PartnerCenterResponseError,
  type Subscription,
} from '#modules/partner-center';

/**
 * The rules of switching a subscription's access off and on, without I/O: which subscriptions a
 * request covers, what Partner Center's answers mean for the change, and what new commerce makes us
 * save before suspending and put back after reactivating.
 */

export const accessActions = ['suspend', 'reactivate'] as const;
export type AccessAction = (typeof accessActions)[number];
export const accessReasons = ['staff', 'collections'] as const;
export type AccessReason = (typeof accessReasons)[number];

/** The request or job that created a change owns it this long; after that the schedule may take it. */
export const ATTEMPT_LEASE_MS = 5 * 60_000;
/** 800082 "not ready to be updated" and answers that did not come: tried again after this. */
export const RETRY_SOON_MS = 5 * 60_000;
/** 900278: Microsoft takes the next change only 24 hours after the last one. */
export const RETRY_NEXT_DAY_MS = 24 * 60 * 60_000;
const RETRY_MAX_MS = 60 * 60_000;
/** Attempts before a change that keeps being deferred is given up as failed, with the last answer. */
export const MAX_ATTEMPTS = 12;

/** The status Partner Center shows once the action is done. */
export function targetStatus(action: AccessAction): 'suspended' | 'active' {
  return action === 'suspend' ? 'suspended' : 'active';
}

/**
 * Whether a customer-wide or service-family request covers a subscription: suspending active ones,
 * reactivating suspended ones — and collections reactivates only what collections suspended.
 */
export function coveredByBatch(
  subscription: { status: string; suspendedBy: AccessReason | null },
  action: AccessAction,
  reason: AccessReason,
): boolean {
  if (action === 'suspend') return subscription.status === 'active';
  return (
    subscription.status === 'suspended' &&
    (reason !== 'collections' || subscription.suspendedBy === 'collections')
  );
}

/** Only these statuses can be switched by a status PATCH; the others are past changing. */
export function isSwitchable(status: string): boolean {
  return status === 'active' || status === 'suspended';
}

/** What new commerce drops on suspension: auto-renew and the scheduled next-term instructions. */
export interface Renewal {
  autoRenew: boolean;
  scheduledChanges: Record<string, unknown> | null;
}

const SCHEDULED = 'scheduledNextTermInstructions';

function keyOf(body: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(body).find((key) => key.toLowerCase() === lower);
}

/** Auto-renew and scheduled changes as Partner Center has them on `subscription`. */
export function renewalOf(subscription: Subscription): Renewal {
  const key = keyOf(subscription.raw, SCHEDULED);
  const scheduled = key === undefined ? undefined : subscription.raw[key];
  return {
    autoRenew: subscription.autoRenewEnabled === true,
    scheduledChanges:
      typeof scheduled === 'object' && scheduled !== null && !Array.isArray(scheduled)
        ? (scheduled as Record<string, unknown>)
        : null,
  };
}

/**
 * The subscription with `saved` put back, for the second PATCH after a reactivation — or undefined
 * when Partner Center already has it (nothing to send). The body is still the whole resource as
 * read: leaving a field out would clear it (the documented PATCH pitfall).
 */
export function withRenewal(subscription: Subscription, saved: Renewal): Subscription | undefined {
  const current = renewalOf(subscription);
  if (
    current.autoRenew === saved.autoRenew &&
    isDeepStrictEqual(current.scheduledChanges, saved.scheduledChanges)
  ) {
    return undefined;
  }
  const raw = { ...subscription.raw };
  const key = keyOf(raw, SCHEDULED);
  if (key !== undefined) delete raw[key];
  if (saved.scheduledChanges !== null) raw[key ?? SCHEDULED] = saved.scheduledChanges;
  return { ...subscription, autoRenewEnabled: saved.autoRenew, raw };
}

/** 400 code 2055 or 412: the subscription changed since it was read; re-read once and retry once. */
export function isStaleEtag(error: unknown): boolean {
  return (
    error instanceof PartnerCenterError &&
    ((error.status === 400 && error.code === '2055') || error.status === 412)
  );
}

/** Where a change goes after Partner Center refused it, or did not answer. */
export type Outcome =
  | { status: 'waiting'; nextAttemptAt: Date; errorCode: string; errorMessage: string }
  | { status: 'failed'; errorCode: string; errorMessage: string };

/**
 * A 409 waits (900278 a day, others a few minutes), so do throttling, outages and unusable answers,
 * with growing pauses; refused credentials and Microsoft's other refusals fail with its code and
 * words. Attempts beyond `MAX_ATTEMPTS` fail with the last answer. Undefined: not Partner Center's
 * answer at all (a bug or our database) — the caller lets it propagate.
 */
export function outcomeOf(error: unknown, now: Date, attempts: number): Outcome | undefined {
  if (!(error instanceof PartnerCenterError)) return undefined;
  const errorMessage = (error.description ?? error.message).slice(0, 2000);
  if (error instanceof PartnerCenterAuthError) {
    return { status: 'failed', errorCode: 'connection-refused', errorMessage: error.message.slice(0, 2000) };
  }
  const { status } = error;
  const errorCode = error.code ?? (status === undefined ? 'no-answer' : String(status));
  let delayMs: number;
  if (status === 409) delayMs = error.code === '900278' ? RETRY_NEXT_DAY_MS : RETRY_SOON_MS;
  else if (
    status === 429 ||
    status === undefined ||
    status >= 500 ||
    error instanceof PartnerCenterResponseError
  ) {
    delayMs = Math.max(
      (error.retryAfter ?? 0) * 1000,
      Math.min(RETRY_SOON_MS * 2 ** (attempts - 1), RETRY_MAX_MS),
    );
  } else {
    return { status: 'failed', errorCode, errorMessage };
  }
  if (attempts >= MAX_ATTEMPTS) return { status: 'failed', errorCode, errorMessage };
  return { status: 'waiting', nextAttemptAt: new Date(now.getTime() + delayMs), errorCode, errorMessage };
}
