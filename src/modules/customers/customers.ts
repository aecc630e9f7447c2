import { recordAudit } from '#modules/audit';
import {
  changedValues,
  getPartner,
  listProviders,
  type Partner,
  parseChoice,
  parseGiven,
  parseLanguage,
  parseOptional,
  parseText,
  requirePermission,
} from '#modules/partners';
import type { Caller, SignedIn } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, type Scope, type Tx, withTransaction } from '#platform/db';
import { DomainError, invalid, notFound } from '#platform/errors';
import { parseCurrency } from '#platform/money';
import { parseCountry, parseDomain } from './customer-fields.ts';
import { customerListFilters } from './list-filters.ts';
import { authorizeCustomerChanges, authorizeCustomers } from './policies.ts';
import {
  type Customer,
  customerById,
  customerForUpdate,
  customerPage,
  customerWithDomain,
  insertCustomer,
  type NewCustomer,
  updateCustomerRow,
} from './queries.ts';

export const cloudInstances = ['public', 'usgov', 'china', 'germany'] as const;
export const customerStatuses = ['active', 'inactive'] as const;
export const customerSources = ['local', 'partner_center'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];
export const mfaPolicies = ['optional', 'required'] as const;
export type MfaPolicy = (typeof mfaPolicies)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw invalid('invalid-id', `${field} must be a UUID`, { field });
  }
  return value.toLowerCase();
}

export interface CustomerInput {
  name?: string;
  domain?: string;
  country?: string;
  language?: string;
  currency?: string;
  cloudInstance?: string;
  tenantId?: string | null;
  providerId?: string | null;
  status?: string;
}

const customerParsers = {
  name: (value: unknown) => parseText(value, 'name'),
  domain: (value: unknown) => parseDomain(value),
  country: (value: unknown) => parseCountry(value),
  language: (value: unknown) => parseLanguage(value),
  currency: (value: unknown) => parseCurrency(value, { field: 'currency' }),
  cloudInstance: (value: unknown) => parseChoice(value, 'cloudInstance', cloudInstances),
  tenantId: (value: unknown) => parseOptional(value, (id) => parseUuid(id, 'tenantId')),
  providerId: (value: unknown) => parseOptional(value, (id) => parseUuid(id, 'providerId')),
  status: (value: unknown) => parseChoice(value, 'status', customerStatuses),
};

/**
 * The rules that involve the partner: a reseller's customer transacts through one of the reseller's
 * providers, other partners' customers through none; Germany's closed cloud takes no new customers.
 */
async function checkPartnerRules(
  db: Queryable,
  partner: Partner,
  values: Partial<NewCustomer>,
  current?: Customer,
): Promise<void> {
  if (values.cloudInstance === 'germany' && current?.cloudInstance !== 'germany') {
    throw invalid('cloud-closed', 'cloudInstance germany closed in 2021 and takes no new customers', {
      field: 'cloudInstance',
    });
  }
  if (values.providerId === undefined && current) return;
  const providerId = values.providerId ?? null;
  if (partner.kind !== 'indirect_reseller') {
    if (providerId !== null) {
      throw invalid('provider-not-allowed', `providerId is set only for an indirect reseller's customers`, {
        field: 'providerId',
      });
    }
    return;
  }
  const providers = await listProviders(db, partner.id);
  if (providerId === null || !providers.some((provider) => provider.id === providerId)) {
    const names = providers.map((provider) => `${provider.displayName} (${provider.id})`).join(', ');
    throw invalid('unknown-provider', `providerId must be one of your providers: ${names}`, {
      field: 'providerId',
    });
  }
}

async function assertDomainFree(tx: Tx, actor: SignedIn, domain: string | undefined, exceptId?: string) {
  if (domain !== undefined && (await customerWithDomain(tx, actor, domain, exceptId))) {
    throw new DomainError(
      'conflict',
      'domain-taken',
      `domain ${domain} belongs to another of your customers`,
      {
        field: 'domain',
      },
    );
  }
}

export interface CustomerListQuery {
  search?: string | undefined;
  status?: CustomerStatus | undefined;
  cloud?: (typeof cloudInstances)[number] | undefined;
  removedUpstream?: boolean | undefined;
  /** Filters registered by later modules (`serviceFamily`, `subscriptionStatus`), by name. */
  filters?: Readonly<Record<string, string | undefined>> | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface CustomerList {
  customers: Customer[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && UUID.test(id)) return { name, id };
  } catch {
    // reported below
  }
  throw invalid('invalid-cursor', 'cursor is not one this list gave out', { field: 'cursor' });
}

