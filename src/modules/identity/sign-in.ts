import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import { customerMfaPolicy } from '#modules/customers';
import type { Actor, Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { byTenantKey, type Tx, withTransaction } from '#platform/db';
import { DomainError, invalid } from '#platform/errors';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.ts';
import { findUserByEmail, getUserById, normaliseEmail, type User } from './queries.ts';
import { knownDevices, recoveryCodes, users } from './schema.ts';
import { normaliseRecoveryCode, sha256 } from './secrets-and-codes.ts';
import {
  completeSession,
  createSession,
  endAllSessions,
  endSession,
  type Session,
  type SessionStep,
} from './sessions.ts';
import { clearFailures, lockedUntil, recordFailure, throttleKey } from './throttle.ts';
import { acceptTotp } from './totp.ts';
import { auditUser, notifyUser } from './user-events.ts';

/** Where a sign-in comes from: recorded in audit events and compared for "new sign-in" mail. */
export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

export interface SignInResult {
  token: string;
  csrfToken: string;
  step: SessionStep;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The same words whether the address is unknown, deactivated or the password wrong. */
const wrongCredentials = () => invalid('invalid-credentials', 'E-mail or password is wrong');

function lockedError(code: string, until: Date, now: Date) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new DomainError('rate_limited', code, `Too many failed attempts; try again in ${minutes} minute(s)`);
}

export function callerFor(user: User | undefined, meta: ClientMeta, actor?: Actor): Caller {
  return {
    actor:
      actor ??
      (user
        ? { kind: 'signing-in', id: user.id, partnerId: user.partnerId, step: 'mfa' }
        : { kind: 'anonymous' }),
    ip: meta.ip,
    requestId: meta.requestId,
  };
}

/** Which second-factor step a person with a correct password goes to next. */
export async function nextStep(app: AppContext, user: User): Promise<SessionStep> {
  if (user.totpEnabledAt) return 'mfa';
  if (!user.customerId) return 'mfa-enrolment';
  const policy = await customerMfaPolicy(app.database.db, user.partnerId, user.customerId);
  return policy === 'required' ? 'mfa-enrolment' : 'done';
}

/** False for a wrong password and for no usable account alike, in about the same time. */
async function checkPassword(user: User | undefined, password: string): Promise<boolean> {
  if (user?.status === 'active' && user.passwordHash) return verifyPassword(user.passwordHash, password);
  await verifyAgainstDecoy(password);
  return false;
}

export async function signInWithPassword(
  app: AppContext,
  meta: ClientMeta,
  input: { email: string; password: string },
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email))
    throw invalid('invalid-email', 'Enter an e-mail address like name@example.com', { field: 'email' });
  const db = app.database.db;
  const now = app.clock.now();
  const keys = [throttleKey('email', email), ...(meta.ip ? [throttleKey('ip', meta.ip)] : [])];
  const until = await lockedUntil(db, keys, now);
  if (until) throw lockedError('sign-in-locked', until, now);
  const user = await findUserByEmail(db, email);
  const passwordOk = await checkPassword(user, input.password);
  if (!user || !passwordOk) {
    await withTransaction(app.database, async (tx) => {
      await recordFailure(tx, 'email', email, now);
      if (meta.ip) await recordFailure(tx, 'ip', meta.ip, now);
      if (user) {
        await auditUser(tx, callerFor(undefined, meta), user, 'user.sign_in_failed');
      }
    });
    throw wrongCredentials();
  }
  const step = await nextStep(app, user);
  return withTransaction(app.database, async (tx) => {
    await clearFailures(tx, 'email', email);
    const { session, token, csrfToken } = await createSession(
      tx,
      {
        partnerId: user.partnerId,
        userId: user.id,
        step,
        method: 'password',
        ip: meta.ip,
        userAgent: meta.userAgent,
      },
      now,
    );
    if (step === 'done') await finishSignIn(tx, app, user, session, meta);
    else {
      await auditUser(tx, callerFor(user, meta), user, 'user.password_accepted', { after: { next: step } });
    }
    return { token, csrfToken, step };
  });
}

/**
 * The last step of every sign-in: note it, and mail the person when it comes from a browser and
 * address they never used before (but not on their very first sign-in).
 */
export async function finishSignIn(tx: Tx, app: AppContext, user: User, session: Session, meta: ClientMeta) {
  const now = app.clock.now();
  await tx.update(users).set({ lastSignInAt: now }).where(byTenantKey(users, user));
  const fingerprint = sha256(`${meta.ip ?? ''}|${meta.userAgent ?? ''}`);
  const known = await tx
    .select({ fingerprint: knownDevices.fingerprint })
    .from(knownDevices)
    .where(and(eq(knownDevices.partnerId, user.partnerId), eq(knownDevices.userId, user.id)));
  if (!known.some((device) => device.fingerprint === fingerprint)) {
    await tx.insert(knownDevices).values({ partnerId: user.partnerId, userId: user.id, fingerprint });
    if (known.length > 0) {
      await notifyUser(tx, app, user, 'new-sign-in', {
        at: now,
        ip: meta.ip ?? '',
        userAgent: meta.userAgent ?? '',
        method: session.method,
      });
    }
  }
  const caller = { actor: signedInActor(user), ip: meta.ip, requestId: meta.requestId };
  await auditUser(tx, caller, user, 'user.signed_in', { after: { method: session.method } });
}

