import { and, eq, sql } from 'drizzle-orm';
import { customerMfaPolicy } from '#modules/customers';
import { getPartner } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { byTenantKey, selectRows, withTransaction } from '#platform/db';
import { invalid } from '#platform/errors';
import { getUserById, type User } from './queries.ts';
import { recoveryCodes, users } from './schema.ts';
import { recoveryCode } from './secrets-and-codes.ts';
import { completeSession, type Session } from './sessions.ts';
import { type ClientMeta, finishSignIn, replaceRecoveryCodes, type SignInResult } from './sign-in.ts';
import { acceptTotp, newTotpSecret, otpauthUri, qrSvg } from './totp.ts';
import { auditUser, notifyUser } from './user-events.ts';

const RECOVERY_CODES = 10;

/** A secret's associated data binds it to its user: a secret copied onto another row does not decrypt. */
const totpContext = (user: User) => `totp:${user.id}`;

async function reload(app: AppContext, user: User): Promise<User> {
  return (await getUserById(app.database.db, user.partnerId, user.id))!;
}

/** Starts (or restarts) enrolment: a new secret waits for confirmation; an active one keeps working. */
export async function startTotpEnrolment(app: AppContext, caller: Caller, user: User) {
  const secret = newTotpSecret();
  const partner = await getPartner(app.database.db, user.partnerId);
  await withTransaction(app.database, async (tx) => {
    await tx
      .update(users)
      .set({ totpPendingSecret: app.secrets.encrypt(secret, totpContext(user)) })
      .where(byTenantKey(users, user));
    await auditUser(tx, caller, user, 'user.mfa_enrolment_started');
  });
  const uri = otpauthUri(`${partner.displayName} (partnerdesk)`, user.email, secret);
  return { secret, otpauthUri: uri, qrSvg: qrSvg(uri) };
}

/**
 * Confirms the pending secret with a code from the app: it becomes the active one, ten new recovery
 * codes replace the old ones (returned once), and a session that was waiting for enrolment is signed in.
 */
export async function confirmTotpEnrolment(
  app: AppContext,
  caller: Caller,
  user: User,
  session: Session | undefined,
  meta: ClientMeta,
  code: string,
): Promise<{ recoveryCodes: string[]; signedIn?: SignInResult }> {
  const current = await reload(app, user);
  if (!current.totpPendingSecret)
    throw invalid('no-enrolment-pending', 'Start setting up two-step verification first');
  const now = app.clock.now();
  const secret = app.secrets.decrypt(current.totpPendingSecret, totpContext(current));
  const step = acceptTotp(secret, code.trim(), null, now);
  if (step === null)
    throw invalid('invalid-mfa-code', 'The code does not match; check the time on your phone and try again', {
      field: 'code',
    });
  const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
  const wasEnabled = current.totpEnabledAt !== null;
  return withTransaction(app.database, async (tx) => {
    await tx
      .update(users)
      .set({
        totpSecret: current.totpPendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: now,
        totpLastStep: step,
        updatedAt: now,
      })
      .where(byTenantKey(users, user));
    await replaceRecoveryCodes(tx, current, codes);
    await auditUser(tx, caller, user, wasEnabled ? 'user.mfa_replaced' : 'user.mfa_enabled');
    await notifyUser(tx, app, user, 'mfa-changed', { change: 'enabled', at: now, ip: meta.ip ?? '' });
    if (session?.step !== 'mfa-enrolment') return { recoveryCodes: codes };
    const { session: full, token, csrfToken } = await completeSession(tx, session, now);
    await finishSignIn(tx, app, current, full, meta);
    return { recoveryCodes: codes, signedIn: { token, csrfToken, step: 'done' } };
  });
}

function requireCurrentCode(app: AppContext, user: User, code: string) {
  if (!user.totpSecret) throw invalid('mfa-not-enabled', 'Two-step verification is not set up');
  const step = acceptTotp(
    app.secrets.decrypt(user.totpSecret, totpContext(user)),
    code.trim(),
    user.totpLastStep,
    app.clock.now(),
  );
  if (step === null)
    throw invalid('invalid-mfa-code', 'The code is wrong, already used or expired', { field: 'code' });
  return step;
}

export async function regenerateRecoveryCodes(
  app: AppContext,
  caller: Caller,
  user: User,
  code: string,
  meta: ClientMeta,
) {
  const current = await reload(app, user);
  const step = requireCurrentCode(app, current, code);
  const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
  await withTransaction(app.database, async (tx) => {
    await tx.update(users).set({ totpLastStep: step }).where(byTenantKey(users, user));
    await replaceRecoveryCodes(tx, current, codes);
    await auditUser(tx, caller, user, 'user.recovery_codes_regenerated');
    await notifyUser(tx, app, user, 'mfa-changed', {
      change: 'recovery-codes-regenerated',
      at: app.clock.now(),
      ip: meta.ip ?? '',
    });
  });
  return { recoveryCodes: codes };
}

/** Only customer users whose customer does not require it may turn two-step verification off. */
export async function disableTotp(
  app: AppContext,
  caller: Caller,
  user: User,
  code: string,
  meta: ClientMeta,
) {
  const current = await reload(app, user);
  const required =
    !current.customerId ||
    (await customerMfaPolicy(app.database.db, current.partnerId, current.customerId)) === 'required';
  if (required)
    throw invalid(
      'mfa-required',
      'Two-step verification is required for your account and cannot be turned off',
    );
  requireCurrentCode(app, current, code);
  await withTransaction(app.database, async (tx) => {
    await clearTotp(tx, current);
    await auditUser(tx, caller, user, 'user.mfa_disabled');
    await notifyUser(tx, app, user, 'mfa-changed', {
      change: 'disabled',
      at: app.clock.now(),
      ip: meta.ip ?? '',
    });
  });
}

export async function clearTotp(tx: import('#platform/db').Tx, user: User) {
  await tx
    .update(users)
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where(byTenantKey(users, user));
  await tx
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.partnerId, user.partnerId), eq(recoveryCodes.userId, user.id)));
}

export async function recoveryCodesLeft(app: AppContext, user: User): Promise<number> {
  const [row] = await selectRows<{ count: number }>(
    app.database.db,
    sql`select count(*)::int as count from ${recoveryCodes}
        where ${recoveryCodes.partnerId} = ${user.partnerId} and ${recoveryCodes.userId} = ${user.id} and ${recoveryCodes.usedAt} is null`,
  );
  return row?.count ?? 0;
}
