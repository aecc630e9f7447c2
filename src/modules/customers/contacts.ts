import { recordAudit } from '#modules/audit';
import {
  changedValues,
  parseChoice,
  parseEmailAddress,
  parseGiven,
  parseLanguage,
  parseOptional,
  parsePhone,
  parseText,
} from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { withTransaction } from '#platform/db';
import { notFound } from '#platform/errors';
import { getCustomer } from './customers.ts';
import { authorizeCustomers } from './policies.ts';
import {
  type Contact,
  contactForUpdate,
  contactsOf,
  deleteContactRow,
  insertContact,
  type NewContact,
  updateContactRow,
} from './queries.ts';

export const contactRoles = ['billing', 'technical', 'general'] as const;

export interface ContactInput {
  name?: string;
  email?: string;
  phone?: string | null;
  role?: string;
  language?: string;
}

const contactParsers = {
  name: (value: unknown) => parseText(value, 'name'),
  email: (value: unknown) => parseEmailAddress(value, 'email'),
  phone: (value: unknown) => parseOptional(value, (phone) => parsePhone(phone, 'phone')),
  role: (value: unknown) => parseChoice(value, 'role', contactRoles),
  language: (value: unknown) => parseLanguage(value),
};

/**
 * Contacts of one customer. Staff reach any customer of their partner (customers.read to list,
 * customers.edit_details to change); a customer user only their own (portal.customer.read,
 * portal.contacts.manage): the scope of every query sees to that.
 */
export async function listContacts(app: AppContext, caller: Caller, customerId: string): Promise<Contact[]> {
  const actor = authorizeCustomers(caller, 'read');
  const db = app.database.db;
  await getCustomer(db, actor, customerId);
  return contactsOf(db, actor, customerId);
}

export interface NewContactInput extends ContactInput {
  name: string;
  email: string;
  role: string;
}

/** The contact's language defaults to the customer's. */
export async function createContact(
  app: AppContext,
  caller: Caller,
  customerId: string,
  input: NewContactInput,
): Promise<Contact> {
  const actor = authorizeCustomers(caller, 'editContacts');
  const values = parseGiven(input, contactParsers);
  return withTransaction(app.database, async (tx) => {
    const customer = await getCustomer(tx, actor, customerId);
    const contact = await insertContact(tx, {
      language: customer.language,
      ...values,
      name: values.name!,
      email: values.email!,
      role: values.role!,
      partnerId: customer.partnerId,
      customerId: customer.id,
    });
    await recordAudit(tx, caller, {
      partnerId: customer.partnerId,
      customerId: customer.id,
      action: 'contact.created',
      target: { type: 'contact', id: contact.id },
      after: { ...values, language: contact.language },
    });
    return contact;
  });
}

export async function updateContact(
  app: AppContext,
  caller: Caller,
  customerId: string,
  contactId: string,
  patch: ContactInput,
): Promise<Contact> {
  const actor = authorizeCustomers(caller, 'editContacts');
  const values = parseGiven(patch, contactParsers);
  return withTransaction(app.database, async (tx) => {
    const current = await contactForUpdate(tx, actor, customerId, contactId);
    if (!current) throw notFound('Contact');
    const { before, after } = changedValues<NewContact>(current, values);
    if (Object.keys(after).length === 0) return current;
    const contact = await updateContactRow(tx, current, { ...after, updatedAt: app.clock.now() });
    await recordAudit(tx, caller, {
      partnerId: contact.partnerId,
      customerId: contact.customerId,
      action: 'contact.updated',
      target: { type: 'contact', id: contact.id },
      before,
      after,
    });
    return contact;
  });
}

export async function deleteContact(
  app: AppContext,
  caller: Caller,
  customerId: string,
  contactId: string,
): Promise<void> {
  const actor = authorizeCustomers(caller, 'editContacts');
  await withTransaction(app.database, async (tx) => {
    const contact = await contactForUpdate(tx, actor, customerId, contactId);
    if (!contact) throw notFound('Contact');
    await deleteContactRow(tx, contact);
    await recordAudit(tx, caller, {
      partnerId: contact.partnerId,
      customerId: contact.customerId,
      action: 'contact.deleted',
      target: { type: 'contact', id: contact.id },
      before: { name: contact.name, email: contact.email, phone: contact.phone, role: contact.role },
    });
  });
}
