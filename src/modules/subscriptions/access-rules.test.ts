import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PartnerCenterAuthError,
  PartnerCenterError,
  PartnerCenterResponseError,
  parseSubscription,
} from '#modules/partner-center';
import {
  coveredByBatch,
  isStaleEtag,
  MAX_ATTEMPTS,
  outcomeOf,
  RETRY_NEXT_DAY_MS,
  RETRY_SOON_MS,
  renewalOf,
  withRenewal,
} from './access-rules.ts';
import { adviceFor } from './microsoft-advice.ts';

const now = new Date('2026-03-02T09:00:00.000Z');
const refused = (status: number, code: string, description = 'Microsoft said no', retryAfter?: number) =>
  new PartnerCenterError(`Partner Center refused (HTTP ${status}, code ${code})`, {
    status,
    code,
    description,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });

// As Partner Center sends it, with the PascalCase the PATCH samples use.
const scheduled = { product: { productId: 'CFQ7TTC0LH18', skuId: '0001' }, quantity: 20 };
const subscription = (fields: Record<string, unknown> = {}) =>
  parseSubscription({
    Id: 'a4c1340d-6911-4758-bba3-0c4c6007d161',
    Quantity: 15,
    Status: 'active',
    AutoRenewEnabled: true,
    ScheduledNextTermInstructions: scheduled,
    NextChargeInstructions: { kept: true },
    Attributes: { Etag: 'etag-1', ObjectType: 'Subscription' },
    ...fields,
  });

