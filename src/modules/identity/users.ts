import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import { getCustomer } from '#modules/customers';
import { getPartner } from '#modules/partners';
import type { Caller, SignedIn } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { byTenantKey, type Tx, withTransaction } from '#platform/db';
import { conflict, forbidden, invalid, notFound } from '#platform/errors';
import { normalizeLocale } from '#platform/i18n';
import { clearTotp } from './mfa.ts';
import { assertStrongPassword, hashPassword } from './passwords.ts';
import { type CustomerRole, customerRoles, type StaffRole, staffRoles } from './permissions.ts';
import { emailInUse, findUserByEmail, getUser, getUserById, normaliseEmail, type User } from './queries.ts';
import { users, userTokens } from './schema.ts';
import { randomToken, sha256 } from './secrets-and-codes.ts';
import { endAllSessions } from './sessions.ts';
import { auditUser, notifyUser } from './user-events.ts';

const INVITATION_DAYS = 7;
const RESET_HOURS = 1;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewUser {
  email: string;
  name: string;
  roles: (StaffRole | CustomerRole)[];
  language?: string | null | undefined;
}

function validateNewUser(input: NewUser, allowed: readonly string[]) {
  if (!EMAIL.test(input.email.trim()))
    throw invalid('invalid-email', 'Enter an e-mail address like name@example.com', { field: 'email' });
  if (input.name.trim() === '') throw invalid('invalid-name', 'Enter the person’s name', { field: 'name' });
  if (input.roles.length === 0)
    throw invalid('invalid-roles', 'Choose at least one role', { field: 'roles' });
  const unknown = input.roles.filter((role) => !allowed.includes(role));
  if (unknown.length > 0)
    throw invalid('invalid-roles', `Not a role here: ${unknown.join(', ')}`, { field: 'roles' });
  if (input.language != null && normalizeLocale(input.language) === undefined) {
    throw invalid('invalid-language', 'Choose one of en, zh-Hans, zh-Hant, hu or ru', { field: 'language' });
  }
}

/** A User admin manages staff but never Global admins, and cannot make one. */
function assertMayManageStaff(actor: SignedIn, target: { roles: string[] } | undefined, newRoles?: string[]) {
  if (actor.permissions.has('partner.manage')) return;
  const touchesGlobalAdmin = target?.roles.includes('global_admin') || newRoles?.includes('global_admin');
  if (touchesGlobalAdmin)
    throw forbidden('global-admin-only', 'Only a Global admin can manage Global admins');
}

async function createToken(
  tx: Tx,
  user: Pick<User, 'partnerId' | 'id'>,
  purpose: 'invitation' | 'password-reset',
  now: Date,
) {
  const token = randomToken();
  const lifetime = purpose === 'invitation' ? INVITATION_DAYS * 24 * 3_600_000 : RESET_HOURS * 3_600_000;
  // A new link replaces every earlier unused one of the same purpose.
  await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.partnerId, user.partnerId),
        eq(userTokens.userId, user.id),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
      ),
    );
  const expiresAt = new Date(now.getTime() + lifetime);
  await tx
    .insert(userTokens)
    .values({ partnerId: user.partnerId, userId: user.id, purpose, tokenHash: sha256(token), expiresAt });
  return { token, expiresAt };
}

async function mailInvitation(
  tx: Tx,
  app: AppContext,
  user: User,
  inviterName: string,
  organisationName: string,
) {
  const { token, expiresAt } = await createToken(tx, user, 'invitation', app.clock.now());
  const acceptUrl = `${app.config.publicUrl}/accept-invitation?token=${token}`;
  await notifyUser(tx, app, user, 'invitation', { inviterName, organisationName, acceptUrl, expiresAt });
  return acceptUrl;
}

/**
 * Invites a person: the user exists as `invited` and gets a mail with a single-use link to choose a
 * password. `customerId` null invites partner staff. Returns the user and the link (the CLI prints it).
 */
