import { isDeepStrictEqual } from 'node:util';
import { recordAudit } from '#modules/audit';
import type { MirrorOutcome } from '#modules/customers';
import type { Subscription } from '#modules/partner-center';
import { type Caller, systemActor } from '#platform/actor';
import type { Tx } from '#platform/db';
import {
  insertSubscription,
  type NewSubscriptionRow,
  type SubscriptionRow,
  type SyncCloud,
  subscriptionByMicrosoftIdForUpdate,
  subscriptionsGoneUpstream,
  updateSubscriptionRow,
} from './queries.ts';
import type { serviceFamilies } from './schema.ts';

export type SubscriptionKind = SubscriptionRow['kind'];
export type ServiceFamily = (typeof serviceFamilies)[number];

/** The sync (and a re-read after a PATCH) acts as the system unless a person's request caused it. */
export const partnerCenterCaller: Caller = { actor: systemActor('partner-center') };

const AZURE_PLAN = /^DZH318Z0BPS6(:|$)/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What kind of subscription an offer id names (reference §2.5): the Azure plan's product
 * `DZH318Z0BPS6`, a legacy offer's GUID (or an `MS-AZR-…` id), and otherwise new commerce's
 * `ProductId:SkuId[:AvailabilityId]`. They differ on suspend and cancel.
 */
export function kindOf(offerId: string): SubscriptionKind {
  if (AZURE_PLAN.test(offerId)) return 'azure_plan';
  if (GUID.test(offerId) || !offerId.includes(':')) return 'legacy';
  return 'new_commerce';
}

const m365Words =
  /\b(microsoft 365|office 365|exchange|teams|sharepoint|onedrive|intune|entra|enterprise mobility|windows 365|project|visio|power bi|defender for (office|business|endpoint))\b/i;

/** The service family, from the offer id (Azure plan) or the offer's name. */
export function serviceFamilyOf(offerId: string, offerName: string): ServiceFamily {
  if (AZURE_PLAN.test(offerId) || /^MS-AZR-/i.test(offerId) || /\bazure\b/i.test(offerName)) return 'azure';
  if (/\bdynamics 365\b/i.test(offerName)) return 'd365';
  if (m365Words.test(offerName)) return 'm365';
  return 'other';
}

/** Partner Center's `none` is the SDK's unset status: the subscription is not provisioned yet. */
function statusOf(subscription: Subscription): SubscriptionRow['status'] {
  return subscription.status === 'none' ? 'pending' : subscription.status;
}

/** Partner Center writes up to seven fractional digits; a Date keeps milliseconds. */
function instant(text: string | undefined): Date | null {
  if (text === undefined) return null;
  const date = new Date(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? null : date;
}

function rawField(raw: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(raw).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : raw[key];
}

/** JSON as the database gives it back: no undefined members. */
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The columns the sync owns, from Partner Center's subscription; local columns are not among them. */
function mirroredColumns(subscription: Subscription) {
  const offerId = subscription.offerId ?? '';
  const offerName = subscription.offerName ?? subscription.friendlyName ?? offerId;
  const scheduled = rawField(subscription.raw, 'scheduledNextTermInstructions');
  return {
    kind: kindOf(offerId),
    offerId,
    offerName,
    friendlyName: subscription.friendlyName ?? offerName,
    serviceFamily: serviceFamilyOf(offerId, offerName),
    quantity: subscription.quantity,
    unitType: subscription.unitType ?? null,
    billingCycle: subscription.billingCycle ?? null,
    termDuration: subscription.termDuration ?? null,
    status: statusOf(subscription),
    autoRenew: subscription.autoRenewEnabled ?? null,
    commitmentEndDate: instant(subscription.commitmentEndDateTime ?? subscription.commitmentEndDate),
    cancellationAllowedUntil: instant(subscription.cancellationAllowedUntilDate),
    scheduledChanges:
      typeof scheduled === 'object' && scheduled !== null && !Array.isArray(scheduled)
        ? plainJson(scheduled as Record<string, unknown>)
        : null,
    suspensionReasons: subscription.suspensionReasons,
    etag: subscription.etag ?? null,
    upstream: plainJson(subscription.raw),
    upstreamRemovedAt: null,
  } satisfies Partial<NewSubscriptionRow>;
}

type Mirrored = ReturnType<typeof mirroredColumns>;

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return isDeepStrictEqual(a, b);
}

