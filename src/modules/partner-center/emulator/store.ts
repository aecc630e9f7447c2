/**
 * The emulator's state, built from the deterministic seed at every start. Started with `dataDir`
 * (`--data DIR`), what requests change is kept in the emulator's own PGlite database and restored over
 * the seeded state (`--reset` returns to the seed; see persistence.ts); without it, it stays in memory.
 * Access tokens and the seed-derived billing data are never stored.
 */
import type { BillingExport, DailyUsage, Invoice, LegacyLine, ReconciliationLine } from './billing-store.ts';

export type Cloud = 'public' | 'us-government' | '21vianet';

export interface App {
  clientId: string;
  clientSecret: string;
  name: string;
}

/** A Secure Application Model consent: every refresh token issued from it dies with it. */
export interface Grant {
  id: string;
  clientId: string;
  userPrincipalName: string;
  revoked: boolean;
}

export interface RefreshToken {
  grantId: string;
  issuedAt: Date;
}

export interface AccessToken {
  tenantId: string;
  clientId: string;
  resource: string;
  expiresAt: Date;
  /** The consenting user of an App+User token (refresh-token grant); absent for app-only tokens. */
  userPrincipalName?: string;
}

export interface PartnerTenant {
  tenantId: string;
  domain: string;
  name: string;
  mpnId: string;
  cloud: Cloud;
  apps: App[];
  /** Orders are in the partner's location currency (new commerce, reference §5.1). */
  currencyCode: string;
  currencySymbol: string;
  supportProfile: SupportProfile;
  /** The seed's name for the partner (`contoso-hu`), so that tests and the demo can find it. */
  key: string;
}

/** The partner's support contact details (reference §2.10). */
export interface SupportProfile {
  email: string;
  telephone: string;
  website: string;
}

export interface Address {
  country: string;
  region?: string;
  city: string;
  addressLine1: string;
  postalCode: string;
  phoneNumber: string;
  firstName: string;
  lastName: string;
}

export interface Customer {
  partnerTenantId: string;
  id: string;
  commerceId: string;
  domain: string;
  companyName: string;
  email: string;
  culture: string;
  language: string;
  address: Address;
  billingProfileId: string;
  billingProfileVersion: number;
  relationshipToPartner: 'none' | 'reseller';
  enableGDAPByDefault: boolean;
  organizationRegistrationNumber?: string;
  /** The indirect reseller's MPN id, for a customer an indirect provider serves through a reseller. */
  associatedPartnerId?: string;
}

/** The three kinds behave differently on suspend, reactivate and cancel. */
export type SubscriptionKind = 'new-commerce' | 'azure-plan' | 'legacy';

export const subscriptionStatuses = [
  'active',
  'suspended',
  'deleted',
  'expired',
  'disabled',
  'pending',
] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export interface AzureEntitlement {
  id: string;
  friendlyName: string;
  status: 'active' | 'cancelled';
}

export interface Subscription {
  customerId: string;
  id: string;
  kind: SubscriptionKind;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  billingType: 'license' | 'usage';
  billingCycle: 'monthly' | 'annual';
  termDuration?: string;
  creationDate: Date;
  effectiveStartDate: Date;
  commitmentEndDate: Date;
  /** New commerce: purchase, renewal or seat addition + 7 days. */
  cancellationAllowedUntil?: Date;
  status: SubscriptionStatus;
  autoRenewEnabled: boolean;
  scheduledNextTermInstructions?: Record<string, unknown>;
  nextChargeInstructions?: Record<string, unknown>;
  suspensionReasons?: string[];
  orderId: string;
  azureEntitlements?: AzureEntitlement[];
  /** Bumped on every change; the etag is derived from it. */
  version: number;
  /** Set by the emulator's admin to imitate 409 800082 / 900278. */
  pendingOperation?: '800082' | '900278';
}

export interface OrderLineItem {
  lineItemNumber: number;
  offerId: string;
  subscriptionId: string;
  friendlyName: string;
  quantity: number;
  termDuration?: string;
}

export interface Order {
  customerId: string;
  id: string;
  billingCycle: 'monthly' | 'annual';
  creationDate: Date;
  lineItems: OrderLineItem[];
}

/** An activity-log entry (reference §2.11); `resourceNewValue` is the resource as Microsoft serialises it. */
export interface AuditRecord {
  /** Order of appending: the continuation token pins a listing to the records that existed then. */
  sequence: number;
  id: string;
  partnerId: string;
  customerId: string;
  customerName: string;
  userPrincipalName?: string;
  applicationId: string;
  resourceType: 'customer' | 'subscription';
  resourceNewValue: string;
  operationType: 'add_customer' | 'update_subscription';
  originalCorrelationId: string;
  operationDate: Date;
  customizedData: Array<{ key: string; value: string | null }>;
}

export type ServiceRequestSeverity = 'unknown' | 'critical' | 'moderate' | 'minimal';
export type ServiceRequestStatus = 'open' | 'closed' | 'attention_needed';

export interface ServiceRequestNote {
  createdByName: string;
  createdDate: Date;
  text: string;
}

/** A case with Microsoft. Partners open them in Microsoft's portals; the API only reads and adds notes. */
export interface ServiceRequest {
  partnerTenantId: string;
  customerId: string;
  id: string;
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  supportTopicId: string;
  supportTopicName: string;
  productName: string;
  status: ServiceRequestStatus;
  primaryContact: { firstName: string; lastName: string; email: string };
  countryCode: string;
  createdDate: Date;
  lastModifiedDate: Date;
  lastClosedDate?: Date;
  notes: ServiceRequestNote[];
}

export interface Store {
  partners: PartnerTenant[];
  customers: Customer[];
  subscriptions: Subscription[];
  orders: Order[];
  auditRecords: AuditRecord[];
  serviceRequests: ServiceRequest[];
  grants: Map<string, Grant>;
  refreshTokens: Map<string, RefreshToken>;
  accessTokens: Map<string, AccessToken>;
  /** Create-customer replays: `${partnerTenantId} ${MS-RequestId}` → the first response body. */
  customerCreations: Map<string, unknown>;
  /** Invoices (new commerce `G…`, legacy `D…`), newest last. */
  invoices: Invoice[];
  /** New-commerce reconciliation lines, billed (with an invoice) and unbilled (the open months). */
  reconciliationLines: ReconciliationLine[];
  /** Legacy licence-based lines of the `D…` invoices. */
  legacyLines: LegacyLine[];
  /** Daily rated usage of every Azure subscription, one record per day and meter. */
  dailyUsage: DailyUsage[];
  /** Graph billing exports requested, by operation id. */
  billingExports: Map<string, BillingExport>;
}

export function findPartner(store: Store, tenant: string): PartnerTenant | undefined {
  const wanted = tenant.toLowerCase();
  return store.partners.find(
    (partner) => partner.tenantId === wanted || partner.domain.toLowerCase() === wanted,
  );
}

export function findCustomer(
  store: Store,
  partnerTenantId: string,
  customerId: string,
): Customer | undefined {
  const wanted = customerId.toLowerCase();
  return store.customers.find(
    (customer) => customer.partnerTenantId === partnerTenantId && customer.id === wanted,
  );
}

export function findSubscription(
  store: Store,
  customerId: string,
  subscriptionId: string,
): Subscription | undefined {
  const wanted = subscriptionId.toLowerCase();
  return store.subscriptions.find(
    (subscription) => subscription.customerId === customerId && subscription.id.toLowerCase() === wanted,
  );
}
