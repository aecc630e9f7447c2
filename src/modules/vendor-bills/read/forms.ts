import type { LineForm } from '../lines.ts';

/**
 * The four forms Microsoft delivers lines in, each with its documented columns in document order
 * (reference §3.1–3.4), the ones a file must have, and the other documented names of a column — the
 * newer pages', the v1 API's and Graph's (§3.2, §7). Names are matched case-insensitively, so one table
 * serves the CSV headers (`ChargeStartDate`) and the JSON attributes (`chargeStartDate`) alike.
 */
export interface FormSpec<C extends string = string> {
  form: LineForm;
  /** How the reference names the file, for messages. */
  title: string;
  columns: readonly C[];
  /** Columns without which a file is refused (a value may still be blank where the form allows it). */
  required: readonly C[];
  aliases: Partial<Record<C, readonly string[]>>;
}

const reconColumns = [
  'PartnerId',
  'CustomerId',
  'CustomerName',
  'CustomerDomainName',
  'CustomerCountry',
  'InvoiceNumber',
  'MPNID',
  'ResellerMPNID',
  'OrderId',
  'OrderDate',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Subtotal',
  'TaxTotal',
  'Total',
  'Currency',
  'PriceAdjustmentDescription',
  'PublisherName',
  'PublisherId',
  'SubscriptionDescription',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'TermAndBillingCycle',
  'EffectiveUnitPrice',
  'UnitType',
  'AlternateId',
  'BillableQuantity',
  'BillingFrequency',
  'PricingCurrency',
  'PCToBCExchangeRate',
  'PCToBCExchangeRateDate',
  'MeterDescription',
  'ReservationOrderId',
  'CreditReasonCode',
  'SubscriptionStartDate',
  'SubscriptionEndDate',
  'ReferenceID',
  'ProductQualifiers',
  'PromotionID',
] as const;
export type ReconColumn = (typeof reconColumns)[number];

