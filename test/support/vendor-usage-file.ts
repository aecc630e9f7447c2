/**
 * A new-commerce daily rated usage file (reference §3.2: the 55 documented columns in document order,
 * month/day/year dates) and the same rows as a Graph export's JSON lines (camelCase attributes, ISO 8601
 * dates), generated one row at a time from a fixed seed: for the engine's tests and the benchmark. The
 * values are realistic — a few dozen customers with one Azure plan and several entitlements each, a
 * dozen meters, billed in EUR from USD prices, tags and additional info as JSON text (quoted in CSV).
 */

export const dailyUsageColumns = [
  'PartnerId',
  'PartnerName',
  'CustomerId',
  'CustomerName',
  'CustomerDomainName',
  'CustomerCountry',
  'MPNID',
  'ResellerMPNID',
  'InvoiceNumber',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'PublisherName',
  'PublisherId',
  'SubscriptionDescription',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'UsageDate',
  'MeterType',
  'MeterCategory',
  'MeterId',
  'MeterSubCategory',
  'MeterName',
  'MeterRegion',
  'Unit',
  'ResourceLocation',
  'ConsumedService',
  'ResourceGroup',
  'ResourceURI',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'UnitType',
  'BillingPreTaxTotal',
  'BillingCurrency',
  'PricingPreTaxTotal',
  'PricingCurrency',
  'ServiceInfo1',
  'ServiceInfo2',
  'Tags',
  'AdditionalInfo',
  'EffectiveUnitPrice',
  'PCToBCExchangeRate',
  'PCToBCExchangeRateDate',
  'EntitlementId',
  'EntitlementDescription',
  'PartnerEarnedCreditPercentage',
  'CreditPercentage',
  'CreditType',
  'BenefitOrderId',
  'BenefitId',
  'BenefitType',
] as const;

export type UsageColumn = (typeof dailyUsageColumns)[number];
export type UsageRow = Record<UsageColumn, string>;

export interface UsageFileOptions {
  rows: number;
  /** The invoice the usage was billed on; null for recent (unbilled) activity. */
  invoiceNumber: string | null;
  /** `yyyy-mm`: the usage month. */
  month: string;
  seed?: number;
  /** Customers' tenant ids to use (so some match local customers); generated when left out. */
  tenantIds?: readonly string[];
}

const meters = [
  ['Virtual Machines', 'Dsv5 Series', 'D2s v5', '1 Compute Hour', '0.096', 'DZH318Z0BQPS', '00TG'],
  ['Virtual Machines', 'Esv5 Series', 'E4s v5', '1 Compute Hour', '0.252', 'DZH318Z0BQPS', '00TN'],
  ['Storage', 'Blob Storage', 'Hot LRS Data Stored', '1 GB/Month', '0.0184', 'DZH317F1HKN0', '00Q0'],
  ['Storage', 'Blob Storage', 'Hot Read Operations', '10K', '0.0044', 'DZH317F1HKN0', '00Q5'],
  ['Bandwidth', 'Inter-Region', 'Standard Data Transfer Out', '1 GB', '0.02', 'DZH318Z0BNVX', '0033'],
  [
    'SQL Database',
    'Single/Elastic Pool General Purpose - Compute Gen5',
    'vCore',
    '1 Hour',
    '0.2522',
    'DZH318Z0BQ4Z',
    '0079',
  ],
  ['Azure App Service', 'Premium v3 Plan', 'P1 v3 App', '1 Hour', '0.169', 'DZH318Z0BJM4', '004K'],
  ['Azure Monitor', 'Log Analytics', 'Pay-as-you-go Data Ingestion', '1 GB', '2.30', 'DZH318Z0BP6V', '0005'],
  ['Key Vault', 'Standard', 'Operations', '10K', '0.03', 'DZH318Z0BNWW', '0004'],
  ['Azure Kubernetes Service', 'Standard', 'Uptime SLA', '1 Hour', '0.10', 'DZH318Z0BQ5M', '0003'],
  [
    'Virtual Network',
    'IP Addresses',
    'Standard IPv4 Static Public IP',
    '1 Hour',
    '0.005',
    'DZH318Z0BNZH',
    '0021',
  ],
  ['Azure Cosmos DB', 'RUs', '100 RU/s', '1 Hour', '0.008', 'DZH318Z0BQ9C', '000H'],
] as const;

