import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { type Actor, anonymous } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { byTenantKey } from '#platform/db';
import { forbidden } from '#platform/errors';
import type { Authenticator } from '#platform/http';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { permissionsOf, type Role } from './permissions.ts';
import { getUserById, type User } from './queries.ts';
import { apiTokens } from './schema.ts';
import { sameSecret, sha256 } from './secrets-and-codes.ts';
import { findSession, type Session, touchSession } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The cookie session behind `request.actor`, when there is one. */
    session?: Session;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function signedIn(user: User): Actor {
  return {
    kind: user.customerId ? 'customer' : 'staff',
    id: user.id,
    partnerId: user.partnerId,
    ...(user.customerId ? { customerId: user.customerId } : {}),
    permissions: permissionsOf(user.roles as Role[]),
  };
}

/**
 * Who is calling: an API token (`Authorization: Bearer pdt_…`), else the session cookie. Cookie
 * mutations must echo the session's CSRF token in `x-csrf-token`; an unknown or expired cookie is simply
 * nobody, so a stale cookie never blocks the sign-in page.
 */
export function createAuthenticator(app: AppContext): Authenticator {
  return {
    async authenticate(request: FastifyRequest): Promise<Actor> {
      const now = app.clock.now();
      const authorization = request.headers.authorization;
      if (authorization?.startsWith('Bearer ')) return tokenActor(app, authorization.slice(7).trim(), now);
      const token = readCookie(request, SESSION_COOKIE);
      if (!token) return anonymous;
      const session = await findSession(app.database.db, token, now);
      if (!session) return anonymous;
      const user = await getUserById(app.database.db, session.partnerId, session.userId);
      if (user?.status !== 'active') return anonymous;
      // Public routes (sign-in, password reset) act for nobody, so a stale session there is no risk.
      const actsForSession = request.routeOptions.config?.access !== 'public';
      if (actsForSession && !SAFE_METHODS.has(request.method)) {
        // Only a header the page itself set counts: the cookie alone travels with forged requests too.
        const given = request.headers['x-csrf-token'];
        if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) {
          throw forbidden(
            'csrf-token-invalid',
            'This request lacks the x-csrf-token header of your session; reload the page',
          );
        }
      }
      await touchSession(app.database.db, session, now);
      request.session = session;
      if (session.step !== 'done') {
        return {
          kind: 'signing-in',
          id: user.id,
          partnerId: user.partnerId,
          ...(user.customerId ? { customerId: user.customerId } : {}),
          step: session.step,
        };
      }
      return signedIn(user);
    },
  };
}

async function tokenActor(app: AppContext, presented: string, now: Date): Promise<Actor> {
  const db = app.database.db;
  const [token] = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, sha256(presented)));
  if (!token || token.revokedAt !== null || token.expiresAt <= now) return anonymous;
  const user = await getUserById(db, token.partnerId, token.userId);
  if (user?.status !== 'active') return anonymous;
  // A token never holds more than its owner holds today: a demoted owner's token shrinks with them.
  const owner = permissionsOf(user.roles as Role[]);
  const permissions = new Set(token.permissions.filter((permission) => owner.has(permission as never)));
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(byTenantKey(apiTokens, token));
  }
  return {
    kind: 'token',
    id: user.id,
    tokenId: token.id,
    partnerId: user.partnerId,
    ...(user.customerId ? { customerId: user.customerId } : {}),
    permissions,
  };
}