const usageColumns = [
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
export type UsageColumn = (typeof usageColumns)[number];

const licenceColumns = [
  'PartnerId',
  'CustomerId',
  'CustomerName',
  'MPNID',
  'ResellerMPNID',
  'OrderId',
  'SubscriptionId',
  'SyndicationPartnerSubscriptionNumber',
  'OfferId',
  'DurableOfferId',
  'OfferName',
  'SubscriptionStartDate',
  'SubscriptionEndDate',
  'ChargeStartDate',
  'ChargeEndDate',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Amount',
  'TotalOtherDiscount',
  'Subtotal',
  'Tax',
  'TotalForCustomer',
  'Currency',
  'DomainName',
  'SubscriptionName',
  'SubscriptionDescription',
  'BillingCycleType',
  // Not a column of the file (§3.3): the v1 API may carry it; otherwise the caller names the invoice.
  'InvoiceNumber',
] as const;
export type LicenceColumn = (typeof licenceColumns)[number];

const legacyUsageColumns = [
  'PartnerId',
  'PartnerName',
  'PartnerBillableAccountId',
  'CustomerCompanyName',
  'MPNID',
  'ResellerMPNID',
  'InvoiceNumber',
  'ChargeStartDate',
  'ChargeEndDate',
  'SubscriptionId',
  'SubscriptionName',
  'SubscriptionDescription',
  'OrderID',
  'ServiceName',
  'ServiceType',
  'ResourceGuid',
  'ResourceName',
  'Region',
  'Sku',
  'DetailLineItemId',
  'ConsumedQuantity',
  'IncludedQuantity',
  'OverageQuantity',
  'ListPrice',
  'PretaxCharges',
  'TaxAmount',
  'PostTaxTotal',
  'Currency',
  'PretaxEffectiveRate',
  'PostTaxEffectiveRate',
  'ChargeType',
  'CustomerId',
  'DomainName',
  'BillingCycleType',
  'Unit',
  'CustomerBillableAccount',
  'UsageDate',
  'MeteredRegion',
  'MeteredService',
  'MeteredServiceType',
  'Project',
  'ServiceInfo',
] as const;
export type LegacyUsageColumn = (typeof legacyUsageColumns)[number];

/**
 * `MPNID`/`MpnId` and `ResellerMPNID`/`ResellerMpnId` (2023 page, newest page) differ only in case; Graph's
 * usage attributes and the legacy API call the reseller `Tier2MpnId` (§3.2, §3.3, §7).
 */
const partnerIdAliases = { ResellerMPNID: ['Tier2MpnId'] } as const;

export const billedRecon: FormSpec<ReconColumn> = {
  form: 'billed_recon',
  title: 'new-commerce invoice reconciliation file',
  columns: reconColumns,
  required: [
    'CustomerId',
    'InvoiceNumber',
    'ProductId',
    'ProductName',
    'ChargeType',
    'UnitPrice',
    'Quantity',
    'Subtotal',
    'Total',
    'Currency',
    'SubscriptionId',
    'ChargeStartDate',
    'ChargeEndDate',
    'EffectiveUnitPrice',
  ],
  aliases: { ...partnerIdAliases, Total: ['totalForCustomer'] },
};

export const dailyUsage: FormSpec<UsageColumn> = {
  form: 'daily_usage',
  title: 'new-commerce daily rated usage file',
  columns: usageColumns,
  // What Graph's `basic` attribute set keeps (§3.2), less what a line can do without.
  required: [
    'CustomerId',
    'InvoiceNumber',
    'ProductId',
    'SkuId',
    'SubscriptionId',
    'UsageDate',
    'ChargeType',
    'UnitPrice',
    'Quantity',
    'BillingPreTaxTotal',
    'BillingCurrency',
    'EntitlementId',
  ],
  aliases: {
    ...partnerIdAliases,
    Unit: ['unitOfMeasure'],
    PartnerEarnedCreditPercentage: ['rateOfPartnerEarnedCredit'],
    CreditPercentage: ['rateOfCredit'],
  },
};

export const legacyLicence: FormSpec<LicenceColumn> = {
  form: 'legacy_license',
  title: 'legacy licence-based reconciliation file',
  columns: licenceColumns,
  required: [
    'CustomerId',
    'SyndicationPartnerSubscriptionNumber',
    'OfferName',
    'ChargeStartDate',
    'ChargeEndDate',
    'ChargeType',
    'UnitPrice',
    'Quantity',
    'Subtotal',
    'TotalForCustomer',
    'Currency',
  ],
  aliases: partnerIdAliases,
};

export const legacyUsage: FormSpec<LegacyUsageColumn> = {
  form: 'legacy_usage',
  title: 'legacy usage-based reconciliation file',
  columns: legacyUsageColumns,
  required: [
    'CustomerId',
    'InvoiceNumber',
    'SubscriptionId',
    'ChargeStartDate',
    'ChargeEndDate',
    'ChargeType',
    'PretaxCharges',
    'PostTaxTotal',
    'Currency',
  ],
  aliases: partnerIdAliases,
};

export const forms = [billedRecon, dailyUsage, legacyLicence, legacyUsage] as const;

export function formSpecOf(form: LineForm): FormSpec {
  return forms.find((spec) => spec.form === form)!;
}

/** Fields the v1 API and Graph add to a line that are not line content: known, so not kept as extra. */
const apiOnly = [
  'attributes',
  'attributes/objectType',
  'invoiceLineItemType',
  'billingProvider',
  'discountDetails',
  'hasPartnerEarnedCredit',
];

export interface ColumnIndex {
  /** The documented column a name stands for, by its lower-cased spelling; null for API-only names. */
  readonly byName: ReadonlyMap<string, string | null>;
}

const indexes = new Map<FormSpec, ColumnIndex>();

/** Lower-cased names and aliases → the documented column (computed once per form). */
export function columnIndexOf(spec: FormSpec): ColumnIndex {
  let index = indexes.get(spec);
  if (!index) {
    const byName = new Map<string, string | null>(apiOnly.map((name) => [name.toLowerCase(), null]));
    for (const column of spec.columns) {
      byName.set(column.toLowerCase(), column);
      for (const alias of spec.aliases[column] ?? []) byName.set(alias.toLowerCase(), column);
    }
    index = { byName };
    indexes.set(spec, index);
  }
  return index;
}

/** The fewest documented columns a header must share with a form to be taken for it. */
const leastMatching = 5;

/**
 * The form whose documented columns the header shares most (a recon file missing `Total` is still a
 * recon file, refused for that column afterwards), or undefined when it looks like none of them.
 */
export function detectForm(headers: readonly string[]): FormSpec | undefined {
  let best: { spec: FormSpec; matching: number } | undefined;
  for (const spec of forms) {
    const { byName } = columnIndexOf(spec);
    const matching = headers.filter((header) => byName.get(header.trim().toLowerCase())).length;
    if (matching >= leastMatching && (!best || matching > best.matching)) best = { spec, matching };
  }
  return best?.spec;
}
