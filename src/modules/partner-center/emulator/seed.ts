import { guidFrom, secretFrom } from './ids.ts';
import type {
  Address,
  Cloud,
  Customer,
  Grant,
  Order,
  PartnerTenant,
  RefreshToken,
  Store,
  Subscription,
  SubscriptionKind,
} from './store.ts';

/** What a person needs to point partnerdesk at the emulator: printed by `partnerdesk emulator`. */
export interface SeededCredentials {
  partnerName: string;
  cloud: Cloud;
  tenantId: string;
  domain: string;
  clientId: string;
  clientSecret: string;
  /** A Secure Application Model refresh token (App+User), as if consented by `userPrincipalName`. */
  refreshToken: string;
  userPrincipalName: string;
}

interface CustomerPlan {
  key: string;
  companyName: string;
  domainPrefix: string;
  culture: string;
  language: string;
  address: Omit<Address, 'firstName' | 'lastName' | 'phoneNumber'>;
  contact: [firstName: string, lastName: string];
  subscriptions: SubscriptionPlan[];
}

interface SubscriptionPlan {
  offer: keyof typeof offers;
  quantity?: number;
  /** Days before "now" the subscription was bought. */
  boughtDaysAgo: number;
  autoRenew?: boolean;
  status?: Subscription['status'];
  scheduledQuantity?: number;
  /** Azure plan only: the Azure subscriptions under it. */
  azure?: Array<'active' | 'cancelled'>;
}

/**
 * Offer ids follow the documented shapes (new commerce `ProductId:SkuId:AvailabilityId`, legacy GUIDs);
 * only Microsoft 365 Business Basic's id is a documented sample, the others are illustrative.
 */
const offers = {
  businessBasic: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LH18:0001:CFQ7TTC0K971',
    name: 'Microsoft 365 Business Basic',
    term: 'P1Y',
    cycle: 'monthly',
  },
  businessStandard: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LDPB:0001:CFQ7TTC0K5DM',
    name: 'Microsoft 365 Business Standard',
    term: 'P1M',
    cycle: 'monthly',
  },
  businessPremium: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LCHC:0002:CFQ7TTC0KDMT',
    name: 'Microsoft 365 Business Premium',
    term: 'P1Y',
    cycle: 'annual',
  },
  e3: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LFLZ:0001:CFQ7TTC0KDKX',
    name: 'Microsoft 365 E3',
    term: 'P1Y',
    cycle: 'monthly',
  },
  businessCentral: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LH0R:0002:CFQ7TTC0K9BQ',
    name: 'Dynamics 365 Business Central Essentials',
    term: 'P1Y',
    cycle: 'monthly',
  },
  salesProfessional: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LH2H:0001:CFQ7TTC0K9GZ',
    name: 'Dynamics 365 Sales Professional',
    term: 'P1Y',
    cycle: 'annual',
  },
  office365E1: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LF8Q:0001:CFQ7TTC0K6BT',
    name: 'Office 365 E1',
    term: 'P1Y',
    cycle: 'monthly',
  },
  azurePlan: {
    kind: 'azure-plan',
    id: 'DZH318Z0BPS6:0001',
    name: 'Azure plan',
    term: undefined,
    cycle: 'monthly',
  },
  legacyOffice365E3: {
    kind: 'legacy',
    id: '796B6B5F-613C-4E24-A17C-EBA730D49C02',
    name: 'Office 365 E3',
    term: undefined,
    cycle: 'annual',
  },
} as const satisfies Record<
  string,
  { kind: SubscriptionKind; id: string; name: string; term: string | undefined; cycle: 'monthly' | 'annual' }
>;

