/**
 * Partner Center's resources as typed values, read tolerantly (reference/partner-center.md §2.3–2.5):
 * property names in any casing (the PATCH samples use `Id`, `Status`), enums as strings or SDK numbers,
 * numbers and booleans as strings, optional fields missing (the readers of read-fields.ts). Each value
 * keeps the body it came from in `raw`, so a PATCH can send back every field, known or not.
 */
import {
  describe,
  field,
  type JsonObject,
  keyOf,
  objectAt,
  optionalBoolean,
  optionalCount,
  optionalDate,
  optionalEnum,
  optionalKeyword,
  optionalObject,
  optionalText,
  optionalTextList,
  ResourceParseError,
  requiredCount,
  requiredEnum,
  requiredText,
} from './read-fields.ts';

export interface LinkHeader {
  key: string;
  value: string;
}

export interface Link {
  /** Relative to the API base, with or without the `/v1` prefix (both are published). */
  uri: string;
  method: string;
  headers: LinkHeader[];
}

export interface Page<T> {
  totalCount: number | undefined;
  items: T[];
  /** The next page: its `uri` and the `MS-ContinuationToken` header to send with it. */
  next: Link | undefined;
}

export const subscriptionStatuses = [
  'none',
  'active',
  'pending',
  'suspended',
  'expired',
  'disabled',
  'deleted',
] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
/** The SDK's numbering (NETSDK-MODELS): None 0, Active 1, Suspended 2, Deleted 3, Expired 4, Pending 5, Disabled 6. */
const statusByNumber: readonly SubscriptionStatus[] = [
  'none',
  'active',
  'suspended',
  'deleted',
  'expired',
  'pending',
  'disabled',
];

export const billingCycles = ['unknown', 'monthly', 'annual', 'none', 'one_time', 'triennial'] as const;
export type BillingCycle = (typeof billingCycles)[number];
/** BillingCycleType (product-resources.md): Unknown 0, Monthly 1, Annual 2, None 3, OneTime 4, Triennial 5. */
const billingCycleByNumber: readonly BillingCycle[] = billingCycles;

export interface Subscription {
  id: string;
  offerId: string | undefined;
  offerName: string | undefined;
  friendlyName: string | undefined;
  entitlementId: string | undefined;
  quantity: number;
  unitType: string | undefined;
  parentSubscriptionId: string | undefined;
  creationDate: string | undefined;
  effectiveStartDate: string | undefined;
  commitmentEndDate: string | undefined;
  commitmentEndDateTime: string | undefined;
  cancellationAllowedUntilDate: string | undefined;
  status: SubscriptionStatus;
  autoRenewEnabled: boolean | undefined;
  billingType: string | undefined;
  billingCycle: BillingCycle | undefined;
  termDuration: string | undefined;
  isTrial: boolean | undefined;
  orderId: string | undefined;
  partnerId: string | undefined;
  publisherName: string | undefined;
  contractType: string | undefined;
  suspensionReasons: string[];
  actions: string[];
  /** `attributes.etag`: send it as `If-Match` when patching. */
  etag: string | undefined;
  raw: JsonObject;
}

export interface Address {
  country?: string;
  region?: string;
  state?: string;
  city?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  postalCode?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
}

export interface CompanyProfile {
  tenantId: string | undefined;
  domain: string | undefined;
  companyName: string | undefined;
  email: string | undefined;
  address: Address | undefined;
}

export interface BillingProfile {
  id: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  email: string | undefined;
  culture: string | undefined;
  language: string | undefined;
  companyName: string | undefined;
  defaultAddress: Address | undefined;
}

export interface Customer {
  /** The customer's Entra tenant id ("Microsoft ID"). */
  id: string;
  commerceId: string | undefined;
  companyProfile: CompanyProfile | undefined;
  billingProfile: BillingProfile | undefined;
  relationshipToPartner: string | undefined;
  allowDelegatedAccess: boolean | undefined;
  associatedPartnerId: string | undefined;
  customDomains: string[];
  /** Without `userCredentials`: a created customer's temporary admin password is never kept. */
  raw: JsonObject;
}

export function parseSubscription(value: unknown, path = ''): Subscription {
  const body = objectAt(value, path);
  const attributes = optionalObject(body, 'attributes', path);
  return {
    id: requiredText(body, 'id', path),
    offerId: optionalText(body, 'offerId', path),
    offerName: optionalText(body, 'offerName', path),
    friendlyName: optionalText(body, 'friendlyName', path),
    entitlementId: optionalText(body, 'entitlementId', path),
    quantity: requiredCount(body, 'quantity', path),
    unitType: optionalText(body, 'unitType', path),
    parentSubscriptionId: optionalText(body, 'parentSubscriptionId', path),
    creationDate: optionalDate(body, 'creationDate', path),
    effectiveStartDate: optionalDate(body, 'effectiveStartDate', path),
    commitmentEndDate: optionalDate(body, 'commitmentEndDate', path),
    commitmentEndDateTime: optionalDate(body, 'commitmentEndDateTime', path),
    cancellationAllowedUntilDate: optionalDate(body, 'cancellationAllowedUntilDate', path),
    status: requiredEnum(body, 'status', path, subscriptionStatuses, statusByNumber),
    autoRenewEnabled: optionalBoolean(body, 'autoRenewEnabled', path),
    billingType: optionalKeyword(body, 'billingType', path),
    billingCycle: optionalEnum(body, 'billingCycle', path, billingCycles, billingCycleByNumber),
    termDuration: optionalText(body, 'termDuration', path),
    isTrial: optionalBoolean(body, 'isTrial', path),
    orderId: optionalText(body, 'orderId', path),
    partnerId: optionalText(body, 'partnerId', path),
    publisherName: optionalText(body, 'publisherName', path),
    contractType: optionalText(body, 'contractType', path),
    suspensionReasons: optionalTextList(body, 'suspensionReasons', path),
    actions: optionalTextList(body, 'actions', path),
    etag: attributes && optionalText(attributes.body, 'etag', attributes.path),
    raw: body,
  };
}

