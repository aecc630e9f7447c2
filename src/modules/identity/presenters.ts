import Type from 'typebox';
import type { User } from './queries.ts';

export const UserResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')]),
  language: Type.Union([Type.String(), Type.Null()]),
  mfaEnabled: Type.Boolean(),
  lastSignInAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

/** The same shape for staff and customer admins: it carries no secret and no internal field. */
export function presentUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    status: user.status,
    language: user.language,
    mfaEnabled: user.totpEnabledAt !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export const MeResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  partner: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    displayName: Type.String(),
    kind: Type.Union([
      Type.Literal('direct'),
      Type.Literal('indirect_provider'),
      Type.Literal('indirect_reseller'),
    ]),
  }),
  customer: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  language: Type.Union([Type.String(), Type.Null()]),
  step: Type.Union([Type.Literal('mfa'), Type.Literal('mfa-enrolment'), Type.Literal('done')]),
  mfa: Type.Object({ enabled: Type.Boolean(), required: Type.Boolean(), recoveryCodesLeft: Type.Integer() }),
});

export const TokenResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  permissions: Type.Array(Type.String()),
  expiresAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
