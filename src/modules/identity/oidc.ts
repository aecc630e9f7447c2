import { and, eq, lt, sql } from 'drizzle-orm';
import * as client from 'openid-client';
import { recordAudit } from '#modules/audit';
import { findPartnerBySlug, getPartner, requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, withTransaction } from '#platform/db';
import { conflict, DomainError, invalid, notFound } from '#platform/errors';
import { findUserByEmail } from './queries.ts';
import { oidcConnections, oidcStates } from './schema.ts';
import { createSession } from './sessions.ts';
import { type ClientMeta, callerFor, finishSignIn, nextStep, type SignInResult } from './sign-in.ts';
import { auditUser } from './user-events.ts';

/** Between the redirect to the provider and its callback there are 10 minutes. */
const STATE_LIFETIME_MS = 10 * 60 * 1000;
const SCOPE = 'openid email profile';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The installation-wide connection of the environment, for a single-partner installation. */
export interface EnvironmentOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The slug of the partner it signs people into. */
  partnerSlug: string;
}

/** An issuer is an https URL (http only on this machine, for tests and trials) without query or fragment. */
function parseIssuer(issuer: string, field: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw invalid(
      'invalid-issuer',
      'The issuer must be a URL like https://login.microsoftonline.com/<tenant>/v2.0',
      { field },
    );
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure || url.search !== '' || url.hash !== '') {
    throw invalid('invalid-issuer', 'The issuer must be an https URL without query or fragment', { field });
  }
  return issuer;
}

type ConnectionRow = typeof oidcConnections.$inferSelect;

