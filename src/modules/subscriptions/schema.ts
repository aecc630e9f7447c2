import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantColumns, tenantPrimaryKey } from '#platform/db';
import { customers } from '../customers/schema.ts';

export const serviceFamilies = ['azure', 'm365', 'd365', 'other'] as const;
export const subscriptionStatuses = [
  'active',
  'suspended',
  'pending',
  'expired',
  'disabled',
  'deleted',
] as const;

/**
 * A customer's subscription as Partner Center last reported it, plus what only partnerdesk knows
 * (notes, who suspended it and what was saved before). The sync overwrites the mirrored columns and
 * never the local ones.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    ...tenantColumns(),
    customerId: uuid('customer_id').notNull(),
    /** The connection's cloud instance the subscription lives in. */
    cloud: text('cloud', { enum: ['public', 'usgov', 'china'] }).notNull(),
    /** Partner Center's subscription id. */
    microsoftId: text('microsoft_id').notNull(),
    /** `new_commerce`, `azure_plan` or `legacy`: they behave differently on suspend and cancel. */
    kind: text('kind', { enum: ['new_commerce', 'azure_plan', 'legacy'] }).notNull(),
    offerId: text('offer_id').notNull(),
    offerName: text('offer_name').notNull(),
    friendlyName: text('friendly_name').notNull(),
    serviceFamily: text('service_family', { enum: serviceFamilies }).notNull(),
    quantity: integer('quantity').notNull(),
    unitType: text('unit_type'),
    billingCycle: text('billing_cycle'),
    termDuration: text('term_duration'),
    status: text('status', { enum: subscriptionStatuses }).notNull(),
    autoRenew: boolean('auto_renew'),
    /** The end of the current term: Microsoft bills a suspended new-commerce subscription until then. */
    commitmentEndDate: timestamp('commitment_end_date', { withTimezone: true }),
    cancellationAllowedUntil: timestamp('cancellation_allowed_until', { withTimezone: true }),
    /** `scheduledNextTermInstructions` as Partner Center has it, or null. */
    scheduledChanges: jsonb('scheduled_changes').$type<Record<string, unknown>>(),
    suspensionReasons: jsonb('suspension_reasons').$type<string[]>().notNull().default([]),
    /** `attributes.etag` of the last read: a PATCH sends it as `If-Match`. */
    etag: text('etag'),
    /** The body as last read, every field known or not: a PATCH sends it back whole. */
    upstream: jsonb('upstream').$type<Record<string, unknown>>().notNull(),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull(),
    /** Set when a full sync no longer finds the subscription upstream. */
    upstreamRemovedAt: timestamp('upstream_removed_at', { withTimezone: true }),
    // Local fields, kept by the sync.
    notes: text('notes'),
    /** Who switched access off: staff by hand, or collections (which restores only its own). */
    suspendedBy: text('suspended_by', { enum: ['staff', 'collections'] }),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    /** Saved before suspending (new commerce turns auto-renew off and drops scheduled changes). */
    savedAutoRenew: boolean('saved_auto_renew'),
    savedScheduledChanges: jsonb('saved_scheduled_changes').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({
      columns: [t.partnerId, t.customerId],
      foreignColumns: [customers.partnerId, customers.id],
    }),
    uniqueIndex('subscriptions_microsoft_id').on(t.partnerId, sql`lower(${t.microsoftId})`),
    index('subscriptions_customer').on(t.partnerId, t.customerId),
    check('subscriptions_quantity', sql`${t.quantity} >= 0`),
  ],
);

/**
 * One requested suspend or reactivate of one subscription. Changes asked together (a customer's, a
 * service family's) share a batch. A reseller's request waits for its provider to carry it out; a
 * 409 from Microsoft waits until `next_attempt_at` and is retried by the job.
 */
export const subscriptionAccessChanges = pgTable(
  'subscription_access_changes',
  {
    ...tenantColumns(),
    subscriptionId: uuid('subscription_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    batchId: uuid('batch_id').notNull(),
    action: text('action', { enum: ['suspend', 'reactivate'] }).notNull(),
    reason: text('reason', { enum: ['staff', 'collections'] }).notNull(),
    requestedBy: text('requested_by').notNull(),
    /** The provider that carries out a reseller's request; null when the partner transacts itself. */
    providerId: uuid('provider_id'),
    status: text('status', {
      enum: ['requested', 'pending', 'waiting', 'succeeded', 'failed', 'declined'],
    }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** Partner Center's error code and description, or ours, when it did not (yet) succeed. */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    correlationId: text('correlation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({
      columns: [t.partnerId, t.subscriptionId],
      foreignColumns: [subscriptions.partnerId, subscriptions.id],
    }),
    index('subscription_access_changes_subscription').on(t.partnerId, t.subscriptionId),
    index('subscription_access_changes_due')
      .on(t.status, t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'waiting')`),
    index('subscription_access_changes_provider')
      .on(t.providerId, t.status)
      .where(sql`${t.providerId} is not null`),
  ],
);

/**
 * One run of the Partner Center sync for one connection. `checkpoint` makes it resumable: a run
 * that stopped part-way (crash, 401) continues with the customers it had not finished.
 */
export const partnerCenterSyncs = pgTable(
  'partner_center_syncs',
  {
    ...tenantColumns(),
    cloud: text('cloud', { enum: ['public', 'usgov', 'china'] }).notNull(),
    /** `full` lists everything; `activity` reads only customers the activity log names since the last run. */
    kind: text('kind', { enum: ['full', 'activity'] }).notNull(),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    jobId: text('job_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    done: integer('done').notNull().default(0),
    total: integer('total'),
    checkpoint: jsonb('checkpoint').$type<Record<string, unknown>>(),
    /** Created / updated / unchanged / removed, for customers and subscriptions. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    error: text('error'),
  },
  (t) => [
    tenantPrimaryKey(t),
    index('partner_center_syncs_latest').on(t.partnerId, t.cloud, t.startedAt),
    uniqueIndex('partner_center_syncs_one_running')
      .on(t.partnerId, t.cloud)
      .where(sql`${t.status} = 'running'`),
  ],
);
