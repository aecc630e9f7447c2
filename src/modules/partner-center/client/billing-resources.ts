import {
  describe,
  field,
  type JsonObject,
  join,
  objectAt,
  optionalDecimal,
  optionalList,
  optionalObject,
  optionalText,
  ResourceParseError,
  requiredDecimal,
  requiredText,
} from './read-fields.ts';

/**
 * Billing resources read tolerantly (reference §2.7–2.8, §3) with the readers of read-fields.ts, by the
 * documented aliases too (`totalForCustomer`/`total`, `resellerMpnId`/`tier2MpnId`, `unitOfMeasure`/
 * `unit` …) so that v1 line items and Graph export rows read alike; amounts as exact decimal strings
 * whether they came as JSON numbers or text, missing text as ''. Each value keeps its body in `raw`.
 */
function reader(value: unknown, path: string) {
  const body = objectAt(value, path);
  /** The first of the names present, else the first (the one a "missing" error names). */
  const pick = (names: string[]) => names.find((name) => field(body, name, path)[0] != null) ?? names[0]!;
  return {
    body,
    path,
    text: (...names: string[]) => optionalText(body, pick(names), path) ?? '',
    requiredText: (...names: string[]) => requiredText(body, pick(names), path),
    decimal: (...names: string[]) => requiredDecimal(body, pick(names), path),
    optionalDecimal: (...names: string[]) => optionalDecimal(body, pick(names), path),
    list: (name: string) => optionalList(body, name, path),
  };
}

export interface InvoiceDetail {
  invoiceLineItemType: string;
  billingProvider: string;
}

export interface Invoice {
  id: string;
  invoiceDate: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
  totalCharges: string;
  /** Negative once a payment was received (invoice-resources.md). */
  paidAmount: string;
  currencyCode: string;
  currencySymbol: string;
  documentType: string;
  invoiceType: string;
  invoiceDetails: InvoiceDetail[];
  /** Only on the by-id read; expires after 30 minutes. */
  pdfDownloadLink: string;
  raw: JsonObject;
}

export function parseInvoice(value: unknown, path = ''): Invoice {
  const read = reader(value, path);
  return {
    id: read.requiredText('id'),
    invoiceDate: read.text('invoiceDate'),
    billingPeriodStartDate: read.text('billingPeriodStartDate'),
    billingPeriodEndDate: read.text('billingPeriodEndDate'),
    totalCharges: read.decimal('totalCharges'),
    paidAmount: read.optionalDecimal('paidAmount') ?? '0',
    currencyCode: read.requiredText('currencyCode'),
    currencySymbol: read.text('currencySymbol'),
    documentType: read.text('documentType').toLowerCase(),
    invoiceType: read.text('invoiceType'),
    invoiceDetails: read.list('invoiceDetails').map((detail, index) => {
      const entry = reader(detail, `${join(read.path, 'invoiceDetails')}[${index}]`);
      return {
        invoiceLineItemType: entry.text('invoiceLineItemType').toLowerCase(),
        billingProvider: entry.text('billingProvider').toLowerCase(),
      };
    }),
    pdfDownloadLink: read.text('pdfDownloadLink'),
    raw: read.body,
  };
}

/** A new-commerce reconciliation line: a v1 `OneTimeInvoiceLineItem` or a Graph reconciliation row. */
export interface ReconciliationLine {
  partnerId: string;
  customerId: string;
  customerName: string;
  customerDomainName: string;
  customerCountry: string;
  /** Empty while unbilled. */
  invoiceNumber: string;
  mpnId: string;
  resellerMpnId: string;
  orderId: string;
  orderDate: string;
  productId: string;
  skuId: string;
  availabilityId: string;
  productName: string;
  skuName: string;
  chargeType: string;
  unitPrice: string;
  effectiveUnitPrice: string;
  quantity: string;
  billableQuantity: string;
  subtotal: string;
  taxTotal: string;
  /** `totalForCustomer` in the v1 API, `Total` in the file. */
  total: string;
  currency: string;
  pricingCurrency: string;
  pcToBCExchangeRate: string;
  pcToBCExchangeRateDate: string;
  subscriptionId: string;
  subscriptionDescription: string;
  subscriptionStartDate: string;
  subscriptionEndDate: string;
  chargeStartDate: string;
  chargeEndDate: string;
  termAndBillingCycle: string;
  billingFrequency: string;
  unitType: string;
  meterDescription: string;
  publisherName: string;
  priceAdjustmentDescription: string;
  /** Links the refund and the re-charge of one event. */
  referenceId: string;
  raw: JsonObject;
}