export async function inviteUser(
  app: AppContext,
  caller: Caller,
  partnerId: string,
  customerId: string | null,
  input: NewUser,
  inviterName: string,
): Promise<{ user: User; acceptUrl: string }> {
  validateNewUser(input, customerId ? customerRoles : staffRoles);
  if (customerId && input.roles.length !== 1)
    throw invalid('invalid-roles', 'A customer user has exactly one role', { field: 'roles' });
  const email = normaliseEmail(input.email);
  const partner = await getPartner(app.database.db, partnerId);
  const organisationName = customerId
    ? (await getCustomer(app.database.db, { partnerId }, customerId)).name
    : partner.displayName;
  return withTransaction(app.database, async (tx) => {
    // Addresses are unique in the installation; saying so reveals no more than the invitation would.
    if (await emailInUse(tx, email))
      throw conflict('email-unavailable', 'This e-mail address cannot be used for a new user');
    const [user] = await tx
      .insert(users)
      .values({
        partnerId,
        customerId,
        email,
        name: input.name.trim(),
        roles: input.roles,
        language: input.language ? normalizeLocale(input.language)! : null,
        status: 'invited',
        invitedBy: caller.actor.kind === 'staff' || caller.actor.kind === 'customer' ? caller.actor.id : null,
      })
      .returning();
    const acceptUrl = await mailInvitation(tx, app, user!, inviterName, organisationName);
    await recordAudit(tx, caller, {
      partnerId,
      ...(customerId ? { customerId } : {}),
      action: 'user.invited',
      target: { type: 'user', id: user!.id },
      after: { email, name: user!.name, roles: input.roles },
    });
    return { user: user!, acceptUrl };
  });
}

export async function inviteStaff(
  app: AppContext,
  caller: Caller & { actor: SignedIn },
  input: NewUser,
  inviterName: string,
) {
  assertMayManageStaff(caller.actor, undefined, input.roles);
  return inviteUser(app, caller, caller.actor.partnerId, null, input, inviterName);
}

async function findToken(tx: Tx, token: string, purpose: 'invitation' | 'password-reset', now: Date) {
  const [row] = await tx
    .select()
    .from(userTokens)
    .where(eq(userTokens.tokenHash, sha256(token)));
  if (!row || row.purpose !== purpose || row.usedAt !== null || row.expiresAt <= now) throw expiredLink();
  return row;
}

const expiredLink = () =>
  invalid('invalid-token', 'This link has expired or was already used; ask for a new one', {
    field: 'token',
  });

export async function inspectInvitation(app: AppContext, token: string) {
  return withTransaction(app.database, async (tx) => {
    const row = await findToken(tx, token, 'invitation', app.clock.now());
    const user = (await getUserById(tx, row.partnerId, row.userId))!;
    const partner = await getPartner(tx, row.partnerId);
    const organisationName = user.customerId
      ? (await getCustomer(tx, { partnerId: row.partnerId }, user.customerId)).name
      : partner.displayName;
    return {
      email: user.email,
      name: user.name,
      organisationName,
      kind: user.customerId ? ('customer' as const) : ('staff' as const),
    };
  });
}

/**
 * Redeems a mailed link by setting a password: the link is checked, the password hashed outside any
 * transaction, then the link is used up (conditionally, so it works once) together with `andThen`.
 */
async function setPasswordByLink(
  app: AppContext,
  purpose: 'invitation' | 'password-reset',
  input: { token: string; password: string },
  andThen: (tx: Tx, user: User, now: Date) => Promise<void>,
) {
  const now = app.clock.now();
  const { row, user } = await withTransaction(app.database, async (tx) => {
    const found = await findToken(tx, input.token, purpose, now);
    return { row: found, user: (await getUserById(tx, found.partnerId, found.userId))! };
  });
  assertStrongPassword(input.password, user);
  const passwordHash = await hashPassword(input.password);
  await withTransaction(app.database, async (tx) => {
    const used = await tx
      .update(userTokens)
      .set({ usedAt: now })
      .where(
        and(eq(userTokens.partnerId, row.partnerId), eq(userTokens.id, row.id), isNull(userTokens.usedAt)),
      )
      .returning({ id: userTokens.id });
    if (used.length !== 1) throw expiredLink();
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, updatedAt: now })
      .where(byTenantKey(users, user));
    await andThen(tx, user, now);
  });
}

export function acceptInvitation(
  app: AppContext,
  caller: Caller,
  input: { token: string; password: string },
) {
  return setPasswordByLink(app, 'invitation', input, async (tx, user) => {
    await tx.update(users).set({ status: 'active' }).where(byTenantKey(users, user));
    const newcomer = {
      ...caller,
      actor: { kind: 'signing-in' as const, id: user.id, partnerId: user.partnerId, step: 'mfa' as const },
    };
    await auditUser(tx, newcomer, user, 'user.invitation_accepted');
  });
}

