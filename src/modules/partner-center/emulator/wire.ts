import type { Customer, Subscription } from './store.ts';

/** Partner Center's documented error body: `{code, description, data, source}` with a string code. */
export class PartnerCenterError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, description: string) {
    super(description);
    this.status = status;
    this.code = code;
  }

  body() {
    return { code: this.code, description: this.message, data: [], source: 'PartnerFD' };
  }
}

/** Partner Center deserialises bodies case-insensitively: its own samples send `Status` and `status`. */
export function field(body: unknown, name: string): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function textField(body: unknown, name: string): string | undefined {
  const value = field(body, name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const link = (uri: string) => ({ uri, method: 'GET', headers: [] as Array<{ key: string; value: string }> });

/** The etag's form follows the documented sample: base64 of `{"id":…,"version":…}`. */
export function etagOf(subscription: Subscription): string {
  return Buffer.from(JSON.stringify({ id: subscription.id, version: subscription.version })).toString(
    'base64',
  );
}

export function presentCustomerListItem(customer: Customer) {
  return {
    id: customer.id,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.domain,
      companyName: customer.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: customer.relationshipToPartner,
    attributes: { objectType: 'Customer' },
  };
}

function presentBillingProfile(customer: Customer) {
  return {
    id: customer.billingProfileId,
    firstName: customer.address.firstName,
    lastName: customer.address.lastName,
    email: customer.email,
    culture: customer.culture,
    language: customer.language,
    companyName: customer.companyName,
    defaultAddress: {
      country: customer.address.country,
      city: customer.address.city,
      ...(customer.address.region === undefined ? {} : { state: customer.address.region }),
      addressLine1: customer.address.addressLine1,
      postalCode: customer.address.postalCode,
      firstName: customer.address.firstName,
      lastName: customer.address.lastName,
      phoneNumber: customer.address.phoneNumber,
    },
    links: { self: link(`/customers/${customer.id}/profiles/billing`) },
    attributes: { etag: String(customer.billingProfileVersion), objectType: 'CustomerBillingProfile' },
  };
}

export function presentCustomer(customer: Customer) {
  const { address } = customer;
  return {
    id: customer.id,
    commerceId: customer.commerceId,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.domain,
      companyName: customer.companyName,
      ...(customer.organizationRegistrationNumber === undefined
        ? {}
        : { organizationRegistrationNumber: customer.organizationRegistrationNumber }),
      address: {
        country: address.country,
        ...(address.region === undefined ? {} : { region: address.region }),
        city: address.city,
        addressLine1: address.addressLine1,
        postalCode: address.postalCode,
        phoneNumber: address.phoneNumber,
      },
      email: customer.email,
      links: { self: link(`/customers/${customer.id}/profiles/company`) },
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    billingProfile: presentBillingProfile(customer),
    relationshipToPartner: customer.relationshipToPartner,
    // Only an indirect provider's customer bought through a reseller has one (reference §2.4).
    ...(customer.associatedPartnerId === undefined
      ? {}
      : { associatedPartnerId: customer.associatedPartnerId }),
    allowDelegatedAccess: true,
    customDomains: [customer.domain],
    links: { self: link(`/customers/${customer.id}`) },
    attributes: { objectType: 'Customer' },
  };
}

/** The create response of the documented sample: a short company profile and the admin's password. */
export function presentCreatedCustomer(customer: Customer, password: string) {
  const { links: _links, ...billingProfile } = presentBillingProfile(customer);
  return {
    id: customer.id,
    commerceId: customer.commerceId,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.domain,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    billingProfile,
    enableGDAPByDefault: customer.enableGDAPByDefault,
    relationshipToPartner: customer.relationshipToPartner,
    userCredentials: { userName: 'admin', password },
    attributes: { objectType: 'Customer' },
  };
}

export function presentSubscription(subscription: Subscription) {
  const self = link(`/customers/${subscription.customerId}/subscriptions/${subscription.id}`);
  const common = {
    id: subscription.id,
    offerId: subscription.offerId,
    offerName: subscription.offerName,
    friendlyName: subscription.friendlyName,
  };
  const dates = {
    creationDate: subscription.creationDate.toISOString(),
    effectiveStartDate: subscription.effectiveStartDate.toISOString(),
    commitmentEndDate: subscription.commitmentEndDate.toISOString(),
  };
  const tail = {
    orderId: subscription.orderId,
    attributes: { etag: etagOf(subscription), objectType: 'Subscription' },
  };
  if (subscription.kind === 'legacy') {
    return {
      ...common,
      entitlementId: subscription.id,
      quantity: subscription.quantity,
      unitType: subscription.unitType,
      hasPurchasableAddons: true,
      ...dates,
      status: subscription.status,
      autoRenewEnabled: subscription.autoRenewEnabled,
      isTrial: false,
      billingType: subscription.billingType,
      billingCycle: subscription.billingCycle,
      actions: ['Cancel', 'Edit'],
      ...(subscription.suspensionReasons ? { suspensionReasons: subscription.suspensionReasons } : {}),
      attentionNeeded: false,
      actionTaken: false,
      contractType: 'subscription',
      links: { offer: link(`/offers/${subscription.offerId}?country=US`), self },
      ...tail,
    };
  }
  const [productId, skuId, availabilityId] = subscription.offerId.split(':');
  const productLinks = {
    product: link(`/products/${productId}?country=US`),
    sku: link(`/products/${productId}/skus/${skuId}?country=US`),
    ...(availabilityId === undefined
      ? {}
      : {
          availability: link(
            `/products/${productId}/skus/${skuId}/availabilities/${availabilityId}?country=US`,
          ),
        }),
  };
  const isAzurePlan = subscription.kind === 'azure-plan';
  return {
    ...common,
    productType: isAzurePlan
      ? { id: 'Azure', displayName: 'Azure' }
      : { id: 'OnlineServicesNCE', displayName: 'OnlineServicesNCE' },
    quantity: subscription.quantity,
    unitType: subscription.unitType,
    hasPurchasableAddons: false,
    ...dates,
    ...(isAzurePlan
      ? {}
      : {
          commitmentEndDateTime: new Date(
            subscription.commitmentEndDate.getTime() + 86_399_000,
          ).toISOString(),
        }),
    ...(subscription.cancellationAllowedUntil
      ? { cancellationAllowedUntilDate: subscription.cancellationAllowedUntil.toISOString() }
      : {}),
    status: subscription.status,
    autoRenewEnabled: subscription.autoRenewEnabled,
    isTrial: false,
    billingType: subscription.billingType,
    billingCycle: subscription.billingCycle,
    ...(subscription.termDuration
      ? { termDuration: subscription.termDuration, renewalTermDuration: '' }
      : {}),
    ...(subscription.cancellationAllowedUntil
      ? {
          // Full refund in the first day, prorated until the 7-day window closes (reference §0.4).
          refundOptions: [
            {
              type: 'Full',
              expiresAt: new Date(subscription.creationDate.getTime() + 86_400_000).toISOString(),
            },
            { type: 'Partial', expiresAt: subscription.cancellationAllowedUntil.toISOString() },
          ],
        }
      : {}),
    isMicrosoftProduct: true,
    partnerId: '',
    attentionNeeded: false,
    actionTaken: false,
    contractType: 'subscription',
    links: { ...productLinks, self },
    publisherName: 'Microsoft Corporation',
    ...(subscription.scheduledNextTermInstructions
      ? { scheduledNextTermInstructions: subscription.scheduledNextTermInstructions }
      : {}),
    ...(subscription.nextChargeInstructions
      ? { nextChargeInstructions: subscription.nextChargeInstructions }
      : {}),
    ...tail,
  };
}

export function collection<T>(items: T[], links?: Record<string, ReturnType<typeof link>>) {
  return {
    totalCount: items.length,
    items,
    ...(links ? { links } : {}),
    attributes: { objectType: 'Collection' },
  };
}

export { link };