function signedInActor(user: User): Actor {
  return {
    kind: user.customerId ? 'customer' : 'staff',
    id: user.id,
    partnerId: user.partnerId,
    permissions: new Set(),
  };
}

/** Accepts a TOTP code or a recovery code for a session waiting for its second factor. */
export async function verifySecondFactor(
  app: AppContext,
  session: Session,
  meta: ClientMeta,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<SignInResult> {
  if (session.step !== 'mfa')
    throw invalid('no-mfa-pending', 'This session is not waiting for a verification code');
  const db = app.database.db;
  const now = app.clock.now();
  const user = await getUserById(db, session.partnerId, session.userId);
  if (!user?.totpSecret)
    throw invalid('no-mfa-pending', 'This session is not waiting for a verification code');
  const until = await lockedUntil(db, [throttleKey('mfa', user.id)], now);
  if (until) throw lockedError('mfa-locked', until, now);
  const accepted = await withTransaction(app.database, async (tx) => {
    if (input.code !== undefined) {
      const step = acceptTotp(
        app.secrets.decrypt(user.totpSecret!, `totp:${user.id}`),
        input.code.trim(),
        user.totpLastStep,
        now,
      );
      if (step === null) return false;
      // Conditional on the last step, so two requests racing with one code cannot both pass.
      const moved = await tx
        .update(users)
        .set({ totpLastStep: step })
        .where(
          and(
            eq(users.partnerId, user.partnerId),
            eq(users.id, user.id),
            sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`,
          ),
        )
        .returning({ id: users.id });
      return moved.length === 1;
    }
    if (input.recoveryCode !== undefined) return redeemRecoveryCode(tx, user, input.recoveryCode, now);
    return false;
  });
  if (!accepted) {
    await withTransaction(app.database, async (tx) => {
      await recordFailure(tx, 'mfa', user.id, now);
      await auditUser(tx, callerFor(user, meta), user, 'user.mfa_failed');
    });
    throw invalid('invalid-mfa-code', 'The code is wrong, already used or expired', {
      field: input.recoveryCode !== undefined ? 'recoveryCode' : 'code',
    });
  }
  return withTransaction(app.database, async (tx) => {
    await clearFailures(tx, 'mfa', user.id);
    const { session: full, token, csrfToken } = await completeSession(tx, session, now);
    await finishSignIn(tx, app, user, full, meta);
    return { token, csrfToken, step: 'done' };
  });
}

async function redeemRecoveryCode(tx: Tx, user: User, code: string, now: Date): Promise<boolean> {
  const candidates = await tx
    .select()
    .from(recoveryCodes)
    .where(
      and(
        eq(recoveryCodes.partnerId, user.partnerId),
        eq(recoveryCodes.userId, user.id),
        isNull(recoveryCodes.usedAt),
      ),
    );
  const normalised = normaliseRecoveryCode(code);
  for (const candidate of candidates) {
    if (await verifyPassword(candidate.codeHash, normalised)) {
      const used = await tx
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(
          and(
            eq(recoveryCodes.partnerId, user.partnerId),
            eq(recoveryCodes.id, candidate.id),
            isNull(recoveryCodes.usedAt),
          ),
        )
        .returning({ id: recoveryCodes.id });
      return used.length === 1;
    }
  }
  return false;
}

/** Stores new recovery codes (argon2id-hashed: they are short enough to guess offline otherwise). */
export async function replaceRecoveryCodes(tx: Tx, user: User, codes: string[]) {
  await tx
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.partnerId, user.partnerId), eq(recoveryCodes.userId, user.id)));
  for (const code of codes) {
    await tx
      .insert(recoveryCodes)
      .values({ partnerId: user.partnerId, userId: user.id, codeHash: await hashPassword(code) });
  }
}

export async function signOut(app: AppContext, session: Session, caller: Caller) {
  await withTransaction(app.database, async (tx) => {
    await endSession(tx, session);
    await recordAudit(tx, caller, {
      partnerId: session.partnerId,
      action: 'user.signed_out',
      target: { type: 'user', id: session.userId },
    });
  });
}

export async function signOutEverywhere(app: AppContext, partnerId: string, userId: string, caller: Caller) {
  await withTransaction(app.database, async (tx) => {
    const ended = await endAllSessions(tx, partnerId, userId);
    await recordAudit(tx, caller, {
      partnerId,
      action: 'user.signed_out_everywhere',
      target: { type: 'user', id: userId },
      after: { sessionsEnded: ended },
    });
  });
}
