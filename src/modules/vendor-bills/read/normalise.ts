import { type CostLine, ImportFileError } from '../lines.ts';
import { chargeTypeOf, creditTypeOf, isReservationOf, serviceFamilyOf } from './classify.ts';
import { FieldProblem, monthOf, readAmount, readCsvDate, readIsoDate, readJsonAmount } from './fields.ts';
import type { FormSpec, LegacyUsageColumn, LicenceColumn, ReconColumn, UsageColumn } from './forms.ts';

/** One line of a file or one JSON row, as the form builders read it, whatever the source. */
export interface SourceRow {
  readonly sourceName: string;
  /** 1-based line of the file (the header is line 1), or the row's place in a JSON stream. */
  readonly line: number;
  /** CSV files write dates month/day/year; JSON writes ISO 8601. */
  readonly dates: 'csv' | 'json';
  /** The value of a documented column (text in a file, any JSON value in a row); undefined when absent. */
  value(column: string): unknown;
  /** The column as this source spells it, for errors. */
  nameOf(column: string): string;
  /** Columns the form does not document, by their name as written. */
  extra(): Record<string, string> | null;
}

/** Typed readers of one row's columns; a value that cannot be read is refused with file, line and column. */
class Fields<C extends string> {
  readonly row: SourceRow;

  constructor(row: SourceRow) {
    this.row = row;
  }

  fail(column: C, message: string): never {
    throw new ImportFileError(this.row.sourceName, this.row.line, this.row.nameOf(column), message);
  }

  text(column: C): string | null {
    const value = this.row.value(column);
    if (value === undefined || value === null) return null;
    const text =
      typeof value === 'string'
        ? value.trim()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    return text === '' ? null : text;
  }

  requiredText(column: C, why: string): string {
    return this.text(column) ?? this.fail(column, `is empty: ${why}`);
  }

  amount(column: C): string | null {
    const value = this.row.value(column);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return null;
    }
    try {
      return typeof value === 'string' ? readAmount(value.trim()) : readJsonAmount(value);
    } catch (error) {
      if (error instanceof FieldProblem) this.fail(column, error.message);
      throw error;
    }
  }

  requiredAmount(column: C, why: string): string {
    return this.amount(column) ?? this.fail(column, `is empty: ${why}`);
  }

  date(column: C): string | null {
    const text = this.text(column);
    if (text === null) return null;
    try {
      return this.row.dates === 'csv' ? readCsvDate(text) : readIsoDate(text);
    } catch (error) {
      if (error instanceof FieldProblem) this.fail(column, error.message);
      throw error;
    }
  }

  requiredDate(column: C, why: string): string {
    return this.date(column) ?? this.fail(column, `is empty: ${why}`);
  }

  /**
   * The line's invoice: as written, else the one the lines were delivered for (a v1 call for one
   * invoice, a legacy licence file named after it). A line of another invoice is refused.
   */
  invoice(column: C, deliveredFor: string | null): string | null {
    const written = this.text(column);
    if (written !== null && deliveredFor !== null && written !== deliveredFor) {
      this.fail(column, `is ${written}, but these lines were delivered for invoice ${deliveredFor}`);
    }
    return written ?? deliveredFor;
  }

  requiredInvoice(column: C, deliveredFor: string | null): string {
    return (
      this.invoice(column, deliveredFor) ??
      this.fail(
        column,
        'is missing: legacy lines are billed lines; name the invoice (e.g. a file named after it, D020001IVK.csv)',
      )
    );
  }
}

/** "Reseller on record": blank, `0` (v1) and `-1` (legacy API) all mean there is none. */
function resellerOf(written: string | null): string | null {
  return written === null || written === '0' || written === '-1' ? null : written;
}

const costWhy = "a line's cost is Microsoft's own amount";
const currencyWhy = 'a cost needs its currency';
const chargeTypeWhy = 'every line has a charge type';

