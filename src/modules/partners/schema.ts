import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A partner is the tenant: every other tenant-owned row carries its id. The row itself is keyed by `id`
 * alone (it is its own partner), so other tables' foreign keys point at `partners.id`.
 */
export const partners = pgTable(
  'partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short, unique, URL-safe name used in sign-in links and the CLI (`contoso-hu`). */
    slug: text('slug').notNull().unique(),
    kind: text('kind', { enum: ['direct', 'indirect_provider', 'indirect_reseller'] }).notNull(),
    legalName: text('legal_name').notNull(),
    displayName: text('display_name').notNull(),
    /** One of the five supported locales. */
    defaultLanguage: text('default_language').notNull().default('en'),
    /** IANA zone. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** ISO 4217 code of the partner's own books. */
    currency: text('currency').notNull().default('USD'),
    senderName: text('sender_name'),
    senderAddress: text('sender_address'),
    supportEmail: text('support_email'),
    supportPhone: text('support_phone'),
    supportUrl: text('support_url'),
    /** `#rrggbb`. */
    brandColor: text('brand_color').notNull().default('#1c7ed6'),
    accentColor: text('accent_color').notNull().default('#0b7285'),
    /** Storage key of the logo image, when one was uploaded. */
    logoKey: text('logo_key'),
    /** Days Microsoft gives the partner to pay its invoices (net 60 unless agreed otherwise). */
    paymentTermsDays: integer('payment_terms_days').notNull().default(60),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('partners_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
    check('partners_default_language', sql`${t.defaultLanguage} in ('en', 'zh-Hans', 'zh-Hant', 'hu', 'ru')`),
    check('partners_colors', sql`${t.brandColor} ~ '^#[0-9a-f]{6}$' and ${t.accentColor} ~ '^#[0-9a-f]{6}$'`),
  ],
);

/** An indirect reseller transacts through one or more indirect providers. */
export const partnerProviders = pgTable(
  'partner_providers',
  {
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => partners.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.providerId] }),
    index('partner_providers_provider').on(t.providerId),
  ],
);

export { partnerCenterConnections } from './connections-schema.ts';