/**
 * The body of a subscription PATCH: everything Partner Center sent (so auto-renew and scheduled
 * instructions are not lost, update-a-subscription-by-id.md), with the fields a caller may change
 * written back under the key casing the body already used.
 */
export function subscriptionPatchBody(subscription: Subscription): JsonObject {
  const body: JsonObject = { ...subscription.raw };
  const changes: Record<string, unknown> = {
    status: subscription.status,
    quantity: subscription.quantity,
    friendlyName: subscription.friendlyName,
    autoRenewEnabled: subscription.autoRenewEnabled,
  };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    body[keyOf(body, name) ?? name] = value;
  }
  return body;
}

export function parseCustomer(value: unknown, path = ''): Customer {
  const body = objectAt(value, path);
  const company = optionalObject(body, 'companyProfile', path);
  const billing = optionalObject(body, 'billingProfile', path);
  const credentialsKey = keyOf(body, 'userCredentials');
  const raw = { ...body };
  if (credentialsKey !== undefined) delete raw[credentialsKey];
  return {
    id: requiredText(body, 'id', path),
    commerceId: optionalText(body, 'commerceId', path),
    companyProfile: company && {
      tenantId: optionalText(company.body, 'tenantId', company.path),
      domain: optionalText(company.body, 'domain', company.path),
      companyName: optionalText(company.body, 'companyName', company.path),
      email: optionalText(company.body, 'email', company.path),
      address: optionalAddress(company.body, 'address', company.path),
    },
    billingProfile: billing && {
      id: optionalText(billing.body, 'id', billing.path),
      firstName: optionalText(billing.body, 'firstName', billing.path),
      lastName: optionalText(billing.body, 'lastName', billing.path),
      email: optionalText(billing.body, 'email', billing.path),
      culture: optionalText(billing.body, 'culture', billing.path),
      language: optionalText(billing.body, 'language', billing.path),
      companyName: optionalText(billing.body, 'companyName', billing.path),
      defaultAddress: optionalAddress(billing.body, 'defaultAddress', billing.path),
    },
    relationshipToPartner: optionalKeyword(body, 'relationshipToPartner', path),
    allowDelegatedAccess: optionalBoolean(body, 'allowDelegatedAccess', path),
    associatedPartnerId: optionalText(body, 'associatedPartnerId', path),
    customDomains: optionalTextList(body, 'customDomains', path),
    raw,
  };
}

/** A collection `{ totalCount, items, links: { next } }`, each item read by `parseItem`. */
export function parsePage<T>(value: unknown, parseItem: (item: unknown, path: string) => T): Page<T> {
  const body = objectAt(value, '');
  const [items, itemsPath] = field(body, 'items', '');
  if (!Array.isArray(items))
    throw new ResourceParseError(itemsPath, `is ${describe(items)}, expected a list`);
  const links = optionalObject(body, 'links', '');
  const next = links && field(links.body, 'next', links.path);
  return {
    totalCount: optionalCount(body, 'totalCount', ''),
    items: items.map((item, index) => parseItem(item, `items[${index}]`)),
    next: next && next[0] != null ? parseLink(next[0], next[1]) : undefined,
  };
}

export function parseLink(value: unknown, path: string): Link {
  const body = objectAt(value, path);
  const [headers, headersPath] = field(body, 'headers', path);
  if (headers != null && !Array.isArray(headers)) {
    throw new ResourceParseError(headersPath, `is ${describe(headers)}, expected a list`);
  }
  return {
    uri: requiredText(body, 'uri', path),
    method: optionalText(body, 'method', path)?.toUpperCase() ?? 'GET',
    headers: (headers ?? []).map((header: unknown, index: number) => {
      const at = `${headersPath}[${index}]`;
      const entry = objectAt(header, at);
      return { key: requiredText(entry, 'key', at), value: requiredText(entry, 'value', at) };
    }),
  };
}

const addressFields = [
  'country',
  'region',
  'state',
  'city',
  'addressLine1',
  'addressLine2',
  'addressLine3',
  'postalCode',
  'firstName',
  'lastName',
  'phoneNumber',
] as const;

function optionalAddress(body: JsonObject, name: string, path: string): Address | undefined {
  const address = optionalObject(body, name, path);
  if (!address) return undefined;
  const result: Address = {};
  for (const key of addressFields) {
    const text = optionalText(address.body, key, address.path);
    if (text !== undefined) result[key] = text;
  }
  return result;
}