/** The mirrored fields that differ; `upstream` (the whole body) is compared but not audited. */
function differences(current: SubscriptionRow, next: Mirrored) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(next)) {
    const old = current[name as keyof Mirrored];
    if (same(old, value)) continue;
    if (name === 'upstream') continue;
    before[name] = old;
    after[name] = value;
  }
  return { before, after, bodyChanged: !same(current.upstream, next.upstream) };
}

/** What an audit event says of a subscription: its mirrored facts, never the raw body. */
function audited({ upstream: _upstream, ...facts }: Mirrored) {
  return facts;
}

/**
 * Stores a subscription as Partner Center reported it, for the sync and for the re-read after a PATCH
 * alike, so both leave the same row. Matched by Microsoft's id within the partner; only mirrored
 * columns are written (notes, who suspended it and what was saved stay); nothing differing means no
 * write and no audit event. Call it inside the caller's transaction, never around a call to Microsoft.
 */
export async function applyUpstreamSubscription(
  tx: Tx,
  partnerId: string,
  customerId: string,
  cloud: SyncCloud,
  subscription: Subscription,
  options: { now?: Date; caller?: Caller } = {},
): Promise<{ outcome: MirrorOutcome; row: SubscriptionRow }> {
  const now = options.now ?? new Date();
  const caller = options.caller ?? partnerCenterCaller;
  const next = mirroredColumns(subscription);
  const current = await subscriptionByMicrosoftIdForUpdate(tx, partnerId, subscription.id);
  if (!current) {
    const row = await insertSubscription(tx, {
      partnerId,
      customerId,
      cloud,
      microsoftId: subscription.id,
      ...next,
      syncedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId,
      customerId,
      action: 'subscription.created',
      target: { type: 'subscription', id: row.id },
      after: { microsoftId: row.microsoftId, cloud, ...audited(next) },
    });
    return { outcome: 'created', row };
  }
  const { before, after, bodyChanged } = differences(current, next);
  if (Object.keys(after).length === 0 && !bodyChanged) return { outcome: 'unchanged', row: current };
  const row = await updateSubscriptionRow(tx, current, { ...next, syncedAt: now, updatedAt: now });
  await recordAudit(tx, caller, {
    partnerId,
    customerId: current.customerId,
    action: 'subscription.updated',
    target: { type: 'subscription', id: row.id },
    before,
    after,
  });
  return { outcome: 'updated', row };
}

/**
 * Marks a customer's subscriptions that a listing of all of them (`seenMicrosoftIds`) no longer holds
 * as removed upstream — never deleted: their history and local notes stay. Returns how many.
 */
export async function markSubscriptionsRemovedUpstream(
  tx: Tx,
  partnerId: string,
  customerId: string,
  seenMicrosoftIds: readonly string[],
  options: { now?: Date; caller?: Caller } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const gone = await subscriptionsGoneUpstream(tx, partnerId, customerId, seenMicrosoftIds);
  for (const row of gone) {
    await updateSubscriptionRow(tx, row, { upstreamRemovedAt: now, updatedAt: now });
    await recordAudit(tx, options.caller ?? partnerCenterCaller, {
      partnerId,
      customerId,
      action: 'subscription.removed_upstream',
      target: { type: 'subscription', id: row.id },
      before: { upstreamRemovedAt: null },
      after: { upstreamRemovedAt: now },
    });
  }
  return gone.length;
}
