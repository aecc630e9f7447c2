import Type, { type Static, type TSchema } from 'typebox';
import { contactRoles } from './contacts.ts';
import { cloudInstances, customerSources, customerStatuses, mfaPolicies } from './customers.ts';
import type { Contact, Customer } from './queries.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** What the customer itself may see of its record: no provider, no internal status. */
export const PortalCustomerResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  domain: Type.String(),
  tenantId: Nullable(Type.String()),
  cloudInstance: Type.Enum(cloudInstances),
  country: Type.String(),
  language: Type.String(),
  currency: Type.String(),
  mfaRequired: Type.Enum(mfaPolicies),
});
export type PortalCustomerResponse = Static<typeof PortalCustomerResponse>;

export const CustomerResponse = Type.Object({
  ...PortalCustomerResponse.properties,
  providerId: Nullable(Type.String({ format: 'uuid' })),
  status: Type.Enum(customerStatuses),
  /** Typed in here (`local`) or created by the Partner Center sync (`partner_center`). */
  source: Type.Enum(customerSources),
  /** When the sync last stored a change of the tenant facts. */
  syncedAt: Nullable(Type.String({ format: 'date-time' })),
  /** Set when a full sync no longer found the customer in Partner Center. */
  upstreamRemovedAt: Nullable(Type.String({ format: 'date-time' })),
  /** The tenant facts Partner Center reported (company and billing profile, relationship), as they are. */
  upstream: Nullable(Type.Object({}, { additionalProperties: true })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type CustomerResponse = Static<typeof CustomerResponse>;

export const CustomerListResponse = Type.Object({
  items: Type.Array(CustomerResponse),
  nextCursor: Nullable(Type.String()),
});

export const PortalContactResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.String(),
  phone: Nullable(Type.String()),
  role: Type.Enum(contactRoles),
  language: Type.String(),
});
export type PortalContactResponse = Static<typeof PortalContactResponse>;

export const ContactResponse = Type.Object({
  ...PortalContactResponse.properties,
  customerId: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type ContactResponse = Static<typeof ContactResponse>;

export function presentCustomerForCustomer(customer: Customer): PortalCustomerResponse {
  return {
    id: customer.id,
    name: customer.name,
    domain: customer.domain,
    tenantId: customer.tenantId,
    cloudInstance: customer.cloudInstance,
    country: customer.country,
    language: customer.language,
    currency: customer.currency,
    mfaRequired: customer.mfaRequired,
  };
}

export function presentCustomerForStaff(customer: Customer): CustomerResponse {
  return {
    ...presentCustomerForCustomer(customer),
    providerId: customer.providerId,
    status: customer.status,
    source: customer.source,
    syncedAt: customer.syncedAt?.toISOString() ?? null,
    upstreamRemovedAt: customer.upstreamRemovedAt?.toISOString() ?? null,
    upstream: customer.upstream,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}

export function presentContactForCustomer(contact: Contact): PortalContactResponse {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    role: contact.role,
    language: contact.language,
  };
}

export function presentContactForStaff(contact: Contact): ContactResponse {
  return {
    ...presentContactForCustomer(contact),
    customerId: contact.customerId,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
