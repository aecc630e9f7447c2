import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantColumns, tenantPrimaryKey } from '../../platform/db/tenancy.ts';
import { partners } from '../partners/schema.ts';

/** One Microsoft tenant of one cloud instance, billed and supported by one partner. */
export const customers = pgTable(
  'customers',
  {
    ...tenantColumns(),
    name: text('name').notNull(),
    /** The tenant's primary domain (`contoso.onmicrosoft.com`). */
    domain: text('domain').notNull(),
    /** Entra tenant id, once known (Partner Center sync fills it). */
    tenantId: uuid('tenant_id'),
    cloudInstance: text('cloud_instance', { enum: ['public', 'usgov', 'china', 'germany'] })
      .notNull()
      .default('public'),
    /** ISO 3166-1 alpha-2. */
    country: text('country').notNull(),
    language: text('language').notNull().default('en'),
    currency: text('currency').notNull(),
    /** For an indirect reseller's customer: the provider it transacts through. */
    providerId: uuid('provider_id').references(() => partners.id),
    /** A customer admin may require two-step verification of every user of the customer. */
    mfaRequired: text('mfa_required', { enum: ['optional', 'required'] })
      .notNull()
      .default('optional'),
    status: text('status', { enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    /** Where the record came from: typed in here, or mirrored from Partner Center by the sync. */
    source: text('source', { enum: ['local', 'partner_center'] })
      .notNull()
      .default('local'),
    /**
     * The tenant facts Partner Center last reported (company and billing profile, relationship,
     * associated reseller): shown as they are, never edited here.
     */
    upstream: jsonb('upstream').$type<Record<string, unknown>>(),
    /** When the sync last stored a change from Partner Center (an unchanged re-run writes nothing). */
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    /** Set when a full sync no longer finds the customer upstream; the record and its history stay. */
    upstreamRemovedAt: timestamp('upstream_removed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] }),
    uniqueIndex('customers_partner_domain').on(t.partnerId, sql`lower(${t.domain})`),
    uniqueIndex('customers_partner_tenant').on(t.partnerId, t.tenantId).where(sql`${t.tenantId} is not null`),
    check('customers_country', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check('customers_language', sql`${t.language} in ('en', 'zh-Hans', 'zh-Hant', 'hu', 'ru')`),
  ],
);

/** People at a customer the partner writes to: billing, technical or general contacts. */
export const contacts = pgTable(
  'customer_contacts',
  {
    ...tenantColumns(),
    customerId: uuid('customer_id').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    role: text('role', { enum: ['billing', 'technical', 'general'] }).notNull(),
    language: text('language').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({
      columns: [t.partnerId, t.customerId],
      foreignColumns: [customers.partnerId, customers.id],
    }).onDelete('cascade'),
    index('customer_contacts_customer').on(t.partnerId, t.customerId),
  ],
);
