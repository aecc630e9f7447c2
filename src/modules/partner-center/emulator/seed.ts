import { type BilledSubscription, seedBilling } from './billing-seed.ts';
import { addMonths, dayMs, startOfUtcDay, startOfUtcMonth } from './calendar.ts';
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
  /** The seed's name for the partner: `contoso-hu`, `northwind-us`, `northwind-gov`, `northwind-cn`, `formosa-tw`. */
  key: string;
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
  /** The contact's address when it cannot be made from the first name. */
  email?: string;
  /** The indirect reseller's MPN id (`associatedPartnerId`), for an indirect provider's customer. */
  reseller?: string;
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
  /** Seats at the latest renewal, reduced to `quantity` three days later (a refund and a re-charge). */
  seatsBefore?: number;
  /** Days before "now" an ended (expired) subscription stopped. */
  endedDaysAgo?: number;
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
    price: '6.00',
  },
  businessStandard: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LDPB:0001:CFQ7TTC0K5DM',
    name: 'Microsoft 365 Business Standard',
    term: 'P1M',
    cycle: 'monthly',
    price: '15.00',
  },
  businessPremium: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LCHC:0002:CFQ7TTC0KDMT',
    name: 'Microsoft 365 Business Premium',
    term: 'P1Y',
    cycle: 'monthly',
    price: '22.00',
  },
  e3: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LFLZ:0001:CFQ7TTC0KDKX',
    name: 'Microsoft 365 E3',
    term: 'P1Y',
    cycle: 'monthly',
    price: '36.00',
  },
  businessCentral: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LH0R:0002:CFQ7TTC0K9BQ',
    name: 'Dynamics 365 Business Central Essentials',
    term: 'P1Y',
    cycle: 'monthly',
    price: '70.00',
  },
  salesProfessional: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LH2H:0001:CFQ7TTC0K9GZ',
    name: 'Dynamics 365 Sales Professional',
    term: 'P1Y',
    cycle: 'annual',
    price: '780.00',
  },
  office365E1: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LF8Q:0001:CFQ7TTC0K6BT',
    name: 'Office 365 E1',
    term: 'P1Y',
    cycle: 'monthly',
    price: '10.00',
  },
  office365E3: {
    kind: 'new-commerce',
    id: 'CFQ7TTC0LF8R:0001:CFQ7TTC0K6C1',
    name: 'Office 365 E3',
    term: 'P1Y',
    cycle: 'monthly',
    price: '23.00',
  },
  azurePlan: {
    kind: 'azure-plan',
    id: 'DZH318Z0BPS6:0001',
    name: 'Azure plan',
    term: undefined,
    cycle: 'monthly',
    price: '0',
  },
  legacyOffice365E3: {
    kind: 'legacy',
    id: '796B6B5F-613C-4E24-A17C-EBA730D49C02',
    name: 'Office 365 E3',
    term: undefined,
    cycle: 'monthly',
    price: '20.00',
  },
} as const satisfies Record<
  string,
  {
    kind: SubscriptionKind;
    id: string;
    name: string;
    term: string | undefined;
    cycle: 'monthly' | 'annual';
    /** Monthly list price per seat in USD (per year for annual billing); Azure is priced per meter. */
    price: string;
  }
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
    key: 'contoso-hu',
    name: 'Contoso Informatikai Kft.',
    domain: 'contosohu.onmicrosoft.com',
    mpnId: '6100011',
    cloud: 'public',
    user: 'pc-admin@contosohu.onmicrosoft.com',
    currency: ['EUR', '€'],
    support: {
      email: 'support@contoso-it.example',
      telephone: '+36 1 555 0100',
      website: 'https://contoso-it.example/support',
    },
    customers: [
      {
        key: 'fourth-coffee',
        companyName: 'Fourth Coffee Kft.',
        domainPrefix: 'fourthcoffeehu',
        culture: 'hu-HU',
        language: 'hu',
        address: { country: 'HU', city: 'Budapest', addressLine1: 'Andrássy út 61.', postalCode: '1062' },
        contact: ['Eszter', 'Kovács'],
        email: 'eszter.kovacs@fourthcoffee.example',
        subscriptions: [
          { offer: 'businessStandard', quantity: 25, boughtDaysAgo: 420, autoRenew: true },
          { offer: 'azurePlan', boughtDaysAgo: 450, azure: ['active'] },
          { offer: 'salesProfessional', quantity: 4, boughtDaysAgo: 300, autoRenew: true },
        ],
      },
      {
        // A Russian-speaking company in Vienna.
        key: 'alpine-ski-house',
        companyName: 'Alpine Ski House GmbH',
        domainPrefix: 'alpineskihouse',
        culture: 'ru-RU',
        language: 'ru',
        address: { country: 'AT', city: 'Wien', addressLine1: 'Praterstraße 22', postalCode: '1020' },
        contact: ['Анна', 'Смирнова'],
        email: 'anna.smirnova@alpineskihouse.example',
        subscriptions: [
          // Renewed about 80 days ago with 15 seats, reduced to 12 three days later.
          {
            offer: 'businessPremium',
            quantity: 12,
            seatsBefore: 15,
            boughtDaysAgo: 445,
            autoRenew: true,
          },
          { offer: 'azurePlan', boughtDaysAgo: 500, azure: ['active'] },
        ],
      },
      {
        key: 'wingtip-toys',
        companyName: 'Wingtip Toys Hungary Zrt.',
        domainPrefix: 'wingtiptoyshu',
        culture: 'en-GB',
        language: 'en',
        address: { country: 'HU', city: 'Győr', addressLine1: 'Szent István út 10.', postalCode: '9021' },
        contact: ['Claire', 'Dubois'],
        email: 'claire.dubois@wingtiptoys.example',
        subscriptions: [
          { offer: 'businessBasic', quantity: 20, boughtDaysAgo: 60, autoRenew: true },
          { offer: 'salesProfessional', quantity: 5, boughtDaysAgo: 250, autoRenew: true },
        ],
      },
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
        subscriptions: [
          { offer: 'businessStandard', quantity: 18, boughtDaysAgo: 20, autoRenew: true },
          { offer: 'azurePlan', boughtDaysAgo: 120, azure: ['cancelled'] },
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
          // Moved to new commerce 215 days ago: the legacy subscription expired that day.
          {
            offer: 'legacyOffice365E3',
            quantity: 12,
            boughtDaysAgo: 1500,
            autoRenew: true,
            status: 'expired',
            endedDaysAgo: 215,
          },
          { offer: 'office365E3', quantity: 12, boughtDaysAgo: 215, autoRenew: true },
        ],
      },
    ],
  },
  {
    key: 'northwind-us',
    name: 'Northwind Cloud Distribution, Inc.',
    domain: 'northwindcloud.onmicrosoft.com',
    mpnId: '6200021',
    cloud: 'public',
    user: 'pc-admin@northwindcloud.onmicrosoft.com',
    currency: ['USD', '$'],
    support: {
      email: 'support@northwind-cloud.example',
      telephone: '+1 206 555 0100',
      website: 'https://help.northwind-cloud.example/',
    },
    customers: [
      {
        key: 'adatum',
        companyName: 'Adatum Corporation',
        domainPrefix: 'adatumcorp',
        culture: 'en-US',
        language: 'en',
        address: {
          country: 'US',
          region: 'WA',
          city: 'Redmond',
          addressLine1: '1 Microsoft Way',
          postalCode: '98052',
        },
        contact: ['Maria', 'Garcia'],
        email: 'maria.garcia@adatum.example',
        subscriptions: [
          { offer: 'azurePlan', boughtDaysAgo: 600, azure: ['active', 'active'] },
          { offer: 'e3', quantity: 50, boughtDaysAgo: 330, autoRenew: true },
          { offer: 'salesProfessional', quantity: 10, boughtDaysAgo: 180, autoRenew: true },
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
        // Sold by the indirect reseller Tailspin Toys Taiwan.
        key: 'wide-world-importers',
        companyName: '寰宇進口股份有限公司',
        domainPrefix: 'wwimporterstw',
        culture: 'zh-TW',
        language: 'zh-Hant',
        address: { country: 'TW', city: '台北市', addressLine1: '敦化北路100號', postalCode: '105' },
        contact: ['怡君', '陳'],
        email: 'yichun.chen@wwimporters.example',
        reseller: '6300031',
        subscriptions: [
          { offer: 'businessPremium', quantity: 20, boughtDaysAgo: 210, autoRenew: true },
          { offer: 'azurePlan', boughtDaysAgo: 380, azure: ['active'] },
        ],
      },
      {
        // Sold by the indirect reseller Proseware Partners.
        key: 'proseware',
        companyName: 'Proseware, Inc.',
        domainPrefix: 'prosewareinc',
        culture: 'en-US',
        language: 'en',
        address: {
          country: 'US',
          region: 'OR',
          city: 'Portland',
          addressLine1: '200 SW Market St',
          postalCode: '97201',
        },
        contact: ['Owen', 'Walsh'],
        reseller: '6300032',
        subscriptions: [{ offer: 'businessStandard', quantity: 12, boughtDaysAgo: 140, autoRenew: true }],
      },
    ],
  },
  {
    key: 'northwind-gov',
    name: 'Northwind Government Cloud',
    domain: 'northwindgov.onmicrosoft.us',
    mpnId: '6200022',
    cloud: 'us-government',
    user: 'pc-admin@northwindgov.onmicrosoft.us',
    currency: ['USD', '$'],
    support: {
      email: 'gov-support@northwind-cloud.example',
      telephone: '+1 703 555 0142',
      website: 'https://gov.northwind-cloud.example/support',
    },
    customers: [
      {
        key: 'litware',
        companyName: 'Litware Public Services',
        domainPrefix: 'litwaregov',
        culture: 'en-US',
        language: 'en',
        address: {
          country: 'US',
          region: 'VA',
          city: 'Arlington',
          addressLine1: '1000 Wilson Blvd',
          postalCode: '22209',
        },
        contact: ['James', 'Carter'],
        email: 'james.carter@litware.example',
        subscriptions: [
          { offer: 'azurePlan', boughtDaysAgo: 420, azure: ['active'] },
          { offer: 'salesProfessional', quantity: 8, boughtDaysAgo: 260, autoRenew: true },
        ],
      },
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
    key: 'northwind-cn',
    name: 'Northwind 云服务 (由世纪互联运营)',
    domain: 'northwindcn.partner.onmschina.cn',
    mpnId: '6200023',
    cloud: '21vianet',
    user: 'pc-admin@northwindcn.partner.onmschina.cn',
    currency: ['CNY', '¥'],
    support: {
      email: 'support-cn@northwind-cloud.example',
      telephone: '+86 21 5555 0188',
      website: 'https://cn.northwind-cloud.example/support',
    },
    // 21Vianet offers no Azure subscriptions through Partner Center (reference §2.1).
    customers: [
      {
        key: 'coho-winery',
        companyName: '科霍酒庄（上海）有限公司',
        domainPrefix: 'cohowinerysh',
        culture: 'zh-CN',
        language: 'zh-Hans',
        address: { country: 'CN', city: '上海市', addressLine1: '徐汇区衡山路88号', postalCode: '200031' },
        contact: ['伟', '王'],
        email: 'wei.wang@cohowinery.example',
        subscriptions: [
          { offer: 'office365E1', quantity: 20, boughtDaysAgo: 500, autoRenew: true },
          { offer: 'businessStandard', quantity: 6, boughtDaysAgo: 95, autoRenew: true },
        ],
      },
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
        subscriptions: [{ offer: 'office365E1', quantity: 30, boughtDaysAgo: 75, autoRenew: true }],
      },
    ],
  },
  {
    key: 'formosa-tw',
    name: '福爾摩沙雲端股份有限公司',
    domain: 'formosacloud.onmicrosoft.com',
    mpnId: '6100012',
    cloud: 'public',
    user: 'pc-admin@formosacloud.onmicrosoft.com',
    currency: ['TWD', 'NT$'],
    support: {
      email: 'support@formosacloud.example',
      telephone: '+886 2 5555 0100',
      website: 'https://formosacloud.example/support',
    },
    customers: [
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
          { offer: 'azurePlan', boughtDaysAgo: 300, azure: ['active', 'cancelled'] },
        ],
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
      {
        key: 'hsinchu-optics',
        companyName: '新竹光電股份有限公司',
        domainPrefix: 'hsinchuoptics',
        culture: 'zh-TW',
        language: 'zh-Hant',
        address: { country: 'TW', city: '新竹市', addressLine1: '光復路二段101號', postalCode: '300' },
        contact: ['Yu-Ting', 'Huang'],
        subscriptions: [
          { offer: 'e3', quantity: 15, boughtDaysAgo: 430, autoRenew: true },
          { offer: 'azurePlan', boughtDaysAgo: 430, azure: ['active'] },
        ],
      },
    ],
  },
];