describe('subscriptions › access rules', () => {
  it('batch › suspends active ones, reactivates suspended ones; collections restores only its own', () => {
    assert.equal(coveredByBatch({ status: 'active', suspendedBy: null }, 'suspend', 'staff'), true);
    assert.equal(coveredByBatch({ status: 'suspended', suspendedBy: 'staff' }, 'suspend', 'staff'), false);
    assert.equal(coveredByBatch({ status: 'expired', suspendedBy: null }, 'suspend', 'collections'), false);
    assert.equal(coveredByBatch({ status: 'suspended', suspendedBy: 'staff' }, 'reactivate', 'staff'), true);
    assert.equal(coveredByBatch({ status: 'suspended', suspendedBy: null }, 'reactivate', 'staff'), true);
    assert.equal(
      coveredByBatch({ status: 'suspended', suspendedBy: 'staff' }, 'reactivate', 'collections'),
      false,
    );
    assert.equal(
      coveredByBatch({ status: 'suspended', suspendedBy: null }, 'reactivate', 'collections'),
      false,
    );
    assert.equal(
      coveredByBatch({ status: 'suspended', suspendedBy: 'collections' }, 'reactivate', 'collections'),
      true,
    );
  });

  it('renewal › auto-renew and scheduled changes are read whatever the key casing', () => {
    assert.deepEqual(renewalOf(subscription()), { autoRenew: true, scheduledChanges: scheduled });
    assert.deepEqual(
      renewalOf(subscription({ AutoRenewEnabled: false, ScheduledNextTermInstructions: null })),
      { autoRenew: false, scheduledChanges: null },
    );
  });

  it('renewal › put back into the whole body under its own key, the rest kept; nothing to send when already there', () => {
    const suspended = subscription({ AutoRenewEnabled: false, ScheduledNextTermInstructions: undefined });
    const restored = withRenewal(suspended, { autoRenew: true, scheduledChanges: scheduled });
    assert.ok(restored);
    assert.equal(restored.autoRenewEnabled, true);
    assert.deepEqual(restored.raw.ScheduledNextTermInstructions, scheduled);
    assert.deepEqual(restored.raw.NextChargeInstructions, { kept: true });
    assert.equal(restored.etag, 'etag-1');
    assert.equal(withRenewal(subscription(), { autoRenew: true, scheduledChanges: scheduled }), undefined);
    // As the database gives it back: jsonb orders keys its own way; still the same, nothing to send.
    const fromJsonb = { quantity: 20, product: { skuId: '0001', productId: 'CFQ7TTC0LH18' } };
    assert.equal(withRenewal(subscription(), { autoRenew: true, scheduledChanges: fromJsonb }), undefined);

    const dropped = withRenewal(subscription(), { autoRenew: true, scheduledChanges: null });
    assert.ok(dropped);
    assert.equal(
      Object.keys(dropped.raw).some(
        (key) => key.toLowerCase() === 'schedulednexttermInstructions'.toLowerCase(),
      ),
      false,
      'a scheduled change that was not there before the suspension is not invented',
    );
  });

  it('stale etag › 400 code 2055 and 412; other 400s are not', () => {
    assert.equal(isStaleEtag(refused(400, '2055')), true);
    assert.equal(isStaleEtag(refused(412, '412')), true);
    assert.equal(isStaleEtag(refused(400, '800091')), false);
    assert.equal(isStaleEtag(new Error('2055')), false);
  });

  it('outcome › 409 waits (a day for 900278), refusals fail with Microsoft’s code and words', () => {
    assert.deepEqual(outcomeOf(refused(409, '800082', 'not ready'), now, 1), {
      status: 'waiting',
      nextAttemptAt: new Date(now.getTime() + RETRY_SOON_MS),
      errorCode: '800082',
      errorMessage: 'not ready',
    });
    const nextDay = outcomeOf(refused(409, '900278'), now, 1);
    assert.equal(nextDay?.status, 'waiting');
    assert.equal(
      nextDay.status === 'waiting' && nextDay.nextAttemptAt.getTime(),
      now.getTime() + RETRY_NEXT_DAY_MS,
    );
    assert.deepEqual(outcomeOf(refused(403, '900115', 'Azure plan can’t be moved'), now, 1), {
      status: 'failed',
      errorCode: '900115',
      errorMessage: 'Azure plan can’t be moved',
    });
    const credentials = outcomeOf(new PartnerCenterAuthError('token refused twice', { status: 401 }), now, 1);
    assert.equal(credentials?.status, 'failed');
    assert.equal(credentials?.errorCode, 'connection-refused');
    assert.equal(
      outcomeOf(new TypeError('a bug'), now, 1),
      undefined,
      'not Partner Center’s answer: not ours to judge',
    );
  });

  it('outcome › throttling, outages and unusable answers wait longer each time, at least Retry-After', () => {
    const waitOf = (error: PartnerCenterError, attempts: number) => {
      const outcome = outcomeOf(error, now, attempts);
      assert.equal(outcome?.status, 'waiting');
      return outcome.status === 'waiting' ? outcome.nextAttemptAt.getTime() - now.getTime() : 0;
    };
    const outage = refused(503, '503');
    assert.equal(waitOf(outage, 1), RETRY_SOON_MS);
    assert.equal(waitOf(outage, 2), 2 * RETRY_SOON_MS);
    assert.ok(waitOf(outage, 10) <= 60 * 60_000, 'capped at an hour');
    assert.equal(waitOf(refused(429, '429', 'throttled', 7200), 1), 7_200_000);
    assert.equal(waitOf(new PartnerCenterError('no answer after 3 attempts'), 1), RETRY_SOON_MS);
    assert.equal(waitOf(new PartnerCenterResponseError('not JSON', { status: 200 }), 1), RETRY_SOON_MS);
    assert.equal(outcomeOf(new PartnerCenterError('no answer'), now, 1)?.errorCode, 'no-answer');
  });

  it('outcome › given up after the last attempt, with the last answer', () => {
    assert.deepEqual(outcomeOf(refused(409, '800082', 'not ready'), now, MAX_ATTEMPTS), {
      status: 'failed',
      errorCode: '800082',
      errorMessage: 'not ready',
    });
  });
});

describe('subscriptions › advice on Microsoft’s codes', () => {
  it('says what to do, with the next attempt’s time when partnerdesk retries by itself', () => {
    const next = new Date('2026-03-03T09:00:00.000Z');
    assert.match(adviceFor('900115', null)!, /cancel those Azure subscriptions .* first/);
    assert.match(adviceFor('800082', next)!, /tries again automatically at 2026-03-03 09:00 UTC/);
    assert.match(adviceFor('900278', next)!, /only 24 hours after .* 2026-03-03 09:00 UTC/);
    assert.equal(adviceFor('2055', null), adviceFor('412', null));
    assert.match(adviceFor('900329', null)!, /App\+User consent/);
    assert.match(adviceFor('503', next)!, /unavailable/);
    assert.equal(adviceFor(null, null), null, 'nothing to say about a success');
    assert.equal(adviceFor('123456', null), null, 'an unknown code has Microsoft’s words only');
  });
});
