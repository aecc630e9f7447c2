// Shapes of the identity API (docs: /api/docs), until the web's types are generated from OpenAPI.

export const STAFF_ROLES = [
  'global_admin',
  'user_admin',
  'helpdesk_agent',
  'billing_admin',
  'sales_agent',
] as const;
export const CUSTOMER_ROLES = ['customer_admin', 'customer_user'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type CustomerRole = (typeof CUSTOMER_ROLES)[number];

/** How far a session has got: past the password, then the second factor (or its set-up). */
export type Step = 'mfa' | 'mfa-enrolment' | 'done';
export type PersonKind = 'staff' | 'customer';
export type UserStatus = 'invited' | 'active' | 'deactivated';

export interface Me {
  id: string;
  email: string;
  name: string;
  kind: PersonKind;
  roles: string[];
  permissions: string[];
  partner: {
    id: string;
    slug: string;
    displayName: string;
    kind: 'direct' | 'indirect_provider' | 'indirect_reseller';
  };
  customer: { id: string; name: string } | null;
  /** Null: follow the browser. */
  language: string | null;
  step: Step;
  mfa: { enabled: boolean; required: boolean; recoveryCodesLeft: number };
}

/** A person of an organisation, as its admins see them: staff, or one customer's users (one role). */
export interface User {
  id: string;
  email: string;
  name: string;
  roles: string[];
  status: UserStatus;
  language: string | null;
  mfaEnabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, enough to recognise it. */
  prefix: string;
  permissions: string[];
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export interface Invitation {
  email: string;
  name: string;
  organisationName: string;
  kind: PersonKind;
}

export interface PartnerBranding {
  displayName: string;
  brandColor: string;
  accentColor: string;
  logoUrl: string | null;
}
