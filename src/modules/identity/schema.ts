import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantColumns, tenantPrimaryKey } from '../../platform/db/tenancy.ts';
import { customers } from '../customers/schema.ts';
import { partners } from '../partners/schema.ts';

/**
 * A person who signs in: staff of one partner, or a user of one customer of that partner. The e-mail
 * address is unique in the whole installation, so sign-in needs no organisation picker.
 */
export const users = pgTable(
  'users',
  {
    ...tenantColumns(),
    /** Set for customer users; null for partner staff. */
    customerId: uuid('customer_id'),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** Staff: any of the five staff roles; customer users: exactly one customer role. */
    roles: text('roles').array().notNull(),
    /** Null: follow Accept-Language, then the partner's default. */
    language: text('language'),
    status: text('status', { enum: ['invited', 'active', 'deactivated'] }).notNull(),
    passwordHash: text('password_hash'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** TOTP secret, encrypted with the installation's keyring. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** A secret being enrolled, until the person confirms it with a code; the active one stays valid meanwhile. */
    totpPendingSecret: text('totp_pending_secret'),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    totpLastStep: integer('totp_last_step'),
    invitedBy: uuid('invited_by'),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] }),
    foreignKey({ columns: [t.partnerId, t.customerId], foreignColumns: [customers.partnerId, customers.id] }),
    uniqueIndex('users_email').on(sql`lower(${t.email})`),
    index('users_customer').on(t.partnerId, t.customerId),
    check('users_roles_not_empty', sql`cardinality(${t.roles}) > 0`),
  ],
);

/** Hashed single-use recovery codes, given once when TOTP is enrolled. */
export const recoveryCodes = pgTable(
  'user_recovery_codes',
  {
    ...tenantColumns(),
    userId: uuid('user_id').notNull(),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId, t.userId], foreignColumns: [users.partnerId, users.id] }).onDelete(
      'cascade',
    ),
    index('user_recovery_codes_user').on(t.partnerId, t.userId),
  ],
);

/**
 * Server-side sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
 * table signs nobody in.
 */
export const sessions = pgTable(
  'sessions',
  {
    ...tenantColumns(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** Sent back in a readable cookie and required as a header on every cookie-authenticated mutation. */
    csrfToken: text('csrf_token').notNull(),
    /** `mfa` / `mfa-enrolment` until the second factor is given; `done` after. */
    step: text('step', { enum: ['mfa', 'mfa-enrolment', 'done'] }).notNull(),
    method: text('method', { enum: ['password', 'oidc'] }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId, t.userId], foreignColumns: [users.partnerId, users.id] }).onDelete(
      'cascade',
    ),
    index('sessions_user').on(t.partnerId, t.userId),
  ],
);

/**
 * Failed sign-ins per e-mail address and per IP, in the database so that limits hold across every
 * process. Keyed by what was typed, whether or not such an account exists.
 */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/** Single-use links mailed to a person: accepting an invitation, resetting a password. */
export const userTokens = pgTable(
  'user_tokens',
  {
    ...tenantColumns(),
    userId: uuid('user_id').notNull(),
    purpose: text('purpose', { enum: ['invitation', 'password-reset'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId, t.userId], foreignColumns: [users.partnerId, users.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** Places a user has signed in from, so a sign-in from somewhere new can be mailed about. */
export const knownDevices = pgTable(
  'user_known_devices',
  {
    partnerId: uuid('partner_id').notNull(),
    userId: uuid('user_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.userId, t.fingerprint] }),
    foreignKey({ columns: [t.partnerId, t.userId], foreignColumns: [users.partnerId, users.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** API tokens for integrations: shown once, stored hashed, limited to some of their owner's permissions. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    ...tenantColumns(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters, to recognise a token in lists and logs. */
    prefix: text('prefix').notNull(),
    permissions: text('permissions').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId, t.userId], foreignColumns: [users.partnerId, users.id] }).onDelete(
      'cascade',
    ),
    index('api_tokens_user').on(t.partnerId, t.userId),
  ],
);

/** OpenID Connect sign-in of one partner (e.g. its Entra ID tenant). An issuer belongs to one partner. */
export const oidcConnections = pgTable(
  'oidc_connections',
  {
    ...tenantColumns(),
    issuer: text('issuer').notNull().unique(),
    clientId: text('client_id').notNull(),
    /** Encrypted with the installation's keyring. */
    clientSecret: text('client_secret').notNull(),
    /** Switched off, it signs nobody in (the connection is kept for switching back on). */
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [tenantPrimaryKey(t), foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] })],
);

/** State of an OIDC sign-in between the redirect to the provider and its callback. */
export const oidcStates = pgTable('oidc_states', {
  state: text('state').primaryKey(),
  partnerId: uuid('partner_id').notNull(),
  issuer: text('issuer').notNull(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