const regions = ['EU West', 'EU North', 'US East', 'UK South'] as const;
const locations = ['westeurope', 'northeurope', 'eastus', 'uksouth'] as const;
const countries = ['HU', 'DE', 'AT', 'SK', 'PL', 'CZ'] as const;

/** A small seeded generator of 32-bit unsigned integers (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function uuid(next: () => number): string {
  const [a, b, c, d] = [next(), next(), next(), next()].map((word) => word.toString(16).padStart(8, '0'));
  return `${a}-${b!.slice(0, 4)}-4${b!.slice(5)}-${'89ab'[next() & 3]}${c!.slice(1, 4)}-${c!.slice(4)}${d}`;
}

/** Amounts as Microsoft writes them: plain decimals, computed in integer units so no float rounds them. */
function scaled(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/\.?0+$/, '');
  return negative ? `-${text}` : text;
}

function unitsOf(decimal: string, places: number): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole! + fraction.padEnd(places, '0').slice(0, places));
}

/** The usage rows, one at a time, with the values as text (dates month/day/year, as the CSV has them). */
export function* dailyUsageRows(options: UsageFileOptions): Generator<UsageRow> {
  const next = mulberry32(options.seed ?? 20_261_001);
  const [year, month] = options.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mdy = (day: number) => `${month}/${day}/${year}`;
  const partnerId = uuid(next);
  const customers = Array.from({ length: options.tenantIds?.length ?? 40 }, (_, index) => {
    const name = `Customer ${index + 1} ${['Kft.', 'GmbH', 'Zrt.', 's.r.o.'][index % 4]}`;
    return {
      tenantId: options.tenantIds?.[index] ?? uuid(next),
      name,
      domain: `customer${index + 1}.onmicrosoft.com`,
      country: countries[index % countries.length]!,
      plan: uuid(next),
      entitlements: Array.from({ length: 1 + (index % 4) }, (_, n) => ({
        id: uuid(next),
        name: `Subscription ${n + 1}`,
      })),
    };
  });
  const rate = '0.921837';
  const rateUnits = unitsOf(rate, 6);
  for (let n = 0; n < options.rows; n++) {
    const pick = next();
    const customer = customers[pick % customers.length]!;
    const entitlement = customer.entitlements[(pick >>> 8) % customer.entitlements.length]!;
    const meter = meters[(pick >>> 12) % meters.length]!;
    const region = (pick >>> 16) % regions.length;
    const day = (n % days) + 1;
    // Quantity with six decimals; pricing total = price × quantity (rounded down to the cent, §3.1),
    // billing total = pricing × rate (rounded down to the cent).
    const quantityUnits = BigInt(next() % 48_000_000);
    const priceUnits = unitsOf(meter[4], 6);
    const pricingCents = (priceUnits * quantityUnits) / 10n ** 10n;
    const billingCents = (pricingCents * rateUnits) / 10n ** 6n;
    const group = `rg-${customer.domain.split('.')[0]}-${(pick >>> 20) % 5}`;
    yield {
      PartnerId: partnerId,
      PartnerName: 'Contoso Hungary Kft.',
      CustomerId: customer.tenantId,
      CustomerName: customer.name,
      CustomerDomainName: customer.domain,
      CustomerCountry: customer.country,
      MPNID: '6034453',
      ResellerMPNID: '',
      InvoiceNumber: options.invoiceNumber ?? '',
      ProductId: meter[5],
      SkuId: meter[6],
      AvailabilityId: `${meter[5].slice(0, 8)}0B${meter[6]}`,
      SkuName: meter[2],
      ProductName: meter[0],
      PublisherName: 'Microsoft',
      PublisherId: '',
      SubscriptionDescription: 'Azure plan',
      SubscriptionId: customer.plan,
      ChargeStartDate: mdy(1),
      ChargeEndDate: mdy(days),
      UsageDate: mdy(day),
      MeterType: meter[3],
      MeterCategory: meter[0],
      MeterId: `${meter[5].toLowerCase()}-${meter[6].toLowerCase()}`,
      MeterSubCategory: meter[1],
      MeterName: meter[2],
      MeterRegion: regions[region]!,
      Unit: meter[3],
      ResourceLocation: locations[region]!,
      ConsumedService: `Microsoft.${meter[0].replaceAll(' ', '')}`,
      ResourceGroup: group,
      ResourceURI: `/subscriptions/${entitlement.id}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/vm-${pick % 13}`,
      ChargeType: 'new',
      UnitPrice: meter[4],
      Quantity: scaled(quantityUnits, 6),
      UnitType: meter[3],
      BillingPreTaxTotal: scaled(billingCents, 2),
      BillingCurrency: 'EUR',
      PricingPreTaxTotal: scaled(pricingCents, 2),
      PricingCurrency: 'USD',
      ServiceInfo1: '',
      ServiceInfo2: '',
      Tags: pick % 3 === 0 ? `{"env":"prod","costCenter":"${pick % 40}"}` : '',
      AdditionalInfo:
        pick % 5 === 0 ? `{"ImageType":"Canonical","ServiceType":"Standard_D2s_v5","VCPUs":2}` : '',
      EffectiveUnitPrice: meter[4],
      PCToBCExchangeRate: rate,
      PCToBCExchangeRateDate: mdy(1),
      EntitlementId: entitlement.id,
      EntitlementDescription: entitlement.name,
      PartnerEarnedCreditPercentage: pick % 7 === 0 ? '15' : '0',
      CreditPercentage: '0',
      CreditType: '',
      BenefitOrderId: '',
      BenefitId: '',
      BenefitType: '',
    };
  }
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The file's text, a line at a time: the header, then the rows (CRLF, as Partner Center writes it). */
export function* dailyUsageCsvLines(options: UsageFileOptions): Generator<string> {
  yield `${dailyUsageColumns.join(',')}\r\n`;
  for (const row of dailyUsageRows(options)) {
    let line = '';
    for (let i = 0; i < dailyUsageColumns.length; i++) {
      if (i > 0) line += ',';
      line += csvField(row[dailyUsageColumns[i]!]);
    }
    yield `${line}\r\n`;
  }
}

const mdyDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const dateColumns = new Set<UsageColumn>([
  'ChargeStartDate',
  'ChargeEndDate',
  'UsageDate',
  'PCToBCExchangeRateDate',
]);
/** Graph's names where they are not the column's in camelCase (reference §3.2). */
const graphNames: Partial<Record<UsageColumn, string>> = {
  MPNID: 'mpnId',
  ResellerMPNID: 'tier2MpnId',
  Unit: 'unitOfMeasure',
};

/** The same rows as a Graph billed (or unbilled) usage export's JSON lines, empty attributes left out. */
export function* dailyUsageJsonLines(options: UsageFileOptions): Generator<string> {
  for (const row of dailyUsageRows(options)) {
    const json: Record<string, string> = {};
    for (const column of dailyUsageColumns) {
      const value = row[column];
      if (value === '') continue;
      const name = graphNames[column] ?? `${column.charAt(0).toLowerCase()}${column.slice(1)}`;
      const date = dateColumns.has(column) ? mdyDate.exec(value) : null;
      json[name] = date
        ? `${date[3]}-${date[1]!.padStart(2, '0')}-${date[2]!.padStart(2, '0')}T00:00:00Z`
        : value;
    }
    yield `${JSON.stringify(json)}\n`;
  }
}
