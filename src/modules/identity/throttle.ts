import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '#platform/db';
import { signInThrottle } from './schema.ts';

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;
/** Per e-mail address typed (existing or not), per IP, and per user at the second factor. */
export const throttleRules = {
  email: { maxFailures: 5, windowMs: FIFTEEN_MINUTES, lockMs: FIFTEEN_MINUTES },
  ip: { maxFailures: 30, windowMs: FIFTEEN_MINUTES, lockMs: FIFTEEN_MINUTES },
  mfa: { maxFailures: 5, windowMs: FIFTEEN_MINUTES, lockMs: FIFTEEN_MINUTES },
} satisfies Record<string, ThrottleRule>;

export type ThrottleKind = keyof typeof throttleRules;

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.toLowerCase()}`;
}

/** The latest lock among `keys` that is still running, if any. */
export async function lockedUntil(db: Queryable, keys: string[], now: Date): Promise<Date | undefined> {
  const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, keys));
  const locks = rows
    .map((row) => row.lockedUntil)
    .filter((until): until is Date => until !== null && until > now);
  return locks.sort((a, b) => b.getTime() - a.getTime())[0];
}

/**
 * Counts a failure in one atomic statement (so concurrent processes cannot both slip under the limit)
 * and locks the key once the window holds `maxFailures`.
 */
export async function recordFailure(
  db: Queryable,
  kind: ThrottleKind,
  value: string,
  now: Date,
): Promise<void> {
  const rule = throttleRules[kind];
  const key = throttleKey(kind, value);
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const lockEnd = new Date(now.getTime() + rule.lockMs);
  const at = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;
  const fresh = sql`${signInThrottle.windowStartedAt} < ${at(windowStart)}`;
  const failures = sql`case when ${fresh} then 1 else ${signInThrottle.failures} + 1 end`;
  await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: rule.maxFailures <= 1 ? lockEnd : null })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${fresh} then ${at(now)} else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${rule.maxFailures} then ${at(lockEnd)} else ${signInThrottle.lockedUntil} end`,
      },
    });
}

export async function clearFailures(db: Queryable, kind: ThrottleKind, value: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, throttleKey(kind, value)));
}