export function parseReconciliationLine(value: unknown, path = ''): ReconciliationLine {
  const read = reader(value, path);
  return {
    partnerId: read.requiredText('partnerId'),
    customerId: read.requiredText('customerId'),
    customerName: read.text('customerName'),
    customerDomainName: read.text('customerDomainName'),
    customerCountry: read.text('customerCountry'),
    invoiceNumber: read.text('invoiceNumber'),
    mpnId: read.text('mpnId'),
    resellerMpnId: read.text('resellerMpnId', 'tier2MpnId'),
    orderId: read.text('orderId'),
    orderDate: read.text('orderDate'),
    productId: read.text('productId'),
    skuId: read.text('skuId'),
    availabilityId: read.text('availabilityId'),
    productName: read.text('productName'),
    skuName: read.text('skuName'),
    chargeType: read.requiredText('chargeType'),
    unitPrice: read.decimal('unitPrice'),
    effectiveUnitPrice: read.decimal('effectiveUnitPrice'),
    quantity: read.decimal('quantity'),
    billableQuantity: read.decimal('billableQuantity', 'quantity'),
    subtotal: read.decimal('subtotal'),
    taxTotal: read.optionalDecimal('taxTotal') ?? '0',
    total: read.decimal('totalForCustomer', 'total'),
    currency: read.requiredText('currency'),
    pricingCurrency: read.text('pricingCurrency'),
    pcToBCExchangeRate: read.optionalDecimal('pcToBCExchangeRate') ?? '1',
    pcToBCExchangeRateDate: read.text('pcToBCExchangeRateDate'),
    subscriptionId: read.text('subscriptionId'),
    subscriptionDescription: read.text('subscriptionDescription'),
    subscriptionStartDate: read.text('subscriptionStartDate'),
    subscriptionEndDate: read.text('subscriptionEndDate'),
    chargeStartDate: read.text('chargeStartDate'),
    chargeEndDate: read.text('chargeEndDate'),
    termAndBillingCycle: read.text('termAndBillingCycle'),
    billingFrequency: read.text('billingFrequency'),
    unitType: read.text('unitType'),
    meterDescription: read.text('meterDescription'),
    publisherName: read.text('publisherName'),
    priceAdjustmentDescription: read.text('priceAdjustmentDescription'),
    referenceId: read.text('referenceId'),
    raw: read.body,
  };
}

/** One day of one meter: a v1 `DailyRatedUsageLineItem` or a Graph usage row. */
export interface DailyRatedUsageLine {
  partnerId: string;
  customerId: string;
  customerName: string;
  invoiceNumber: string;
  resellerMpnId: string;
  productId: string;
  skuId: string;
  skuName: string;
  productName: string;
  /** The Azure plan. */
  subscriptionId: string;
  /** The Azure subscription. */
  entitlementId: string;
  meterId: string;
  meterCategory: string;
  meterName: string;
  usageDate: string;
  chargeType: string;
  unitPrice: string;
  effectiveUnitPrice: string;
  quantity: string;
  unit: string;
  billingPreTaxTotal: string;
  billingCurrency: string;
  pricingPreTaxTotal: string;
  pricingCurrency: string;
  pcToBCExchangeRate: string;
  partnerEarnedCreditPercentage: string;
  creditPercentage: string;
  raw: JsonObject;
}

export function parseDailyRatedUsageLine(value: unknown, path = ''): DailyRatedUsageLine {
  const read = reader(value, path);
  return {
    partnerId: read.requiredText('partnerId'),
    customerId: read.text('customerId'),
    customerName: read.text('customerName'),
    invoiceNumber: read.text('invoiceNumber'),
    resellerMpnId: read.text('resellerMpnId', 'tier2MpnId'),
    productId: read.text('productId'),
    skuId: read.text('skuId'),
    skuName: read.text('skuName'),
    productName: read.text('productName'),
    subscriptionId: read.text('subscriptionId'),
    entitlementId: read.text('entitlementId'),
    meterId: read.text('meterId'),
    meterCategory: read.text('meterCategory'),
    meterName: read.text('meterName'),
    usageDate: read.requiredText('usageDate'),
    chargeType: read.text('chargeType'),
    unitPrice: read.decimal('unitPrice'),
    effectiveUnitPrice: read.optionalDecimal('effectiveUnitPrice') ?? read.decimal('unitPrice'),
    quantity: read.decimal('quantity'),
    unit: read.text('unitOfMeasure', 'unit'),
    billingPreTaxTotal: read.decimal('billingPreTaxTotal'),
    billingCurrency: read.requiredText('billingCurrency'),
    pricingPreTaxTotal: read.decimal('pricingPreTaxTotal'),
    pricingCurrency: read.text('pricingCurrency'),
    pcToBCExchangeRate: read.optionalDecimal('pcToBCExchangeRate') ?? '1',
    partnerEarnedCreditPercentage:
      read.optionalDecimal('rateOfPartnerEarnedCredit', 'partnerEarnedCreditPercentage') ?? '0',
    creditPercentage: read.optionalDecimal('rateOfCredit', 'creditPercentage') ?? '0',
    raw: read.body,
  };
}