/** A connection ready to sign people in, its secret decrypted. */
interface ActiveConnection {
  partnerId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

async function connectionRow(db: Queryable, partnerId: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(oidcConnections).where(eq(oidcConnections.partnerId, partnerId));
  return row;
}

const secretContext = (partnerId: string) => `oidc:${partnerId}`;

/** The partner's own connection when it has one (switched off, it signs nobody in), else the environment's. */
async function activeConnection(
  app: AppContext,
  partner: { id: string; slug: string },
): Promise<ActiveConnection | undefined> {
  const row = await connectionRow(app.database.db, partner.id);
  if (row) {
    if (!row.enabled) return undefined;
    const clientSecret = app.secrets.decrypt(row.clientSecret, secretContext(partner.id));
    return { partnerId: partner.id, issuer: row.issuer, clientId: row.clientId, clientSecret };
  }
  const environment = app.config.oidc;
  if (environment?.partnerSlug !== partner.slug) return undefined;
  return {
    partnerId: partner.id,
    issuer: environment.issuer,
    clientId: environment.clientId,
    clientSecret: environment.clientSecret,
  };
}

/** The connection a sign-in for `slug` (undefined: the environment's partner) would use, if any. */
async function connectionFor(
  app: AppContext,
  slug: string | undefined,
): Promise<ActiveConnection | undefined> {
  const partnerSlug = slug ?? app.config.oidc?.partnerSlug;
  const partner =
    partnerSlug === undefined ? undefined : await findPartnerBySlug(app.database.db, partnerSlug);
  return partner && (await activeConnection(app, partner));
}

/** Whether the sign-in page should offer the organisation's own sign-in. */
export async function oidcAvailable(app: AppContext, slug: string | undefined): Promise<boolean> {
  return (await connectionFor(app, slug)) !== undefined;
}

/** Same words whether the partner is unknown or has no connection. */
const notConfigured = () =>
  new DomainError('not_found', 'oidc-not-configured', 'Single sign-on is not set up for this organisation');

function discover(connection: ActiveConnection): Promise<client.Configuration> {
  const execute = [client.enableNonRepudiationChecks];
  // parseIssuer allows http only on loopback addresses.
  if (connection.issuer.startsWith('http:')) execute.push(client.allowInsecureRequests);
  return client.discovery(
    new URL(connection.issuer),
    connection.clientId,
    connection.clientSecret,
    undefined,
    { execute },
  );
}

const redirectUri = (app: AppContext) => `${app.config.publicUrl}/api/v1/auth/oidc/callback`;

/**
 * Starts a sign-in at the partner's identity provider (`slug` undefined: the environment's partner):
 * stores state, nonce and PKCE verifier for 10 minutes and returns the provider's authorization URL.
 */
export async function startOidcSignIn(app: AppContext, slug: string | undefined): Promise<URL> {
  const connection = await connectionFor(app, slug);
  if (!connection) throw notConfigured();
  const configuration = await discover(connection).catch((error: unknown) => {
    app.log.warn({ err: error, issuer: connection.issuer }, 'OIDC discovery failed');
    throw new DomainError(
      'unavailable',
      'oidc-unavailable',
      'The identity provider cannot be reached; try again in a moment',
    );
  });
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const now = app.clock.now();
  await withTransaction(app.database, async (tx) => {
    // Abandoned sign-ins are swept here: the table stays as small as the sign-ins in flight.
    await tx.delete(oidcStates).where(lt(oidcStates.expiresAt, now));
    await tx.insert(oidcStates).values({
      state,
      partnerId: connection.partnerId,
      issuer: connection.issuer,
      nonce,
      codeVerifier,
      expiresAt: new Date(now.getTime() + STATE_LIFETIME_MS),
    });
  });
  return client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri(app),
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
}

export type OidcOutcome =
  | { ok: true; result: SignInResult; customer: boolean }
  /** `code` goes to the sign-in page: it never tells whether an account exists. */
  | { ok: false; code: 'oidc-state-invalid' | 'oidc-issuer-mismatch' | 'oidc-no-account' | 'oidc-failed' };

/** The address the ID token vouches for: `email`, else Entra's `preferred_username` or `upn`. */
function emailOf(claims: client.IDToken): string | undefined {
  for (const claim of ['email', 'preferred_username', 'upn']) {
    const value = claims[claim];
    if (typeof value === 'string' && EMAIL.test(value.trim())) return value;
  }
  return undefined;
}

/**
 * The provider's callback: uses the state up (once, even when the rest fails), exchanges the code,
 * validates the ID token and finds the active user with its address in the state's partner. An `amr`
 * with `mfa` signs them in; otherwise the second factor is asked as after a password.
 */
export async function finishOidcSignIn(
  app: AppContext,
  meta: ClientMeta,
  parameters: Record<string, string>,
): Promise<OidcOutcome> {
  const now = app.clock.now();
  const state = parameters.state;
  const stored =
    state === undefined
      ? undefined
      : await withTransaction(
          app.database,
          async (tx) => (await tx.delete(oidcStates).where(eq(oidcStates.state, state)).returning())[0],
        );
  if (!stored) return { ok: false, code: 'oidc-state-invalid' };

  const fail = async (
    code: Exclude<OidcOutcome, { ok: true }>['code'],
    reason: string,
    email?: string,
  ): Promise<OidcOutcome> => {
    await withTransaction(app.database, (tx) =>
      recordAudit(tx, callerFor(undefined, meta), {
        partnerId: stored.partnerId,
        action: 'user.oidc_sign_in_failed',
        target: { type: 'oidc_connection' },
        after: { reason, ...(email ? { email } : {}) },
      }),
    );
    return { ok: false, code };
  };
  if (stored.expiresAt <= now) return fail('oidc-state-invalid', 'state-expired');
  // A provider that names itself (RFC 9207) must be the one this sign-in was sent to: no mix-up.
  if (parameters.iss !== undefined && parameters.iss !== stored.issuer) {
    return fail('oidc-issuer-mismatch', 'issuer-mismatch');
  }
  const connection = await activeConnection(app, await getPartner(app.database.db, stored.partnerId));
  if (connection?.issuer !== stored.issuer) return fail('oidc-failed', 'connection-changed');

  let claims: client.IDToken;
  try {
    const configuration = await discover(connection);
    const tokens = await client.authorizationCodeGrant(
      configuration,
      new URL(`${redirectUri(app)}?${new URLSearchParams(parameters)}`),
      {
        pkceCodeVerifier: stored.codeVerifier,
        expectedState: stored.state,
        expectedNonce: stored.nonce,
        idTokenExpected: true,
      },
    );
    claims = tokens.claims()!;
  } catch (error) {
    app.log.warn({ err: error, issuer: stored.issuer }, 'OIDC code exchange refused');
    return fail('oidc-failed', 'exchange-failed');
  }

  const email = emailOf(claims);
  const user = email === undefined ? undefined : await findUserByEmail(app.database.db, email);
  // Another partner's user, a deactivated one and no one at all look the same from outside.
  if (!user || user.partnerId !== stored.partnerId || user.status !== 'active') {
    return fail('oidc-no-account', 'no-account', email);
  }
  const amr = Array.isArray(claims.amr) ? claims.amr : [];
  const step = amr.includes('mfa') ? 'done' : await nextStep(app, user);
  return withTransaction(app.database, async (tx) => {
    const { session, token, csrfToken } = await createSession(
      tx,
      {
        partnerId: user.partnerId,
        userId: user.id,
        step,
        method: 'oidc',
        ip: meta.ip,
        userAgent: meta.userAgent,
      },
      now,
    );
    if (step === 'done') await finishSignIn(tx, app, user, session, meta);
    else await auditUser(tx, callerFor(user, meta), user, 'user.oidc_accepted', { after: { next: step } });
    return { ok: true, result: { token, csrfToken, step }, customer: user.customerId !== null };
  });
}

/** What an admin sees of a connection: never the secret, only that there is one. */
export interface OidcConnectionView {
  issuer: string;
  clientId: string;
  clientSecretSet: boolean;
  enabled: boolean;
  /** `environment`: the installation's default serves this partner (read-only here). */
  source: 'partner' | 'environment';
}

function present(row: ConnectionRow): OidcConnectionView {
  return {
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecretSet: true,
    enabled: row.enabled,
    source: 'partner',
  };
}

/** The caller's partner's connection: its own, else the environment's when that serves it, else null. */
export async function getOidcConnection(app: AppContext, caller: Caller): Promise<OidcConnectionView | null> {
  const { partnerId } = requirePermission(caller, 'partner.manage');
  const row = await connectionRow(app.database.db, partnerId);
  if (row) return present(row);
  const environment = app.config.oidc;
  const partner = await getPartner(app.database.db, partnerId);
  if (environment?.partnerSlug !== partner.slug) return null;
  return {
    issuer: environment.issuer,
    clientId: environment.clientId,
    clientSecretSet: true,
    enabled: true,
    source: 'environment',
  };
}

export interface OidcConnectionInput {
  issuer: string;
  clientId: string;
  /** Required for a new connection; absent keeps the stored one. */
  clientSecret?: string | undefined;
  enabled: boolean;
}

/** Creates or changes the caller's partner's connection. An issuer belongs to one partner only. */
export async function saveOidcConnection(
  app: AppContext,
  caller: Caller,
  input: OidcConnectionInput,
): Promise<OidcConnectionView> {
  const { partnerId } = requirePermission(caller, 'partner.manage');
  const issuer = parseIssuer(input.issuer.trim(), 'issuer');
  const clientId = input.clientId.trim();
  if (clientId === '') {
    throw invalid('invalid-client-id', 'Enter the application (client) ID', { field: 'clientId' });
  }
  const secret = input.clientSecret?.trim() || undefined;
  const partner = await getPartner(app.database.db, partnerId);
  const environment = app.config.oidc;
  return withTransaction(app.database, async (tx) => {
    // Connection writes are rare: one lock serialises them, so the checks below cannot race.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('partnerdesk.oidc_connections'))`);
    const [owner] = await tx
      .select({ partnerId: oidcConnections.partnerId })
      .from(oidcConnections)
      .where(eq(oidcConnections.issuer, issuer));
    const takenByEnvironment = environment?.issuer === issuer && environment.partnerSlug !== partner.slug;
    if ((owner && owner.partnerId !== partnerId) || takenByEnvironment) {
      throw conflict('issuer-taken', 'This issuer already signs people in to another organisation here');
    }
    const before = await connectionRow(tx, partnerId);
    if (!before && !secret) {
      throw invalid('client-secret-required', 'Enter the client secret', { field: 'clientSecret' });
    }
    const values = {
      issuer,
      clientId,
      enabled: input.enabled,
      ...(secret ? { clientSecret: app.secrets.encrypt(secret, secretContext(partnerId)) } : {}),
    };
    const [row] = before
      ? await tx
          .update(oidcConnections)
          .set(values)
          .where(and(eq(oidcConnections.partnerId, partnerId), eq(oidcConnections.id, before.id)))
          .returning()
      : await tx
          .insert(oidcConnections)
          .values({ partnerId, ...values, clientSecret: values.clientSecret! })
          .returning();
    await recordAudit(tx, caller, {
      partnerId,
      action: before ? 'oidc.connection_changed' : 'oidc.connection_created',
      target: { type: 'oidc_connection', id: row!.id },
      ...(before
        ? { before: { issuer: before.issuer, clientId: before.clientId, enabled: before.enabled } }
        : {}),
      // The secret itself never reaches the log; only that it was replaced.
      after: { issuer, clientId, enabled: input.enabled, ...(secret ? { clientSecretReplaced: true } : {}) },
    });
    return present(row!);
  });
}

export async function removeOidcConnection(app: AppContext, caller: Caller): Promise<void> {
  const { partnerId } = requirePermission(caller, 'partner.manage');
  await withTransaction(app.database, async (tx) => {
    const [removed] = await tx
      .delete(oidcConnections)
      .where(eq(oidcConnections.partnerId, partnerId))
      .returning();
    if (!removed) throw notFound('OIDC connection');
    await recordAudit(tx, caller, {
      partnerId,
      action: 'oidc.connection_removed',
      target: { type: 'oidc_connection', id: removed.id },
      before: { issuer: removed.issuer, clientId: removed.clientId, enabled: removed.enabled },
    });
  });
}