/** Always answers the same: whether a reset mail went out is for the mailbox owner to see. */
export async function requestPasswordReset(app: AppContext, caller: Caller, email: string) {
  const normalised = normaliseEmail(email);
  if (!EMAIL.test(normalised))
    throw invalid('invalid-email', 'Enter an e-mail address like name@example.com', { field: 'email' });
  await withTransaction(app.database, async (tx) => {
    const user = await findUserByEmail(tx, normalised);
    if (user?.status !== 'active') return;
    const { token, expiresAt } = await createToken(tx, user, 'password-reset', app.clock.now());
    const resetUrl = `${app.config.publicUrl}/reset-password?token=${token}`;
    await notifyUser(tx, app, user, 'password-reset', { resetUrl, expiresAt, ip: caller.ip ?? '' });
    await auditUser(tx, caller, user, 'user.password_reset_requested');
  });
}

/** Sets the new password, uses the link up, and ends every session of the account. */
export function completePasswordReset(
  app: AppContext,
  caller: Caller,
  input: { token: string; password: string },
) {
  return setPasswordByLink(app, 'password-reset', input, async (tx, user) => {
    const ended = await endAllSessions(tx, user.partnerId, user.id);
    await auditUser(tx, caller, user, 'user.password_reset', { after: { sessionsEnded: ended } });
  });
}

export interface UserChange {
  name?: string | undefined;
  roles?: (StaffRole | CustomerRole)[] | undefined;
}

/**
 * Changes, deactivates, reactivates or resets the MFA of a user in the actor's reach: staff of the
 * actor's partner (`customerId` null), or users of one customer (a customer admin: only their own).
 */
export async function changeUser(
  app: AppContext,
  caller: Caller & { actor: SignedIn },
  customerId: string | null,
  userId: string,
  change: UserChange | 'deactivate' | 'reactivate' | 'mfa-reset' | 'resend-invitation',
  inviterName: string,
) {
  const actor = caller.actor;
  const scope = { partnerId: actor.partnerId, ...(actor.customerId ? { customerId: actor.customerId } : {}) };
  const target = await getUser(app.database.db, scope, userId);
  if ((target.customerId ?? null) !== customerId) throw notFound('User');
  if (customerId === null)
    assertMayManageStaff(actor, target, typeof change === 'object' ? change.roles : undefined);
  if (typeof change === 'object' && change.roles) {
    validateNewUser(
      { email: target.email, name: change.name ?? target.name, roles: change.roles },
      customerId ? customerRoles : staffRoles,
    );
    if (customerId && change.roles.length !== 1)
      throw invalid('invalid-roles', 'A customer user has exactly one role', { field: 'roles' });
  }
  if (
    target.id === actor.id &&
    change !== 'resend-invitation' &&
    (change === 'deactivate' || (typeof change === 'object' && change.roles))
  ) {
    throw invalid('cannot-change-self', 'Ask another administrator to change your own roles or access');
  }
  const now = app.clock.now();
  return withTransaction(app.database, async (tx) => {
    const where = byTenantKey(users, target);
    let action: string;
    let after: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    if (change === 'deactivate') {
      await tx.update(users).set({ status: 'deactivated', updatedAt: now }).where(where);
      await endAllSessions(tx, target.partnerId, target.id);
      action = 'user.deactivated';
      before.status = target.status;
      after = { status: 'deactivated' };
    } else if (change === 'reactivate') {
      const status = target.passwordHash ? 'active' : 'invited';
      await tx.update(users).set({ status, updatedAt: now }).where(where);
      action = 'user.reactivated';
      before.status = target.status;
      after = { status };
    } else if (change === 'mfa-reset') {
      await clearTotp(tx, target);
      await endAllSessions(tx, target.partnerId, target.id);
      await notifyUser(tx, app, target, 'mfa-changed', {
        change: 'reset-by-admin',
        at: now,
        ip: caller.ip ?? '',
      });
      action = 'user.mfa_reset';
    } else if (change === 'resend-invitation') {
      if (target.status !== 'invited')
        throw invalid('not-invited', 'This person has already accepted the invitation');
      const partner = await getPartner(tx, target.partnerId);
      const organisation = target.customerId
        ? (await getCustomer(tx, scope, target.customerId)).name
        : partner.displayName;
      await mailInvitation(tx, app, target, inviterName, organisation);
      action = 'user.invitation_resent';
    } else {
      const set: Partial<User> = { updatedAt: now };
      if (change.name !== undefined && change.name.trim() !== target.name) {
        set.name = change.name.trim();
        before.name = target.name;
        after.name = set.name;
      }
      if (change.roles !== undefined) {
        set.roles = change.roles;
        before.roles = target.roles;
        after.roles = change.roles;
      }
      await tx.update(users).set(set).where(where);
      action = 'user.updated';
    }
    await auditUser(tx, caller, target, action, { before, after });
    return (await getUserById(tx, target.partnerId, target.id))!;
  });
}
