import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] }),
    uniqueIndex('customers_partner_domain').on(t.partnerId, sql`lower(${t.domain})`),
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