/** Legacy licences ran for 12 months whatever their billing cycle. */
function termMonths(term: string | undefined): number {
  if (term === 'P1M') return 1;
  if (term === 'P3Y') return 36;
  return 12;
}

function seedSubscription(
  seed: string,
  now: Date,
  customerId: string,
  key: string,
  plan: SubscriptionPlan,
): BilledSubscription {
  const offer = offers[plan.offer];
  const id = guidFrom(seed, `subscription:${key}`);
  const creationDate = new Date(now.getTime() - plan.boughtDaysAgo * dayMs);
  // An ended subscription stopped at the start of a month: the cut-over of a migration.
  const endedAt =
    plan.endedDaysAgo === undefined
      ? undefined
      : startOfUtcMonth(new Date(now.getTime() - plan.endedDaysAgo * dayMs));
  const start = startOfUtcDay(creationDate);
  const months = termMonths(offer.term);
  // Terms renew until one covers today (or the day it ended), so that old subscriptions are still running.
  const coveredDay = endedAt ?? now;
  let terms = 0;
  while (offer.kind !== 'azure-plan' && addMonths(start, (terms + 1) * months) <= coveredDay) terms += 1;
  const termStart = addMonths(start, terms * months);
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
        : (endedAt ?? new Date(addMonths(termStart, months).getTime() - dayMs)),
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
  return {
    subscription,
    unitPrice: offer.price,
    ...(plan.seatsBefore === undefined ? {} : { seatsBefore: plan.seatsBefore }),
    ...(endedAt === undefined ? {} : { endedAt }),
  };
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
/** What each seeded partner's app and consent are: derived from the seed string alone. */
export function seedCredentials(seed: string): SeededCredentials[] {
  return partnerPlans.map((plan) => ({
    key: plan.key,
    partnerName: plan.name,
    cloud: plan.cloud,
    tenantId: guidFrom(seed, `partner:${plan.key}`),
    domain: plan.domain,
    clientId: guidFrom(seed, `app:${plan.key}`),
    clientSecret: secretFrom(seed, `app:${plan.key}`),
    refreshToken: `0.${secretFrom(seed, `refresh:${plan.key}`)}`,
    userPrincipalName: plan.user,
  }));
}

export function seedStore(seed: string, now: Date): { store: Store; credentials: SeededCredentials[] } {
  const partners: PartnerTenant[] = [];
  const customers: Customer[] = [];
  const billed: BilledSubscription[] = [];
  const grants = new Map<string, Grant>();
  const refreshTokens = new Map<string, RefreshToken>();
  const credentials = seedCredentials(seed);
  for (const [index, plan] of partnerPlans.entries()) {
    const { tenantId, clientId, clientSecret, refreshToken } = credentials[index]!;
    partners.push({
      key: plan.key,
      tenantId,
      domain: plan.domain,
      name: plan.name,
      mpnId: plan.mpnId,
      cloud: plan.cloud,
      apps: [{ clientId, clientSecret, name: 'partnerdesk' }],
      currencyCode: plan.currency[0],
      currencySymbol: plan.currency[1],
      supportProfile: { ...plan.support },
    });
    const grant: Grant = {
      id: guidFrom(seed, `grant:${plan.key}`),
      clientId,
      userPrincipalName: plan.user,
      revoked: false,
    };
    grants.set(grant.id, grant);
    refreshTokens.set(refreshToken, { grantId: grant.id, issuedAt: now });
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
        email: customerPlan.email ?? `${firstName.toLowerCase()}@${customerPlan.domainPrefix}.example`,
        culture: customerPlan.culture,
        language: customerPlan.language,
        address: { ...customerPlan.address, firstName, lastName, phoneNumber: '' },
        billingProfileId: guidFrom(seed, `billing-profile:${customerPlan.key}`),
        billingProfileVersion: 1,
        relationshipToPartner: 'reseller',
        enableGDAPByDefault: true,
        ...(customerPlan.reseller === undefined ? {} : { associatedPartnerId: customerPlan.reseller }),
      });
      customerPlan.subscriptions.forEach((subscriptionPlan, index) => {
        billed.push(seedSubscription(seed, now, id, `${customerPlan.key}:${index}`, subscriptionPlan));
      });
    }
  }
  const subscriptions = billed.map((entry) => entry.subscription);
  const billing = seedBilling(seed, now, { partners, customers, subscriptions: billed });
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
      ...billing,
      billingExports: new Map(),
    },
    credentials,
  };
}
