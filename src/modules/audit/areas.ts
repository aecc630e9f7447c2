/**
 * Audit areas group actions for the role views of the permission matrix: User admins read `users`,
 * Billing admins read `money`, Global admins read everything.
 */
export const auditAreas = [
  'users',
  'money',
  'settings',
  'customers',
  'subscriptions',
  'support',
  'system',
] as const;
export type AuditArea = (typeof auditAreas)[number];

/** The area of each action subject (the part before the dot). */
const areaOfSubject: Readonly<Record<string, AuditArea>> = {
  // people, their roles, sign-in and credentials
  user: 'users',
  partner_user: 'users',
  customer_user: 'users',
  invitation: 'users',
  role: 'users',
  mfa: 'users',
  session: 'users',
  password: 'users',
  api_token: 'users',
  // money: what Microsoft bills, what customers are billed and what they pay
  vendor_bill: 'money',
  vendor_import: 'money',
  payable: 'money',
  price_rule: 'money',
  billing_run: 'money',
  invoice: 'money',
  credit_note: 'money',
  payment: 'money',
  refund: 'money',
  allocation: 'money',
  collections: 'money',
  dunning: 'money',
  hold: 'money',
  billing_question: 'money',
  dispute: 'money',
  // the partner itself
  partner: 'settings',
  branding: 'settings',
  connection: 'settings',
  oidc: 'settings',
  entitlement: 'settings',
  customer: 'customers',
  contact: 'customers',
  subscription: 'subscriptions',
  subscription_access_change: 'subscriptions',
  ticket: 'support',
  escalation: 'support',
  support_plan: 'support',
  article: 'support',
  // the installation: maintenance and demo data
  audit: 'system',
  demo: 'system',
};

const ACTION = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;

/**
 * The area an action belongs to. An unknown subject is a programming error: add it to the table above
 * (or pass the area) so it never lands in a view by accident.
 */
export function areaOf(action: string): AuditArea {
  if (!ACTION.test(action)) {
    throw new Error(`Audit action "${action}" is not <subject>.<past-tense verb> in snake_case`);
  }
  const subject = action.slice(0, action.indexOf('.'));
  const area = Object.hasOwn(areaOfSubject, subject) ? areaOfSubject[subject] : undefined;
  if (!area) throw new Error(`Audit action "${action}" has no area: add its subject to audit/areas.ts`);
  return area;
}

export function isAuditArea(value: string): value is AuditArea {
  return (auditAreas as readonly string[]).includes(value);
}
