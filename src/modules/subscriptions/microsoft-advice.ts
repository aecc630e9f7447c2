/**
 * What to do about a subscription change Microsoft refused or deferred, by its code: one plain English
 * sentence for the API (the web app translates by code). Microsoft's own words stay in `errorMessage`;
 * this says what a person does next. Codes are Partner Center's (reference §2.12) or ours for what
 * happened before Microsoft was asked.
 */

/** `2026-03-03 09:00 UTC`: the API's advice is read by people, the exact instant is `nextAttemptAt`. */
function minuteUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const retriedAt = (nextAttemptAt: Date | null) =>
  nextAttemptAt ? `partnerdesk tries again automatically at ${minuteUtc(nextAttemptAt)}` : 'ask again later';

const adviceByCode: Readonly<Record<string, (nextAttemptAt: Date | null) => string>> = {
  '900115': () =>
    'An Azure plan cannot be suspended while any Azure subscription under it is active: cancel those Azure subscriptions (or move them to another plan) in the Azure portal first, then ask again.',
  '800082': (next) =>
    `Microsoft is still processing an earlier operation on this subscription; ${retriedAt(next)}.`,
  '900278': (next) =>
    `Microsoft accepts this change only 24 hours after the subscription's last change; ${retriedAt(next)}.`,
  '2055': () =>
    'The subscription was changed in Partner Center while this change was being made, again after one re-read: check its current state and ask again.',
  '412': () =>
    'The subscription was changed in Partner Center while this change was being made, again after one re-read: check its current state and ask again.',
  '900329': () =>
    "The Partner Center connection lacks App+User consent for this operation: renew the connection's refresh token (Secure Application Model) in the connection settings, then ask again.",
  '800091': () => 'Microsoft does not change a suspended subscription other than by reactivating it.',
  '2011': () =>
    'The subscription is deleted in Partner Center: it can no longer be suspended or reactivated.',
  '900277': () => 'The subscription is expiring in Partner Center: it can no longer be changed.',
  '429': (next) => `Partner Center is throttling requests; ${retriedAt(next)}.`,
  'no-answer': (next) => `Partner Center did not answer; ${retriedAt(next)}.`,
  'connection-refused': () =>
    "Partner Center refused the connection's credentials: renew them in the connection settings, then ask again.",
  'no-connection': () =>
    'There is no Partner Center connection for this cloud instance: add one in the connection settings, then ask again.',
  'no-tenant': () =>
    "The customer's Microsoft tenant is not known yet: run the Partner Center sync, then ask again.",
  'not-switchable': () =>
    'Partner Center shows the subscription expired, disabled or deleted: it can no longer be suspended or reactivated.',
};

/** The advice for `code`, or null when there is none to give (success, or an unknown refusal). */
export function adviceFor(code: string | null, nextAttemptAt: Date | null): string | null {
  if (code === null) return null;
  const advice = adviceByCode[code];
  if (advice) return advice(nextAttemptAt);
  // Outages: the answer's HTTP status is the code when Microsoft gave none.
  if (/^5\d\d$/.test(code)) return `Partner Center is unavailable; ${retriedAt(nextAttemptAt)}.`;
  return null;
}