const partnerPlans: Array<{
  key: string;
  name: string;
  domain: string;
  mpnId: string;
  cloud: Cloud;
  user: string;
  currency: [code: string, symbol: string];
  support: PartnerTenant['supportProfile'];
  customers: CustomerPlan[];
}> = [
  {
    key: 'northwind',
    name: 'Northwind Cloud Partners',
    domain: 'northwindcsp.onmicrosoft.com',
    mpnId: '6100001',
    cloud: 'public',
    user: 'pc-admin@northwindcsp.onmicrosoft.com',
    currency: ['EUR', '€'],
    support: {
      email: 'support@northwindcsp.example',
      telephone: '+36 1 555 0100',
      website: 'https://northwindcsp.example/support',
    },
    customers: [
      {
        key: 'budapest-butor',
        companyName: 'Budapest Bútor Kft.',
        domainPrefix: 'budapestbutor',
        culture: 'hu-HU',
        language: 'hu',
        address: { country: 'HU', city: 'Budapest', addressLine1: 'Váci út 12.', postalCode: '1132' },
        contact: ['Katalin', 'Nagy'],
        subscriptions: [
          {
            offer: 'businessBasic',
            quantity: 15,
            boughtDaysAgo: 200,
            autoRenew: true,
            scheduledQuantity: 20,
          },
          { offer: 'azurePlan', boughtDaysAgo: 400, azure: ['active', 'cancelled'] },
          { offer: 'businessCentral', quantity: 3, boughtDaysAgo: 90, autoRenew: true },
          { offer: 'e3', quantity: 5, boughtDaysAgo: 2, autoRenew: true },
        ],
      },
      {
        key: 'alpenblick',
        companyName: 'Alpenblick Hotels GmbH',
        domainPrefix: 'alpenblickhotels',
        culture: 'de-AT',
        language: 'de',
        address: { country: 'AT', city: 'Wien', addressLine1: 'Mariahilfer Straße 45', postalCode: '1060' },
        contact: ['Lukas', 'Gruber'],
        subscriptions: [
          { offer: 'businessStandard', quantity: 40, boughtDaysAgo: 3, autoRenew: true },
          { offer: 'legacyOffice365E3', quantity: 12, boughtDaysAgo: 1500, autoRenew: true },
        ],
      },
      {
        key: 'taipei-precision',
        companyName: '台北精密股份有限公司',
        domainPrefix: 'taipeiprecision',
        culture: 'zh-TW',
        language: 'zh-Hant',
        address: { country: 'TW', city: '台北市', addressLine1: '信義路五段7號', postalCode: '110' },
        contact: ['Mei-Ling', 'Chen'],
        subscriptions: [
          { offer: 'businessPremium', quantity: 25, boughtDaysAgo: 120, autoRenew: true },
          { offer: 'azurePlan', boughtDaysAgo: 300, azure: ['cancelled'] },
        ],
      },
      {
        key: 'lakeside-dental',
        companyName: 'Lakeside Dental LLC',
        domainPrefix: 'lakesidedental',
        culture: 'en-US',
        language: 'en',
        address: {
          country: 'US',
          region: 'WA',
          city: 'Seattle',
          addressLine1: '500 Pine St',
          postalCode: '98101',
        },
        contact: ['Dana', 'Miller'],
        subscriptions: [
          { offer: 'businessBasic', quantity: 8, boughtDaysAgo: 30, autoRenew: false },
          { offer: 'salesProfessional', quantity: 4, boughtDaysAgo: 45, autoRenew: true },
        ],
      },
      {
        key: 'debreceni-gepgyar',
        companyName: 'Debreceni Gépgyár Zrt.',
        domainPrefix: 'debrecenigepgyar',
        culture: 'hu-HU',
        language: 'hu',
        address: { country: 'HU', city: 'Debrecen', addressLine1: 'Piac utca 20.', postalCode: '4025' },
        contact: ['Péter', 'Kovács'],
        subscriptions: [
          { offer: 'e3', quantity: 60, boughtDaysAgo: 150, autoRenew: true, status: 'suspended' },
        ],
      },
      {
        key: 'graz-logistik',
        companyName: 'Grazer Logistik AG',
        domainPrefix: 'grazlogistik',
        culture: 'de-AT',
        language: 'de',
        address: { country: 'AT', city: 'Graz', addressLine1: 'Annenstraße 10', postalCode: '8020' },
        contact: ['Anna', 'Huber'],
        subscriptions: [{ offer: 'businessStandard', quantity: 18, boughtDaysAgo: 20, autoRenew: true }],
      },
      {
        key: 'kaohsiung-marine',
        companyName: '高雄海運有限公司',
        domainPrefix: 'kaohsiungmarine',
        culture: 'zh-TW',
        language: 'zh-Hant',
        address: { country: 'TW', city: '高雄市', addressLine1: '中山一路100號', postalCode: '800' },
        contact: ['Chih-Hao', 'Lin'],
        subscriptions: [{ offer: 'businessBasic', quantity: 10, boughtDaysAgo: 60, autoRenew: true }],
      },
    ],
  },
  {
    key: 'liberty',
    name: 'Liberty Government Cloud Services',
    domain: 'libertygovcsp.onmicrosoft.us',
    mpnId: '6200002',
    cloud: 'us-government',
    user: 'pc-admin@libertygovcsp.onmicrosoft.us',
    currency: ['USD', '$'],
    support: {
      email: 'support@libertygovcsp.example',
      telephone: '+1 703 555 0142',
      website: 'https://libertygovcsp.example/support',
    },
    customers: [
      {
        key: 'fairfax-county',
        companyName: 'Fairfax County Water Authority',
        domainPrefix: 'fairfaxwater',
        culture: 'en-US',
        language: 'en',
        address: {
          country: 'US',
          region: 'VA',
          city: 'Fairfax',
          addressLine1: '8570 Executive Park Ave',
          postalCode: '22031',
        },
        contact: ['Robert', 'Hayes'],
        subscriptions: [
          { offer: 'azurePlan', boughtDaysAgo: 500, azure: ['active'] },
          { offer: 'salesProfessional', quantity: 6, boughtDaysAgo: 100, autoRenew: true },
        ],
      },
    ],
  },
  {
    key: 'huadong',
    name: '华东云科技有限公司',
    domain: 'huadongcloud.partner.onmschina.cn',
    mpnId: '6300003',
    cloud: '21vianet',
    user: 'pc-admin@huadongcloud.partner.onmschina.cn',
    currency: ['CNY', '¥'],
    support: {
      email: 'support@huadongcloud.example',
      telephone: '+86 21 5555 0188',
      website: 'https://huadongcloud.example/support',
    },
    customers: [
      {
        key: 'shanghai-trading',
        companyName: '上海华东贸易有限公司',
        domainPrefix: 'shanghaitrading',
        culture: 'zh-CN',
        language: 'zh-Hans',
        address: {
          country: 'CN',
          city: '上海市',
          addressLine1: '浦东新区世纪大道100号',
          postalCode: '200120',
        },
        contact: ['Wei', 'Zhang'],
        // 21Vianet offers no Azure subscriptions through Partner Center (reference §2.1).
        subscriptions: [{ offer: 'office365E1', quantity: 30, boughtDaysAgo: 75, autoRenew: true }],
      },
    ],
  },
];

