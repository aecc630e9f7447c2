import { and, eq, lt } from 'drizzle-orm';
import type { Queryable } from '#platform/db';
import { byTenantKey } from '#platform/db';
import { sessions } from './schema.ts';
import { randomToken, sha256 } from './secrets-and-codes.ts';

/** A signed-in session lasts 7 days at most and ends after 12 hours without use. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Between password and second factor there are 10 minutes. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;

export type Session = typeof sessions.$inferSelect;
export type SessionStep = Session['step'];

export interface NewSession {
  partnerId: string;
  userId: string;
  step: SessionStep;
  method: Session['method'];
  ip: string | undefined;
  userAgent: string | undefined;
}

/** Creates a session and returns the cookie token (only its hash is stored) and the CSRF token. */
export async function createSession(db: Queryable, input: NewSession, now: Date) {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const lifetime = input.step === 'done' ? SESSION_LIFETIME_MS : PENDING_LIFETIME_MS;
  const [session] = await db
    .insert(sessions)
    .values({
      partnerId: input.partnerId,
      userId: input.userId,
      tokenHash: sha256(token),
      csrfToken,
      step: input.step,
      method: input.method,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetime),
    })
    .returning();
  return { session: session!, token, csrfToken };
}

/** The live session behind a cookie token, or undefined (unknown, expired, or idle too long). */
export async function findSession(db: Queryable, token: string, now: Date): Promise<Session | undefined> {
  const [session] = await db
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, sha256(token)));
  if (!session || session.expiresAt <= now) return undefined;
  if (session.step === 'done' && now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS)
    return undefined;
  return session;
}

/** Notes use at most once a minute, so reads do not turn into a write each. */
export async function touchSession(db: Queryable, session: Session, now: Date) {
  if (now.getTime() - session.lastSeenAt.getTime() < 60_000) return;
  await db.update(sessions).set({ lastSeenAt: now }).where(byTenantKey(sessions, session));
}

/** The second factor was given: the session becomes a full one, with a new token (no fixation). */
export async function completeSession(db: Queryable, session: Session, now: Date) {
  await endSession(db, session);
  return createSession(
    db,
    {
      partnerId: session.partnerId,
      userId: session.userId,
      step: 'done',
      method: session.method,
      ip: session.ip ?? undefined,
      userAgent: session.userAgent ?? undefined,
    },
    now,
  );
}

export async function endSession(db: Queryable, session: Session) {
  await db.delete(sessions).where(byTenantKey(sessions, session));
}

export async function endAllSessions(db: Queryable, partnerId: string, userId: string): Promise<number> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.partnerId, partnerId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return ended.length;
}

export async function purgeExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const purged = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return purged.length;
}