function reconLine(fields: Fields<ReconColumn>, deliveredFor: string | null): CostLine {
  const subscriptionId = fields.text('SubscriptionId');
  const subscriptionDescription = fields.text('SubscriptionDescription');
  const productName = fields.text('ProductName');
  const skuName = fields.text('SkuName');
  const meterDescription = fields.text('MeterDescription');
  const chargeStart = fields.requiredDate('ChargeStartDate', 'it says which billing month the line is of');
  const chargeType = chargeTypeOf(fields.requiredText('ChargeType', chargeTypeWhy));
  const isAzurePlan = /^azure plan$/i.test(subscriptionDescription ?? '');
  return {
    form: 'billed_recon',
    invoiceNumber: fields.invoice('InvoiceNumber', deliveredFor),
    period: monthOf(chargeStart),
    sourceName: fields.row.sourceName,
    sourceLine: fields.row.line,
    customerTenantId: fields.text('CustomerId'),
    customerName: fields.text('CustomerName'),
    customerCountry: fields.text('CustomerCountry'),
    resellerMpnId: resellerOf(fields.text('ResellerMPNID')),
    subscriptionId,
    // An Azure plan line's SubscriptionId is the Azure subscription, the usage file's EntitlementId (§3.6).
    entitlementId: isAzurePlan ? subscriptionId : null,
    orderId: fields.text('OrderId'),
    productId: fields.text('ProductId'),
    skuId: fields.text('SkuId'),
    availabilityId: fields.text('AvailabilityId'),
    productName,
    skuName,
    meterId: null,
    meterName: meterDescription,
    meterCategory: null,
    serviceFamily: serviceFamilyOf('billed_recon', {
      productName,
      skuName,
      subscriptionDescription,
      meterCategory: null,
    }),
    chargeType,
    referenceId: fields.text('ReferenceID'),
    periodStart: null,
    periodEnd: null,
    chargeStart,
    chargeEnd: fields.date('ChargeEndDate'),
    usageDate: null,
    // "Use BillableQuantity for reconciliation" (§3.1): Quantity is 1 on an Azure plan line.
    quantity: fields.amount('BillableQuantity') ?? fields.amount('Quantity'),
    unitPrice: fields.amount('UnitPrice'),
    effectiveUnitPrice: fields.amount('EffectiveUnitPrice'),
    subtotal: fields.amount('Subtotal'),
    tax: fields.amount('TaxTotal'),
    cost: fields.requiredAmount('Total', costWhy),
    currency: fields.requiredText('Currency', currencyWhy),
    pricingCurrency: fields.text('PricingCurrency'),
    pricingTotal: null,
    exchangeRate: fields.amount('PCToBCExchangeRate'),
    creditType: creditTypeOf({ chargeType, creditReasonCode: fields.text('CreditReasonCode') }),
    isReservation: isReservationOf({
      names: [productName, skuName, fields.text('TermAndBillingCycle'), meterDescription],
    }),
    extra: fields.row.extra(),
  };
}

function usageLine(fields: Fields<UsageColumn>, deliveredFor: string | null): CostLine {
  const usageDate = fields.requiredDate('UsageDate', 'it says which billing month the usage is of');
  // Microsoft's own recent-activity sample leaves ChargeType blank: usage is charged by the day, not an event.
  const chargeType = chargeTypeOf(fields.text('ChargeType') ?? '');
  const productName = fields.text('ProductName');
  const skuName = fields.text('SkuName');
  const meterName = fields.text('MeterName');
  const meterCategory = fields.text('MeterCategory');
  return {
    form: 'daily_usage',
    // Recent activity (unbilled) has no invoice yet: those lines are the open period's estimate.
    invoiceNumber: fields.invoice('InvoiceNumber', deliveredFor),
    period: monthOf(usageDate),
    sourceName: fields.row.sourceName,
    sourceLine: fields.row.line,
    customerTenantId: fields.text('CustomerId'),
    customerName: fields.text('CustomerName'),
    customerCountry: fields.text('CustomerCountry'),
    resellerMpnId: resellerOf(fields.text('ResellerMPNID')),
    subscriptionId: fields.text('SubscriptionId'),
    entitlementId: fields.text('EntitlementId'),
    orderId: null,
    productId: fields.text('ProductId'),
    skuId: fields.text('SkuId'),
    availabilityId: fields.text('AvailabilityId'),
    productName,
    skuName,
    meterId: fields.text('MeterId'),
    meterName,
    meterCategory,
    serviceFamily: serviceFamilyOf('daily_usage', {
      productName,
      skuName,
      subscriptionDescription: fields.text('SubscriptionDescription'),
      meterCategory,
    }),
    chargeType,
    referenceId: null,
    periodStart: null,
    periodEnd: null,
    chargeStart: fields.date('ChargeStartDate'),
    chargeEnd: fields.date('ChargeEndDate'),
    usageDate,
    quantity: fields.amount('Quantity'),
    unitPrice: fields.amount('UnitPrice'),
    effectiveUnitPrice: fields.amount('EffectiveUnitPrice'),
    subtotal: null,
    tax: null,
    cost: fields.requiredAmount('BillingPreTaxTotal', costWhy),
    currency: fields.requiredText('BillingCurrency', currencyWhy),
    pricingCurrency: fields.text('PricingCurrency'),
    pricingTotal: fields.amount('PricingPreTaxTotal'),
    exchangeRate: fields.amount('PCToBCExchangeRate'),
    creditType: creditTypeOf({ chargeType, creditType: fields.text('CreditType') }),
    isReservation: isReservationOf({
      names: [productName, skuName, meterName, meterCategory, fields.text('MeterSubCategory')],
      benefitType: fields.text('BenefitType'),
      additionalInfo: fields.text('AdditionalInfo'),
    }),
    extra: fields.row.extra(),
  };
}

