import { sql } from 'drizzle-orm';
import { check, index, inet, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, tenantPrimaryKey } from '../../platform/db/tenancy.ts';

export const actorKinds = [
  'anonymous',
  'system',
  'operator',
  'staff',
  'customer',
  'token',
  'signing-in',
] as const;
export type ActorKind = (typeof actorKinds)[number];

/** One field's value before and after a change; absent values are null. */
export type FieldChange = { before: unknown; after: unknown };
export type Changes = Record<string, FieldChange>;

/**
 * Who did what to which record, when, from where. Append-only: migration 0002_audit_append_only makes the database refuse
 * UPDATE, DELETE and TRUNCATE except inside the maintenance commands. No foreign keys: actors and
 * targets may be erased while their history stays. Installation-wide events use the nil partner id.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    ...tenantColumns(),
    /** Milliseconds, like a JavaScript Date, so a page cursor names a row exactly. */
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 })
      .notNull()
      .default(sql`clock_timestamp()`),
    actorKind: text('actor_kind', { enum: actorKinds }).notNull(),
    /** A user id, or the name of a system job or an operator. */
    actorId: text('actor_id'),
    /** Who the actor was at the time (e.g. their e-mail); pseudonymised when the person is erased. */
    actorLabel: text('actor_label'),
    tokenId: text('token_id'),
    /** The customer the event concerns, so customer-scoped views can filter by it. */
    customerId: uuid('customer_id'),
    /** `<area>.<verb>` in the past tense: `customer.updated`, `user.invited`. */
    action: text('action').notNull(),
    /** Which role view shows it: `users` for User admins, `money` for Billing admins. */
    area: text('area').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    /** `{ field: { before, after } }` of the changed fields only, secrets redacted. */
    changes: jsonb('changes').$type<Changes>(),
    ip: inet('ip'),
    requestId: text('request_id'),
  },
  (t) => [
    tenantPrimaryKey(t),
    index('audit_events_partner_time').on(t.partnerId, t.occurredAt.desc(), t.id.desc()),
    index('audit_events_partner_area_time').on(t.partnerId, t.area, t.occurredAt.desc()),
    index('audit_events_partner_actor_time').on(t.partnerId, t.actorId, t.occurredAt.desc()),
    index('audit_events_partner_target_time').on(t.partnerId, t.targetType, t.targetId, t.occurredAt.desc()),
    index('audit_events_partner_customer_time').on(t.partnerId, t.customerId, t.occurredAt.desc()),
    // text_pattern_ops lets `action LIKE 'customer.%'` use the index whatever the collation.
    index('audit_events_partner_action').on(
      t.partnerId,
      t.action.op('text_pattern_ops'),
      t.occurredAt.desc(),
    ),
    check('audit_events_action_format', sql`${t.action} ~ '^[a-z][a-z_]*\\.[a-z][a-z_]*$'`),
  ],
);
