import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantColumns, tenantPrimaryKey } from '#platform/db';
import { partners } from './schema.ts';

/**
 * How a partner reaches Partner Center in one cloud instance: its Entra app and, for App+User calls,
 * the Secure Application Model's refresh token. Secrets are ciphertexts of the installation's keyring,
 * bound to the row by `pc:<partnerId>:<connectionId>:<column>`.
 */
export const partnerCenterConnections = pgTable(
  'partner_center_connections',
  {
    ...tenantColumns(),
    /** `germany` is retired and refused; the client's `resolveCloud` says why. */
    cloud: text('cloud', { enum: ['public', 'usgov', 'china'] }).notNull(),
    /** The partner's own Entra tenant: its id or a verified domain. */
    tenantId: text('tenant_id').notNull(),
    clientId: text('client_id').notNull(),
    clientSecret: text('client_secret').notNull(),
    refreshToken: text('refresh_token'),
    /** When the stored refresh token was issued: it must be renewed within 90 days. */
    refreshTokenIssuedAt: timestamp('refresh_token_issued_at', { withTimezone: true }),
    /** Overrides of the instance's API base URL and token authority (the emulator, sovereign endpoints). */
    baseUrl: text('base_url'),
    authority: text('authority'),
    status: text('status', { enum: ['untested', 'ok', 'failed'] })
      .notNull()
      .default('untested'),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    /** What Microsoft (or its token authority) said at the last failed check. */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] }),
    uniqueIndex('partner_center_connections_cloud').on(t.partnerId, t.cloud),
    check('partner_center_connections_cloud_known', sql`${t.cloud} in ('public', 'usgov', 'china')`),
    check('partner_center_connections_status_known', sql`${t.status} in ('untested', 'ok', 'failed')`),
    check(
      'partner_center_connections_refresh_token_dated',
      sql`(${t.refreshToken} is null) = (${t.refreshTokenIssuedAt} is null)`,
    ),
  ],
);