/** A legacy licence-based line: a v1 `LicenseBasedLineItem` (`provider=office`, §3.3), billed on a `D…` invoice. */
export interface LicenseBasedLine {
  partnerId: string;
  customerId: string;
  customerName: string;
  mpnId: string;
  /** `-1` when no reseller is involved. */
  resellerMpnId: string;
  orderId: string;
  subscriptionId: string;
  syndicationPartnerSubscriptionNumber: string;
  offerId: string;
  durableOfferId: string;
  offerName: string;
  chargeStartDate: string;
  chargeEndDate: string;
  chargeType: string;
  unitPrice: string;
  quantity: string;
  subtotal: string;
  tax: string;
  totalForCustomer: string;
  currency: string;
  raw: JsonObject;
}

export function parseLicenseBasedLine(value: unknown, path = ''): LicenseBasedLine {
  const read = reader(value, path);
  return {
    partnerId: read.requiredText('partnerId'),
    customerId: read.requiredText('customerId'),
    customerName: read.text('customerName'),
    mpnId: read.text('mpnId'),
    resellerMpnId: read.text('tier2MpnId', 'resellerMpnId'),
    orderId: read.text('orderId'),
    subscriptionId: read.text('subscriptionId'),
    syndicationPartnerSubscriptionNumber: read.text('syndicationPartnerSubscriptionNumber'),
    offerId: read.text('offerId'),
    durableOfferId: read.text('durableOfferId'),
    offerName: read.text('offerName'),
    chargeStartDate: read.text('chargeStartDate'),
    chargeEndDate: read.text('chargeEndDate'),
    chargeType: read.requiredText('chargeType'),
    unitPrice: read.decimal('unitPrice'),
    quantity: read.decimal('quantity'),
    subtotal: read.decimal('subtotal'),
    tax: read.optionalDecimal('tax') ?? '0',
    totalForCustomer: read.decimal('totalForCustomer'),
    currency: read.requiredText('currency'),
    raw: read.body,
  };
}

/** The manifest of a Graph export (§2.8.2). */
export interface ExportManifest {
  id: string;
  dataFormat: string;
  rootDirectory: string;
  sasToken: string;
  blobCount: number;
  blobs: Array<{ name: string; partitionValue: string }>;
  raw: JsonObject;
}

export function parseExportManifest(value: unknown): ExportManifest {
  const read = reader(value, '');
  const blobs = read.list('blobs').map((blob, index) => {
    const entry = reader(blob, `blobs[${index}]`);
    return { name: entry.requiredText('name'), partitionValue: entry.text('partitionValue') };
  });
  const count = read.decimal('blobCount');
  if (Number(count) !== blobs.length) {
    throw new ResourceParseError('blobCount', `is ${count}, but the manifest lists ${blobs.length} blobs`);
  }
  return {
    id: read.requiredText('id'),
    dataFormat: read.text('dataFormat'),
    rootDirectory: read.requiredText('rootDirectory'),
    sasToken: read.text('sasToken'),
    blobCount: blobs.length,
    blobs,
    raw: read.body,
  };
}

/** Graph's long-running export operation, polled until it has an outcome (§2.8.2). */
export type ExportOperation =
  | { status: 'running' }
  | { status: 'succeeded'; manifestLink: string }
  | { status: 'failed'; code: string; message: string };

export function parseExportOperation(value: unknown): ExportOperation {
  const body = objectAt(value, '');
  const status = requiredText(body, 'status', '');
  switch (status.toLowerCase()) {
    case 'notstarted':
    case 'running':
      return { status: 'running' };
    case 'succeeded':
      return {
        status: 'succeeded',
        manifestLink: requiredText(body, 'resourceLocation@odata.navigationLink', ''),
      };
    case 'failed': {
      const error = optionalObject(body, 'error', '');
      return {
        status: 'failed',
        code: (error && optionalText(error.body, 'code', error.path)) ?? '',
        message: (error && optionalText(error.body, 'message', error.path)) ?? '',
      };
    }
    default:
      throw new ResourceParseError(
        'status',
        `is ${describe(status)}, expected notStarted, running, succeeded or failed`,
      );
  }
}
