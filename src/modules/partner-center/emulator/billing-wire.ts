import { meters } from './billing-seed.ts';
import type { DailyUsage, Invoice, LegacyLine, ReconciliationLine } from './billing-store.ts';
import type { Customer, PartnerTenant, Store } from './store.ts';
import { link } from './wire.ts';

/**
 * Billing resources as the documented samples write them (reference §2.7–2.8): invoice amounts and
 * usage figures as JSON numbers (the seeded values have at most 15 significant digits, so they read back
 * exactly), reconciliation lines' figures as strings, as the new-commerce samples send them.
 */
function isoDate(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

function invoiceDetails(invoice: Invoice) {
  const detail = (invoiceLineItemType: string, billingProvider: string, path: string) => ({
    invoiceLineItemType,
    billingProvider,
    links: { self: link(`/invoices/${invoice.id}/lineitems/${path}`) },
    attributes: { objectType: 'InvoiceDetail' },
  });
  if (invoice.kind === 'legacy') return [detail('billing_line_items', 'office', 'Office/BillingLineItems')];
  return [
    detail('billing_line_items', 'one_time', 'OneTime/BillingLineItems'),
    ...(invoice.hasUsage ? [detail('usage_line_items', 'one_time', 'OneTime/UsageLineItems')] : []),
  ];
}

export function presentInvoice(invoice: Invoice, withPdfLink: boolean) {
  const type = invoice.kind === 'legacy' ? 'Recurring' : 'OneTime';
  return {
    id: invoice.id,
    invoiceDate: isoDate(invoice.invoiceDate),
    billingPeriodStartDate: isoDate(invoice.billingPeriodStart),
    billingPeriodEndDate: isoDate(invoice.billingPeriodEnd),
    totalCharges: Number(invoice.totalCharges),
    paidAmount: Number(invoice.paidAmount),
    currencyCode: invoice.currencyCode,
    currencySymbol: invoice.currencySymbol,
    // The link "auto-expires in 30 minutes" and is only given on the by-id read (invoice-resources.md).
    ...(withPdfLink ? { pdfDownloadLink: `/invoices/${invoice.id}/documents/statement` } : {}),
    invoiceDetails: invoiceDetails(invoice),
    documentType: 'invoice',
    invoiceType: type,
    links: { self: link(`/invoices/${type}-${invoice.id}`) },
    attributes: { objectType: 'Invoice' },
  };
}

interface Parties {
  partner: PartnerTenant;
  customer: Customer;
}

function partiesOf(store: Store, partnerTenantId: string, customerId: string): Parties {
  const partner = store.partners.find((candidate) => candidate.tenantId === partnerTenantId)!;
  const customer = store.customers.find((candidate) => candidate.id === customerId)!;
  return { partner, customer };
}

export function presentReconciliationLine(store: Store, line: ReconciliationLine) {
  const { partner, customer } = partiesOf(store, line.partnerTenantId, line.customerId);
  return {
    partnerId: partner.tenantId,
    customerId: customer.id,
    customerName: customer.companyName,
    customerDomainName: customer.domain,
    customerCountry: customer.address.country,
    invoiceNumber: line.invoiceId ?? '',
    mpnId: partner.mpnId,
    resellerMpnId: customer.associatedPartnerId ?? '0',
    orderId: line.orderId,
    orderDate: line.orderDate.toISOString(),
    productId: line.productId,
    skuId: line.skuId,
    availabilityId: line.availabilityId,
    productName: line.productName,
    skuName: line.skuName,
    productQualifiers: [],
    chargeType: line.chargeType,
    unitPrice: line.unitPrice,
    effectiveUnitPrice: line.effectiveUnitPrice,
    unitType: line.unitType,
    quantity: line.quantity,
    subtotal: line.subtotal,
    taxTotal: line.taxTotal,
    totalForCustomer: line.totalForCustomer,
    currency: line.currency,
    publisherName: 'Microsoft Corporation',
    publisherId: '',
    subscriptionDescription: line.subscriptionDescription,
    subscriptionId: line.subscriptionId,
    subscriptionStartDate: line.subscriptionStartDate ? isoDate(line.subscriptionStartDate) : '',
    subscriptionEndDate: line.subscriptionEndDate ? isoDate(line.subscriptionEndDate) : '',
    chargeStartDate: isoDate(line.chargeStartDate),
    chargeEndDate: isoDate(line.chargeEndDate),
    termAndBillingCycle: line.termAndBillingCycle,
    alternateId: line.orderId,
    referenceId: line.referenceId,
    priceAdjustmentDescription: line.priceAdjustmentDescription,
    discountDetails: '',
    pricingCurrency: line.pricingCurrency,
    pcToBCExchangeRate: line.pcToBCExchangeRate,
    pcToBCExchangeRateDate: isoDate(line.pcToBCExchangeRateDate).replace('Z', ''),
    billableQuantity: line.billableQuantity,
    meterDescription: line.meterDescription,
    billingFrequency: line.billingFrequency,
    reservationOrderId: '',
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'one_time',
    promotionId: '',
    attributes: { objectType: 'OneTimeInvoiceLineItem' },
  };
}

export function presentDailyUsage(store: Store, usage: DailyUsage) {
  const { partner, customer } = partiesOf(store, usage.partnerTenantId, usage.customerId);
  const meter = meters.find((candidate) => candidate.key === usage.meterKey)!;
  const monthStart = new Date(`${usage.month}-01T00:00:00Z`);
  const nextMonth = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1));
  const resourceGroup = `${customer.domain.split('.')[0]}-rg`;
  return {
    partnerId: partner.tenantId,
    partnerName: partner.name,
    customerId: customer.id,
    customerName: customer.companyName,
    customerDomainName: customer.domain,
    invoiceNumber: usage.invoiceId ?? '',
    productId: meter.productId,
    skuId: meter.skuId,
    availabilityId: meter.availabilityId,
    skuName: meter.skuName,
    productName: meter.productName,
    publisherName: 'Microsoft',
    publisherId: '',
    subscriptionId: usage.subscriptionId,
    subscriptionDescription: 'Azure plan',
    chargeStartDate: isoDate(monthStart),
    chargeEndDate: isoDate(nextMonth),
    usageDate: isoDate(usage.usageDate),
    meterType: meter.meterType,
    meterCategory: meter.meterCategory,
    meterId: meter.meterId,
    meterSubCategory: meter.meterSubCategory,
    meterName: meter.meterName,
    meterRegion: customer.address.country === 'US' ? 'US East' : 'EU West',
    unitOfMeasure: meter.unitOfMeasure,
    resourceLocation: customer.address.country === 'US' ? 'EASTUS' : 'WESTEUROPE',
    consumedService: meter.consumedService,
    resourceGroup,
    resourceUri: `/subscriptions/${usage.entitlementId}/resourceGroups/${resourceGroup}/providers/${meter.resource}`,
    tags: '',
    additionalInfo: '',
    serviceInfo1: '',
    serviceInfo2: '',
    customerCountry: customer.address.country,
    mpnId: partner.mpnId,
    resellerMpnId: usage.invoiceId === undefined ? '' : (customer.associatedPartnerId ?? ''),
    chargeType: 'new',
    unitPrice: Number(usage.unitPrice),
    quantity: Number(usage.quantity),
    unitType: meter.unitOfMeasure,
    billingPreTaxTotal: Number(usage.billingPreTaxTotal),
    billingCurrency: usage.billingCurrency,
    pricingPreTaxTotal: Number(usage.pricingPreTaxTotal),
    pricingCurrency: 'USD',
    entitlementId: usage.entitlementId,
    entitlementDescription: usage.entitlementDescription,
    pcToBCExchangeRate: Number(usage.pcToBCExchangeRate),
    pcToBCExchangeRateDate: isoDate(usage.pcToBCExchangeRateDate),
    effectiveUnitPrice: Number(usage.unitPrice),
    rateOfPartnerEarnedCredit: 0,
    rateOfCredit: 0,
    creditType: 'Credit Not Applied',
    invoiceLineItemType: 'usage_line_items',
    billingProvider: 'one_time',
    benefitOrderId: '',
    benefitId: '',
    benefitType: '',
    attributes: { objectType: 'DailyRatedUsageLineItem' },
  };
}