function licenceLine(fields: Fields<LicenceColumn>, deliveredFor: string | null): CostLine {
  const chargeStart = fields.requiredDate('ChargeStartDate', 'it says which billing month the line is of');
  const chargeType = chargeTypeOf(fields.requiredText('ChargeType', chargeTypeWhy));
  const productName = fields.text('OfferName');
  return {
    form: 'legacy_license',
    invoiceNumber: fields.requiredInvoice('InvoiceNumber', deliveredFor),
    period: monthOf(chargeStart),
    sourceName: fields.row.sourceName,
    sourceLine: fields.row.line,
    customerTenantId: fields.text('CustomerId'),
    customerName: fields.text('CustomerName'),
    customerCountry: null,
    resellerMpnId: resellerOf(fields.text('ResellerMPNID')),
    // "maps to the Subscription ID in Partner Center — reconcile on this" (§3.3); SubscriptionId does not.
    subscriptionId: fields.text('SyndicationPartnerSubscriptionNumber'),
    entitlementId: null,
    orderId: fields.text('OrderId'),
    // DurableOfferId matches the price list's offer id; OfferId does not (§3.3).
    productId: fields.text('DurableOfferId'),
    skuId: null,
    availabilityId: null,
    productName,
    skuName: null,
    meterId: null,
    meterName: null,
    meterCategory: null,
    serviceFamily: serviceFamilyOf('legacy_license', {
      productName,
      skuName: fields.text('SubscriptionName'),
      subscriptionDescription: fields.text('SubscriptionDescription'),
      meterCategory: null,
    }),
    chargeType,
    referenceId: null,
    periodStart: null,
    periodEnd: null,
    chargeStart,
    chargeEnd: fields.date('ChargeEndDate'),
    usageDate: null,
    quantity: fields.amount('Quantity'),
    unitPrice: fields.amount('UnitPrice'),
    effectiveUnitPrice: null,
    subtotal: fields.amount('Subtotal'),
    tax: fields.amount('Tax'),
    // Amount less TotalOtherDiscount plus Tax: what the invoice adds up (§3.5, legacy credits included).
    cost: fields.requiredAmount('TotalForCustomer', costWhy),
    currency: fields.requiredText('Currency', currencyWhy),
    pricingCurrency: null,
    pricingTotal: null,
    exchangeRate: null,
    creditType: creditTypeOf({ chargeType }),
    isReservation: false,
    extra: fields.row.extra(),
  };
}

function legacyUsageLine(fields: Fields<LegacyUsageColumn>, deliveredFor: string | null): CostLine {
  // Billed lines of an anniversary billing period: the month they belong to is the period's, not the day's.
  const chargeStart = fields.requiredDate('ChargeStartDate', 'it says which billing period the line is of');
  const chargeType = chargeTypeOf(fields.requiredText('ChargeType', chargeTypeWhy));
  const productName = fields.text('ServiceName');
  const meterName = fields.text('ResourceName');
  return {
    form: 'legacy_usage',
    invoiceNumber: fields.requiredInvoice('InvoiceNumber', deliveredFor),
    period: monthOf(chargeStart),
    sourceName: fields.row.sourceName,
    sourceLine: fields.row.line,
    customerTenantId: fields.text('CustomerId'),
    customerName: fields.text('CustomerCompanyName'),
    customerCountry: null,
    resellerMpnId: resellerOf(fields.text('ResellerMPNID')),
    subscriptionId: fields.text('SubscriptionId'),
    entitlementId: null,
    orderId: fields.text('OrderID'),
    productId: null,
    skuId: fields.text('Sku'),
    availabilityId: null,
    productName,
    skuName: fields.text('ServiceType'),
    meterId: fields.text('ResourceGuid'),
    meterName,
    meterCategory: productName,
    serviceFamily: 'azure',
    chargeType,
    referenceId: null,
    periodStart: null,
    periodEnd: null,
    chargeStart,
    chargeEnd: fields.date('ChargeEndDate'),
    usageDate: fields.date('UsageDate'),
    // PretaxCharges = ListPrice × OverageQuantity (§3.4): the billed quantity is the overage.
    quantity: fields.amount('OverageQuantity'),
    unitPrice: fields.amount('ListPrice'),
    effectiveUnitPrice: fields.amount('PretaxEffectiveRate'),
    subtotal: fields.amount('PretaxCharges'),
    tax: fields.amount('TaxAmount'),
    cost: fields.requiredAmount('PostTaxTotal', costWhy),
    currency: fields.requiredText('Currency', currencyWhy),
    pricingCurrency: null,
    pricingTotal: null,
    exchangeRate: null,
    creditType: creditTypeOf({ chargeType }),
    isReservation: isReservationOf({ names: [productName, meterName] }),
    extra: fields.row.extra(),
  };
}

/**
 * One row of any form as a CostLine: Microsoft's amounts as written (canonical spelling), dates as
 * `yyyy-mm-dd`, the billing month, the classification. `deliveredFor` is the invoice the rows were
 * delivered for, when the caller knows it.
 */
export function costLineOf(spec: FormSpec, row: SourceRow, deliveredFor: string | null): CostLine {
  switch (spec.form) {
    case 'billed_recon':
      return reconLine(new Fields<ReconColumn>(row), deliveredFor);
    case 'daily_usage':
      return usageLine(new Fields<UsageColumn>(row), deliveredFor);
    case 'legacy_license':
      return licenceLine(new Fields<LicenceColumn>(row), deliveredFor);
    case 'legacy_usage':
      return legacyUsageLine(new Fields<LegacyUsageColumn>(row), deliveredFor);
  }
}