const dayMs = 86_400_000;

function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

function addMonths(instant: Date, months: number): Date {
  const next = new Date(instant);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

function termMonths(term: string | undefined, cycle: 'monthly' | 'annual'): number {
  if (term === 'P1M') return 1;
  if (term === 'P3Y') return 36;
  return term === undefined && cycle === 'monthly' ? 1 : 12;
}

function seedSubscription(
  seed: string,
  now: Date,
  customerId: string,
  key: string,
  plan: SubscriptionPlan,
): Subscription {
  const offer = offers[plan.offer];
  const id = guidFrom(seed, `subscription:${key}`);
  const creationDate = new Date(now.getTime() - plan.boughtDaysAgo * dayMs);
  const start = startOfUtcDay(creationDate);
  const months = termMonths(offer.term, offer.cycle);
  // Terms renew until one covers today, so that old subscriptions are still running.
  let termStart = start;
  while (offer.kind !== 'azure-plan' && addMonths(termStart, months).getTime() <= now.getTime()) {
    termStart = addMonths(termStart, months);
  }
  const subscription: Subscription = {
    customerId,
    id,
    kind: offer.kind,
    offerId: offer.id,
    offerName: offer.name,
    friendlyName: offer.name,
    quantity: plan.quantity ?? 1,
    unitType: offer.kind === 'azure-plan' ? 'Usage-based' : 'Licenses',
    billingType: offer.kind === 'azure-plan' ? 'usage' : 'license',
    billingCycle: offer.cycle,
    termDuration: offer.term,
    creationDate,
    effectiveStartDate: termStart,
    commitmentEndDate:
      offer.kind === 'azure-plan'
        ? new Date('9999-12-31T00:00:00Z')
        : new Date(addMonths(termStart, months).getTime() - dayMs),
    status: plan.status ?? 'active',
    autoRenewEnabled: plan.autoRenew ?? false,
    orderId:
      offer.kind === 'legacy'
        ? guidFrom(seed, `order:${key}`).toUpperCase()
        : guidFrom(seed, `order:${key}`).slice(-12),
    version: 1,
  };
  if (offer.kind === 'new-commerce') {
    subscription.cancellationAllowedUntil = new Date(
      Math.max(termStart.getTime(), creationDate.getTime()) + 7 * dayMs,
    );
    if (plan.status === 'suspended') subscription.autoRenewEnabled = false;
  }
  if (plan.scheduledQuantity !== undefined) {
    const [productId, skuId, availabilityId] = offer.id.split(':');
    subscription.scheduledNextTermInstructions = {
      product: { productId, skuId, availabilityId, billingCycle: offer.cycle, termDuration: offer.term },
      quantity: plan.scheduledQuantity,
    };
  }
  if (plan.azure) {
    subscription.azureEntitlements = plan.azure.map((status, index) => ({
      id: guidFrom(seed, `azure:${key}:${index}`),
      friendlyName: `Azure subscription ${index + 1}`,
      status,
    }));
  }
  return subscription;
}

/** Each seeded subscription was bought in an order of its own, whose id the subscription carries. */
function orderOf(subscription: Subscription): Order {
  return {
    customerId: subscription.customerId,
    id: subscription.orderId,
    billingCycle: subscription.billingCycle,
    creationDate: subscription.creationDate,
    lineItems: [
      {
        lineItemNumber: 0,
        offerId: subscription.offerId,
        subscriptionId: subscription.id,
        friendlyName: subscription.friendlyName,
        quantity: subscription.quantity,
        ...(subscription.termDuration === undefined ? {} : { termDuration: subscription.termDuration }),
      },
    ],
  };
}

/**
 * The emulator's starting state. Ids, secrets and refresh tokens come from the seed string; dates
 * are relative to `now`, so a subscription bought "2 days ago" is always inside its cancellation window.
 */
export function seedStore(seed: string, now: Date): { store: Store; credentials: SeededCredentials[] } {
  const partners: PartnerTenant[] = [];
  const customers: Customer[] = [];
  const subscriptions: Subscription[] = [];
  const grants = new Map<string, Grant>();
  const refreshTokens = new Map<string, RefreshToken>();
  const credentials: SeededCredentials[] = [];
  for (const plan of partnerPlans) {
    const tenantId = guidFrom(seed, `partner:${plan.key}`);
    const app = {
      clientId: guidFrom(seed, `app:${plan.key}`),
      clientSecret: secretFrom(seed, `app:${plan.key}`),
      name: 'partnerdesk',
    };
    partners.push({
      tenantId,
      domain: plan.domain,
      name: plan.name,
      mpnId: plan.mpnId,
      cloud: plan.cloud,
      apps: [app],
      currencyCode: plan.currency[0],
      currencySymbol: plan.currency[1],
      supportProfile: { ...plan.support },
    });
    const grant: Grant = {
      id: guidFrom(seed, `grant:${plan.key}`),
      clientId: app.clientId,
      userPrincipalName: plan.user,
      revoked: false,
    };
    grants.set(grant.id, grant);
    const refreshToken = `0.${secretFrom(seed, `refresh:${plan.key}`)}`;
    refreshTokens.set(refreshToken, { grantId: grant.id, issuedAt: now });
    credentials.push({
      partnerName: plan.name,
      cloud: plan.cloud,
      tenantId,
      domain: plan.domain,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken,
      userPrincipalName: plan.user,
    });
    for (const customerPlan of plan.customers) {
      const id = guidFrom(seed, `customer:${customerPlan.key}`);
      const [firstName, lastName] = customerPlan.contact;
      const suffix =
        plan.cloud === '21vianet'
          ? 'partner.onmschina.cn'
          : plan.cloud === 'us-government'
            ? 'onmicrosoft.us'
            : 'onmicrosoft.com';
      customers.push({
        partnerTenantId: tenantId,
        id,
        commerceId: guidFrom(seed, `commerce:${customerPlan.key}`),
        domain: `${customerPlan.domainPrefix}.${suffix}`,
        companyName: customerPlan.companyName,
        email: `${firstName.toLowerCase()}@${customerPlan.domainPrefix}.example`,
        culture: customerPlan.culture,
        language: customerPlan.language,
        address: { ...customerPlan.address, firstName, lastName, phoneNumber: '' },
        billingProfileId: guidFrom(seed, `billing-profile:${customerPlan.key}`),
        billingProfileVersion: 1,
        relationshipToPartner: 'reseller',
        enableGDAPByDefault: true,
      });
      customerPlan.subscriptions.forEach((subscriptionPlan, index) => {
        subscriptions.push(seedSubscription(seed, now, id, `${customerPlan.key}:${index}`, subscriptionPlan));
      });
    }
  }
  return {
    store: {
      partners,
      customers,
      subscriptions,
      orders: subscriptions.map(orderOf),
      auditRecords: [],
      serviceRequests: [],
      grants,
      refreshTokens,
      accessTokens: new Map(),
      customerCreations: new Map(),
    },
    credentials,
  };
}