export function presentLegacyLine(store: Store, line: LegacyLine) {
  const { partner, customer } = partiesOf(store, line.partnerTenantId, line.customerId);
  const localDate = (date: Date) => isoDate(date).replace('Z', '');
  return {
    partnerId: partner.tenantId,
    customerId: customer.id,
    customerName: customer.companyName,
    mpnId: Number(partner.mpnId),
    tier2MpnId: customer.associatedPartnerId === undefined ? -1 : Number(customer.associatedPartnerId),
    orderId: line.orderId,
    subscriptionId: line.subscriptionId,
    syndicationPartnerSubscriptionNumber: line.syndicationPartnerSubscriptionNumber,
    offerId: line.offerId,
    durableOfferId: line.durableOfferId,
    offerName: line.offerName,
    domainName: customer.domain,
    billingCycleType: line.billingCycleType,
    subscriptionName: line.offerName,
    subscriptionDescription: line.offerName,
    subscriptionStartDate: localDate(line.subscriptionStartDate),
    subscriptionEndDate: localDate(line.subscriptionEndDate),
    chargeStartDate: localDate(line.chargeStartDate),
    chargeEndDate: localDate(line.chargeEndDate),
    chargeType: line.chargeType,
    unitPrice: Number(line.unitPrice),
    quantity: line.quantity,
    amount: Number(line.amount),
    totalOtherDiscount: 0,
    subtotal: Number(line.subtotal),
    tax: Number(line.tax),
    totalForCustomer: Number(line.totalForCustomer),
    currency: line.currency,
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'office',
    attributes: { objectType: 'LicenseBasedLineItem' },
  };
}

/**
 * Graph export rows: Microsoft documents no attribute list for the reconciliation export, so rows carry
 * the reconciliation file's columns in camelCase (§3.1: `mpnId`, `total`); the usage export's rows use
 * the Graph attribute names (§3.2: `tier2MpnId`, `unit`, `partnerEarnedCreditPercentage`). Values are
 * the v1 line items' own.
 */
const exportNames: Record<string, string> = {
  totalForCustomer: 'total',
  unitOfMeasure: 'unit',
  rateOfPartnerEarnedCredit: 'partnerEarnedCreditPercentage',
  rateOfCredit: 'creditPercentage',
};
const notExported = new Set(['attributes', 'invoiceLineItemType', 'billingProvider', 'discountDetails']);

export function exportRow(line: Record<string, unknown>, usage: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(line)) {
    if (notExported.has(name)) continue;
    const exported = usage && name === 'resellerMpnId' ? 'tier2MpnId' : (exportNames[name] ?? name);
    row[exported] = value;
  }
  return row;
}
