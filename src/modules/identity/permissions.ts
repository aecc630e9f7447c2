/**
 * The permission matrix of DESIGN.md ("Who uses it, and who may do what"), as data: the one place that
 * says which role may do what. Routes name a permission; the README shows this table; the authorization
 * tests take it as their oracle. "own" rules (a customer user sees only their customer) are enforced by
 * scoping, not by extra permissions.
 */
export const staffRoles = [
  'global_admin',
  'user_admin',
  'helpdesk_agent',
  'billing_admin',
  'sales_agent',
] as const;
export const customerRoles = ['customer_admin', 'customer_user'] as const;
export type StaffRole = (typeof staffRoles)[number];
export type CustomerRole = (typeof customerRoles)[number];
export type Role = StaffRole | CustomerRole;

/** Every permission, grouped by the matrix row it comes from, with what it lets one do. */
export const permissions = {
  // partner settings, branding, Partner Center connections, entitlements
  'partner.manage': 'Manage partner settings, branding, Partner Center connections and entitlements',
  // partner users, roles, MFA resets
  'partner_users.manage':
    'Invite and manage partner staff, their roles and MFA (User admins: not Global admins)',
  // customer users
  'customer_users.manage': "Manage any customer's users",
  'portal.customer_users.manage': "Manage one's own customer's users",
  // customers and contacts
  'customers.read': 'Read customers and contacts',
  'customers.edit_details': 'Edit customer details and contacts',
  'customers.manage': 'Create, edit and deactivate customers and contacts',
  'portal.customer.read': "Read one's own customer",
  'portal.contacts.manage': "Edit one's own customer's contacts",
  // subscriptions
  'subscriptions.read': 'See subscriptions',
  'subscriptions.suspend': 'Suspend and reactivate subscriptions by hand',
  'portal.subscriptions.read': "See one's own customer's subscriptions",
  // vendor bills, cost, margin, payables, price rules
  'costs.manage': 'Manage vendor bills, cost, margin, payables and price rules',
  // invoices and credit notes
  'invoices.manage': 'Manage invoices and credit notes',
  'invoices.read': 'Read invoices and credit notes (prices only)',
  'portal.invoices.read': "Read one's own customer's invoices",
  // payments, collections policy and actions, holds
  'payments.manage': 'Manage payments, the collections policy, collections actions and holds',
  'payments.read': 'Read payments and collections',
  'portal.payments.read': "Read one's own customer's payments",
  // support plans
  'support_plans.manage': 'Manage support plans',
  'support_plans.read': 'Read support plans',
  'portal.support_plans.read': "Read one's own customer's support plan",
  // tickets
  'tickets.manage': 'Manage all tickets',
  'tickets.billing': 'Manage billing tickets',
  'portal.tickets.customer': "Raise and follow all of one's own customer's tickets",
  'portal.tickets.own': 'Raise and follow one’s own tickets',
  // escalations
  'escalations.manage': 'Manage escalations',
  'escalations.commercial': 'Manage commercial (billing) escalations',
  // billing questions and disputes
  'billing_questions.manage': 'Manage and resolve billing questions and disputes',
  'billing_questions.raise': 'Raise and read billing questions',
  'portal.billing_questions.raise': 'Raise billing questions on own invoices',
  // audit log
  'audit.read': 'Read the whole audit log',
  'audit.read_users': 'Read the audit log of users and roles',
  'audit.read_money': 'Read the audit log of money',
} as const;

export type Permission = keyof typeof permissions;

export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  global_admin: [
    'partner.manage',
    'partner_users.manage',
    'customer_users.manage',
    'customers.read',
    'customers.edit_details',
    'customers.manage',
    'subscriptions.read',
    'subscriptions.suspend',
    'costs.manage',
    'invoices.manage',
    'invoices.read',
    'payments.manage',
    'payments.read',
    'support_plans.manage',
    'support_plans.read',
    'tickets.manage',
    'tickets.billing',
    'escalations.manage',
    'escalations.commercial',
    'billing_questions.manage',
    'billing_questions.raise',
    'audit.read',
    'audit.read_users',
    'audit.read_money',
  ],
  user_admin: ['partner_users.manage', 'customer_users.manage', 'customers.read', 'audit.read_users'],
  helpdesk_agent: [
    'customers.read',
    'customers.edit_details',
    'subscriptions.read',
    'subscriptions.suspend',
    'invoices.read',
    'payments.read',
    'support_plans.read',
    'tickets.manage',
    'tickets.billing',
    'escalations.manage',
    'escalations.commercial',
    'billing_questions.raise',
  ],
  billing_admin: [
    'customers.read',
    'subscriptions.read',
    'subscriptions.suspend',
    'costs.manage',
    'invoices.manage',
    'invoices.read',
    'payments.manage',
    'payments.read',
    'support_plans.read',
    'tickets.billing',
    'escalations.commercial',
    'billing_questions.manage',
    'billing_questions.raise',
    'audit.read_money',
  ],
  sales_agent: [
    'customers.read',
    'customers.edit_details',
    'customers.manage',
    'subscriptions.read',
    'subscriptions.suspend',
    'invoices.read',
    'support_plans.manage',
    'support_plans.read',
  ],
  customer_admin: [
    'portal.customer_users.manage',
    'portal.customer.read',
    'portal.contacts.manage',
    'portal.subscriptions.read',
    'portal.invoices.read',
    'portal.payments.read',
    'portal.support_plans.read',
    'portal.tickets.customer',
    'portal.tickets.own',
    'portal.billing_questions.raise',
  ],
  customer_user: [
    'portal.customer.read',
    'portal.subscriptions.read',
    'portal.invoices.read',
    'portal.support_plans.read',
    'portal.tickets.own',
    'portal.billing_questions.raise',
  ],
};

/** The union of the permissions of `roles`. */
export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap((role) => rolePermissions[role]));
}

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(permissions, name);
}

const roleTitles: Record<Role, string> = {
  global_admin: 'Global admin',
  user_admin: 'User admin',
  helpdesk_agent: 'Helpdesk agent',
  billing_admin: 'Billing admin',
  sales_agent: 'Sales agent',
  customer_admin: 'customer admin',
  customer_user: 'customer user',
};

/** The matrix as the Markdown table the README shows (a test keeps the two the same). */
export function permissionMatrixMarkdown(): string {
  const roles = [...staffRoles, ...customerRoles];
  const header = `| permission | ${roles.map((role) => roleTitles[role]).join(' | ')} |`;
  const rule = `| --- | ${roles.map(() => '---').join(' | ')} |`;
  const rows = (Object.keys(permissions) as Permission[]).map(
    (permission) =>
      `| \`${permission}\` ${permissions[permission]} | ${roles.map((role) => (rolePermissions[role].includes(permission) ? '✓' : '')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
