/**
 * The emulator's billing state (reference/partner-center.md §2.7–2.8, §3, §5.1). Amounts are exact
 * decimal strings; a line knows its partner, customer and month, and the presenters add the names.
 */

/** `YYYY-MM`: new-commerce billing periods are calendar months (UTC). */
export type BillingMonth = string;

export interface Invoice {
  partnerTenantId: string;
  /** `G…` for new commerce, `D…` for legacy licence-based billing (understand-your-invoice.md). */
  id: string;
  kind: 'new-commerce' | 'legacy';
  month: BillingMonth;
  invoiceDate: Date;
  billingPeriodStart: Date;
  /** The last day of the period (00:00 UTC). */
  billingPeriodEnd: Date;
  /** The sum of the invoice's lines' `totalForCustomer` (tax is 0 on every seeded line). */
  totalCharges: string;
  /** Negative when a payment was received, as the Invoice resource documents. */
  paidAmount: string;
  currencyCode: string;
  currencySymbol: string;
  /** Azure consumption is on it: the invoice has usage line items too. */
  hasUsage: boolean;
}

/** One new-commerce reconciliation line (`OneTimeInvoiceLineItem`, the §3.1 file's row). */
export interface ReconciliationLine {
  partnerTenantId: string;
  customerId: string;
  month: BillingMonth;
  /** Undefined while unbilled. */
  invoiceId?: string;
  orderId: string;
  orderDate: Date;
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
  totalForCustomer: string;
  currency: string;
  pricingCurrency: string;
  pcToBCExchangeRate: string;
  pcToBCExchangeRateDate: Date;
  subscriptionId: string;
  subscriptionDescription: string;
  subscriptionStartDate?: Date;
  subscriptionEndDate?: Date;
  chargeStartDate: Date;
  chargeEndDate: Date;
  termAndBillingCycle: string;
  /** Blank for unbilled lines (modern-invoice-reconciliation-file.md). */
  billingFrequency: string;
  unitType: string;
  meterDescription: string;
  priceAdjustmentDescription: string;
  /** Shared by the refund and the re-charge of one seat change. */
  referenceId: string;
}

/** One legacy licence-based line (`LicenseBasedLineItem`, §3.3). */
export interface LegacyLine {
  partnerTenantId: string;
  customerId: string;
  month: BillingMonth;
  invoiceId: string;
  orderId: string;
  subscriptionId: string;
  syndicationPartnerSubscriptionNumber: string;
  offerId: string;
  durableOfferId: string;
  offerName: string;
  billingCycleType: string;
  subscriptionStartDate: Date;
  subscriptionEndDate: Date;
  chargeStartDate: Date;
  chargeEndDate: Date;
  chargeType: string;
  unitPrice: string;
  quantity: number;
  amount: string;
  subtotal: string;
  tax: string;
  totalForCustomer: string;
  currency: string;
}

/** An Azure meter as the daily rated usage file describes it (§3.2). */
export interface Meter {
  key: string;
  productId: string;
  skuId: string;
  availabilityId: string;
  productName: string;
  skuName: string;
  meterId: string;
  meterType: string;
  meterCategory: string;
  meterSubCategory: string;
  meterName: string;
  unitOfMeasure: string;
  consumedService: string;
  /** The provider path under the resource group: `Microsoft.Compute/virtualMachines/app-01`. */
  resource: string;
  /** USD list price per unit (Azure is priced in USD, billing-basics.md). */
  unitPrice: string;
}

/** One day of one meter of one Azure subscription (`DailyRatedUsageLineItem`). */
export interface DailyUsage {
  partnerTenantId: string;
  customerId: string;
  month: BillingMonth;
  /** Undefined while unbilled (the open month, or the last one before its invoice). */
  invoiceId?: string;
  /** The Azure plan. */
  subscriptionId: string;
  /** The Azure subscription under it. */
  entitlementId: string;
  entitlementDescription: string;
  meterKey: string;
  usageDate: Date;
  quantity: string;
  unitPrice: string;
  /** `unitPrice × quantity`, unrounded, in USD. */
  pricingPreTaxTotal: string;
  /** `pricingPreTaxTotal × pcToBCExchangeRate`, unrounded, in the billing currency. */
  billingPreTaxTotal: string;
  billingCurrency: string;
  pcToBCExchangeRate: string;
  pcToBCExchangeRateDate: Date;
}

export type BillingExportKind =
  | 'billed-reconciliation'
  | 'unbilled-reconciliation'
  | 'billed-usage'
  | 'unbilled-usage';

export interface ExportBlob {
  name: string;
  /** Gzipped JSON lines. */
  content: Buffer;
}

/** A Graph asynchronous export (§2.8.2): its operation, then its manifest and blobs. */
export interface BillingExport {
  id: string;
  partnerTenantId: string;
  kind: BillingExportKind;
  createdAt: Date;
  /** GETs of the operation so far: the first answers `running`, later ones the outcome. */
  polls: number;
  lastActionAt: Date;
  /** Set when there was nothing to export (the documented "No data available", code 5000). */
  failure?: { code: string; message: string };
  manifestId: string;
  /** The blob path under the emulator (`/_blobs/{partner}/{operation}`) and its SAS query. */
  rootPath: string;
  sasToken: string;
  blobs: ExportBlob[];
}