export async function listCustomers(
  app: AppContext,
  caller: Caller,
  query: CustomerListQuery,
): Promise<CustomerList> {
  const actor = requirePermission(caller, 'customers.read');
  const limit = query.limit ?? 50;
  const rows = await customerPage(app.database.db, actor, {
    search: query.search?.trim() || undefined,
    status: query.status,
    cloud: query.cloud,
    removedUpstream: query.removedUpstream,
    idFilters: customerListFilters(actor.partnerId, query.filters ?? {}),
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: limit + 1,
  });
  const customers = rows.slice(0, limit);
  const last = customers.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url')
      : null;
  return { customers, nextCursor };
}

/** A customer in `scope` (a partner, or a customer user's own customer); any other is not found. */
export async function getCustomer(db: Queryable, scope: Scope, customerId: string): Promise<Customer> {
  const customer = await customerById(db, scope, customerId);
  if (!customer) throw notFound('Customer');
  return customer;
}

/** A customer as the caller may see it: staff any of their partner's, a customer user their own. */
export function getCustomerForCaller(app: AppContext, caller: Caller, customerId: string): Promise<Customer> {
  return getCustomer(app.database.db, authorizeCustomers(caller, 'read'), customerId);
}

/** The customer a customer user belongs to. */
export function getOwnCustomer(app: AppContext, caller: Caller): Promise<Customer> {
  return getCustomerForCaller(app, caller, ownCustomerId(caller));
}

/** The customer of a customer user; partner staff have none, so for them it does not exist. */
export function ownCustomerId(caller: Caller): string {
  const customerId = 'customerId' in caller.actor ? caller.actor.customerId : undefined;
  if (customerId === undefined) throw notFound('Customer');
  return customerId;
}

export interface NewCustomerInput extends CustomerInput {
  name: string;
  domain: string;
  country: string;
}

/** Language and currency default to the partner's. */
export async function createCustomer(
  app: AppContext,
  caller: Caller,
  input: NewCustomerInput,
): Promise<Customer> {
  const actor = requirePermission(caller, 'customers.manage');
  const values = parseGiven(input, customerParsers);
  return withTransaction(app.database, async (tx) => {
    const partner = await getPartner(tx, actor.partnerId);
    await checkPartnerRules(tx, partner, values);
    await assertDomainFree(tx, actor, values.domain);
    const customer = await insertCustomer(tx, {
      language: partner.defaultLanguage,
      currency: partner.currency,
      ...values,
      name: values.name!,
      domain: values.domain!,
      country: values.country!,
      partnerId: actor.partnerId,
    });
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      customerId: customer.id,
      action: 'customer.created',
      target: { type: 'customer', id: customer.id },
      after: { ...values, language: customer.language, currency: customer.currency },
    });
    return customer;
  });
}

/** Details (name, language) need customers.edit_details; every other field customers.manage. */
export async function updateCustomer(
  app: AppContext,
  caller: Caller,
  customerId: string,
  patch: CustomerInput,
): Promise<Customer> {
  const actor = requirePermission(caller, 'customers.edit_details');
  const values = parseGiven(patch, customerParsers);
  return withTransaction(app.database, async (tx) => {
    const current = await customerForUpdate(tx, actor, customerId);
    if (!current) throw notFound('Customer');
    const { before, after } = changedValues<NewCustomer>(current, values);
    const changed = Object.keys(after);
    if (changed.length === 0) return current;
    authorizeCustomerChanges(actor, changed);
    await checkPartnerRules(tx, await getPartner(tx, actor.partnerId), after, current);
    await assertDomainFree(tx, actor, after.domain, current.id);
    const customer = await updateCustomerRow(tx, current, { ...after, updatedAt: app.clock.now() });
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      customerId: customer.id,
      action: 'customer.updated',
      target: { type: 'customer', id: customer.id },
      before,
      after,
    });
    return customer;
  });
}

/** Whether the customer requires two-step verification of all its users; identity reads it at sign-in. */
export async function customerMfaPolicy(
  db: Queryable,
  partnerId: string,
  customerId: string,
): Promise<MfaPolicy> {
  return (await getCustomer(db, { partnerId }, customerId)).mfaRequired;
}

/** A customer admin requires (or stops requiring) two-step verification of their customer's users. */
export async function setCustomerMfaRequired(
  app: AppContext,
  caller: Caller,
  required: boolean,
): Promise<Customer> {
  const actor = requirePermission(caller, 'portal.customer_users.manage');
  const customerId = ownCustomerId(caller);
  const policy: MfaPolicy = required ? 'required' : 'optional';
  return withTransaction(app.database, async (tx) => {
    const current = await customerForUpdate(tx, actor, customerId);
    if (!current) throw notFound('Customer');
    if (current.mfaRequired === policy) return current;
    const customer = await updateCustomerRow(tx, current, {
      mfaRequired: policy,
      updatedAt: app.clock.now(),
    });
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      customerId,
      action: 'customer.mfa_policy_changed',
      target: { type: 'customer', id: customerId },
      before: { mfaRequired: current.mfaRequired },
      after: { mfaRequired: policy },
    });
    return customer;
  });
}
