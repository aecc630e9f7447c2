import Type, { type Static, type TSchema } from 'typebox';
import type { AccessChangeRow, SubscriptionRow, SyncRun } from './queries.ts';
import { serviceFamilies, subscriptionStatuses } from './schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const JsonObject = Type.Object({}, { additionalProperties: true });

export const LatestChangeView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  action: Type.Union([Type.Literal('suspend'), Type.Literal('reactivate')]),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Instant),
  errorCode: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  createdAt: Instant,
  completedAt: Nullable(Instant),
});

/** What a customer user sees of a subscription: no notes, nothing of how staff handle it. */
export const PortalSubscriptionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  customerId: Type.String({ format: 'uuid' }),
  cloud: Type.String(),
  microsoftId: Type.String(),
  kind: Type.Union([Type.Literal('new_commerce'), Type.Literal('azure_plan'), Type.Literal('legacy')]),
  offerId: Type.String(),
  offerName: Type.String(),
  friendlyName: Type.String(),
  serviceFamily: Type.Enum(serviceFamilies),
  quantity: Type.Integer(),
  unitType: Nullable(Type.String()),
  billingCycle: Nullable(Type.String()),
  termDuration: Nullable(Type.String()),
  status: Type.Enum(subscriptionStatuses),
  autoRenew: Nullable(Type.Boolean()),
  commitmentEndDate: Nullable(Instant),
  cancellationAllowedUntil: Nullable(Instant),
  scheduledChanges: Nullable(JsonObject),
  suspensionReasons: Type.Array(Type.String()),
  syncedAt: Instant,
  upstreamRemovedAt: Nullable(Instant),
  /** A suspended new-commerce subscription is billed by Microsoft until its term ends: that date. */
  billedUntil: Nullable(Instant),
});
export type PortalSubscriptionView = Static<typeof PortalSubscriptionView>;

export const SubscriptionView = Type.Object({
  ...PortalSubscriptionView.properties,
  notes: Nullable(Type.String()),
  suspendedBy: Nullable(Type.Union([Type.Literal('staff'), Type.Literal('collections')])),
  suspendedAt: Nullable(Instant),
  savedAutoRenew: Nullable(Type.Boolean()),
  savedScheduledChanges: Nullable(JsonObject),
  latestChange: Nullable(LatestChangeView),
});
export type SubscriptionView = Static<typeof SubscriptionView>;

export const SyncRunView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cloud: Type.String(),
  kind: Type.Union([Type.Literal('full'), Type.Literal('activity')]),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  startedAt: Instant,
  finishedAt: Nullable(Instant),
  done: Type.Integer(),
  total: Nullable(Type.Integer()),
  /** `customersCreated`, `subscriptionsUpdated`, … as far as the run got. */
  counts: Type.Record(Type.String(), Type.Integer()),
  error: Nullable(Type.String()),
  jobId: Nullable(Type.String()),
});
export type SyncRunView = Static<typeof SyncRunView>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Microsoft keeps billing a suspended new-commerce subscription until its term ends (DESIGN.md). */
function billedUntil(row: SubscriptionRow): string | null {
  return row.status === 'suspended' && row.kind === 'new_commerce' ? iso(row.commitmentEndDate) : null;
}

export function presentSubscriptionForCustomer(row: SubscriptionRow): PortalSubscriptionView {
  return {
    id: row.id,
    customerId: row.customerId,
    cloud: row.cloud,
    microsoftId: row.microsoftId,
    kind: row.kind,
    offerId: row.offerId,
    offerName: row.offerName,
    friendlyName: row.friendlyName,
    serviceFamily: row.serviceFamily,
    quantity: row.quantity,
    unitType: row.unitType,
    billingCycle: row.billingCycle,
    termDuration: row.termDuration,
    status: row.status,
    autoRenew: row.autoRenew,
    commitmentEndDate: iso(row.commitmentEndDate),
    cancellationAllowedUntil: iso(row.cancellationAllowedUntil),
    scheduledChanges: row.scheduledChanges,
    suspensionReasons: row.suspensionReasons,
    syncedAt: row.syncedAt.toISOString(),
    upstreamRemovedAt: iso(row.upstreamRemovedAt),
    billedUntil: billedUntil(row),
  };
}

export function presentSubscriptionForStaff(
  row: SubscriptionRow,
  latestChange: AccessChangeRow | undefined,
): SubscriptionView {
  return {
    ...presentSubscriptionForCustomer(row),
    notes: row.notes,
    suspendedBy: row.suspendedBy,
    suspendedAt: iso(row.suspendedAt),
    savedAutoRenew: row.savedAutoRenew,
    savedScheduledChanges: row.savedScheduledChanges,
    latestChange: latestChange
      ? {
          id: latestChange.id,
          action: latestChange.action,
          status: latestChange.status,
          attempts: latestChange.attempts,
          nextAttemptAt: iso(latestChange.nextAttemptAt),
          errorCode: latestChange.errorCode,
          errorMessage: latestChange.errorMessage,
          createdAt: latestChange.createdAt.toISOString(),
          completedAt: iso(latestChange.completedAt),
        }
      : null,
  };
}

export function presentSyncRun(run: SyncRun): SyncRunView {
  return {
    id: run.id,
    cloud: run.cloud,
    kind: run.kind,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: iso(run.finishedAt),
    done: run.done,
    total: run.total,
    counts: run.counts,
    error: run.error,
    jobId: run.jobId,
  };
}
