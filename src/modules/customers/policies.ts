import { requirePermission, signedIn } from '#modules/partners';
import type { Caller, SignedIn } from '#platform/actor';
import { DomainError } from '#platform/errors';

/**
 * Who may do what to customers and contacts. Staff act on any customer of their partner; customer
 * users on their own customer only — scoping does that, so only the permission differs.
 */
const permissionOf = {
  read: { staff: 'customers.read', customer: 'portal.customer.read' },
  editContacts: { staff: 'customers.edit_details', customer: 'portal.contacts.manage' },
} as const;

export function authorizeCustomers(caller: Caller, action: keyof typeof permissionOf): SignedIn {
  const side = signedIn(caller).customerId === undefined ? 'staff' : 'customer';
  return requirePermission(caller, permissionOf[action][side]);
}

/** What a details editor (Helpdesk agent) may change; every other field needs customers.manage. */
const detailFields: ReadonlySet<string> = new Set(['name', 'language']);

export function authorizeCustomerChanges(actor: SignedIn, changed: readonly string[]): void {
  const needsManage = changed.find((field) => !detailFields.has(field));
  if (needsManage !== undefined && !actor.permissions.has('customers.manage')) {
    throw new DomainError(
      'forbidden',
      'forbidden',
      `Changing ${needsManage} needs the permission customers.manage`,
      {
        field: needsManage,
      },
    );
  }
}
