import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import { customerMfaPolicy, getCustomer } from '#modules/customers';
import { getPartner } from '#modules/partners';
import type { Caller, SignedIn } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { byTenantKey, withTransaction } from '#platform/db';
import { invalid, notFound } from '#platform/errors';
import { normalizeLocale } from '#platform/i18n';
import { recoveryCodesLeft } from './mfa.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.ts';
import { isPermission, type Permission, permissionsOf, type Role } from './permissions.ts';
import { getUserById, type User } from './queries.ts';
import { apiTokens, users } from './schema.ts';
import { randomToken, sha256 } from './secrets-and-codes.ts';
import type { SessionStep } from './sessions.ts';
import { auditUser } from './user-events.ts';

/** What the web app needs to know about the person signed in (or signing in). */
export async function describeMe(app: AppContext, user: User, step: SessionStep) {
  const db = app.database.db;
  const partner = await getPartner(db, user.partnerId);
  const customer = user.customerId
    ? await getCustomer(db, { partnerId: user.partnerId }, user.customerId)
    : null;
  const mfaRequired =
    !user.customerId || (await customerMfaPolicy(db, user.partnerId, user.customerId)) === 'required';
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    kind: user.customerId ? ('customer' as const) : ('staff' as const),
    roles: user.roles,
    permissions: step === 'done' ? [...permissionsOf(user.roles as Role[])].sort() : [],
    partner: { id: partner.id, slug: partner.slug, displayName: partner.displayName, kind: partner.kind },
    customer: customer ? { id: customer.id, name: customer.name } : null,
    language: user.language,
    step,
    mfa: {
      enabled: user.totpEnabledAt !== null,
      required: mfaRequired,
      recoveryCodesLeft: await recoveryCodesLeft(app, user),
    },
  };
}

export async function updateMe(
  app: AppContext,
  caller: Caller,
  user: User,
  change: { name?: string | undefined; language?: string | null | undefined },
) {
  const set: Partial<User> = {};
  const before: Record<string, unknown> = {};
  if (change.name !== undefined) {
    if (change.name.trim() === '') throw invalid('invalid-name', 'Enter your name', { field: 'name' });
    set.name = change.name.trim();
    before.name = user.name;
  }
  if (change.language !== undefined) {
    const language = change.language === null ? null : normalizeLocale(change.language);
    if (language === undefined)
      throw invalid('invalid-language', 'Choose one of en, zh-Hans, zh-Hant, hu or ru', {
        field: 'language',
      });
    set.language = language;
    before.language = user.language;
  }
  await withTransaction(app.database, async (tx) => {
    await tx
      .update(users)
      .set({ ...set, updatedAt: app.clock.now() })
      .where(byTenantKey(users, user));
    await auditUser(tx, caller, user, 'user.profile_updated', { before, after: set });
  });
  return (await getUserById(app.database.db, user.partnerId, user.id))!;
}

export async function changePassword(
  app: AppContext,
  caller: Caller,
  user: User,
  input: { currentPassword: string; newPassword: string },
) {
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalid('wrong-password', 'The current password is wrong', { field: 'currentPassword' });
  }
  assertStrongPassword(input.newPassword, user, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await withTransaction(app.database, async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: app.clock.now() })
      .where(byTenantKey(users, user));
    await auditUser(tx, caller, user, 'user.password_changed');
  });
}

export type ApiToken = typeof apiTokens.$inferSelect;

export function presentToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    permissions: token.permissions,
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  };
}

export async function listTokens(app: AppContext, actor: SignedIn) {
  return app.database.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.partnerId, actor.partnerId), eq(apiTokens.userId, actor.id)))
    .orderBy(desc(apiTokens.createdAt));
}

/** A token holds only permissions its owner holds; the secret is returned once and stored hashed. */
export async function createToken(
  app: AppContext,
  caller: Caller & { actor: SignedIn },
  input: { name: string; permissions: string[]; expiresInDays: number },
) {
  const actor = caller.actor;
  if (input.name.trim() === '')
    throw invalid('invalid-name', 'Name the token after what uses it', { field: 'name' });
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 365) {
    throw invalid('invalid-expiry', 'A token lasts from 1 to 365 days', { field: 'expiresInDays' });
  }
  const foreign = input.permissions.filter(
    (permission) => !isPermission(permission) || !actor.permissions.has(permission),
  );
  if (input.permissions.length === 0 || foreign.length > 0) {
    throw invalid(
      'invalid-permissions',
      foreign.length ? `You do not hold: ${foreign.join(', ')}` : 'Choose at least one permission',
      {
        field: 'permissions',
      },
    );
  }
  const secret = `pdt_${randomToken(30)}`;
  const now = app.clock.now();
  const [token] = await withTransaction(app.database, async (tx) => {
    const created = await tx
      .insert(apiTokens)
      .values({
        partnerId: actor.partnerId,
        userId: actor.id,
        name: input.name.trim(),
        tokenHash: sha256(secret),
        prefix: secret.slice(0, 12),
        permissions: [...new Set(input.permissions as Permission[])].sort(),
        expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      })
      .returning();
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      ...(actor.customerId ? { customerId: actor.customerId } : {}),
      action: 'api_token.created',
      target: { type: 'api_token', id: created[0]!.id },
      after: {
        name: created[0]!.name,
        permissions: created[0]!.permissions,
        expiresAt: created[0]!.expiresAt.toISOString(),
      },
    });
    return created;
  });
  return { token: secret, ...presentToken(token!) };
}

export async function revokeToken(app: AppContext, caller: Caller & { actor: SignedIn }, tokenId: string) {
  const actor = caller.actor;
  await withTransaction(app.database, async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: app.clock.now() })
      .where(
        and(
          eq(apiTokens.partnerId, actor.partnerId),
          eq(apiTokens.userId, actor.id),
          eq(apiTokens.id, tokenId),
          isNull(apiTokens.revokedAt),
        ),
      )
      .returning({ id: apiTokens.id });
    if (revoked.length === 0) throw notFound('Token');
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      ...(actor.customerId ? { customerId: actor.customerId } : {}),
      action: 'api_token.revoked',
      target: { type: 'api_token', id: tokenId },
    });
  });
}
