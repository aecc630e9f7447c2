import { createHash } from 'node:crypto';
import { type Money, money, parseDecimal, sum } from '#platform/money';
import type {
  BillingMonth,
  DailyUsage,
  Invoice,
  LegacyLine,
  Meter,
  ReconciliationLine,
} from './billing-store.ts';
import {
  addDays,
  addMonths,
  dayMs,
  daysInUtcMonth,
  monthOf,
  startOfUtcDay,
  startOfUtcMonth,
} from './calendar.ts';
import { guidFrom } from './ids.ts';
import type { Customer, PartnerTenant, Store, Subscription } from './store.ts';

/** A seeded subscription with what its bills need beyond the resource. */
export interface BilledSubscription {
  subscription: Subscription;
  /** USD list price per seat and charge cycle (a year for annual billing); `0` for an Azure plan. */
  unitPrice: string;
  /** Seats at the latest renewal, reduced to `quantity` three days after it. */
  seatsBefore?: number;
  /** The first day the subscription no longer ran (a legacy subscription's migration). */
  endedAt?: Date;
}

export type SeededBilling = Pick<Store, 'invoices' | 'reconciliationLines' | 'legacyLines' | 'dailyUsage'>;

/** Licences are priced in the partner's currency (billing-basics.md): the USD list price at these factors. */
const licencePriceFactors: Record<string, string> = { USD: '1', EUR: '0.92', TWD: '32', CNY: '7.2' };
/** USD → billing currency for Azure (Thomson Reuters mid-rate in reality); varied a little per month. */
const baseExchangeRates: Record<string, string> = {
  USD: '1',
  EUR: '0.9215',
  TWD: '32.1840',
  CNY: '7.1835',
};
const seatPriceRounding = 4;
/** New-commerce invoices are published between the 6th and the 8th of the next month (§5.1). */
const firstInvoiceDay = 6;
const billedMonthCount = 12;

/** Azure meters the seed uses; ids and prices are illustrative, names follow the usage file's columns. */
export const meters: readonly Meter[] = [
  {
    key: 'vm-d2s-v5',
    productId: 'DZH318Z0BQ4W',
    skuId: '00RH',
    availabilityId: 'DZH318Z0CN4T',
    productName: 'Virtual Machines Dsv5 Series',
    skuName: 'D2s v5',
    meterId: '4d2d1d3a-7d46-5a5c-9a0b-0b3f1b9f1c2e',
    meterType: '1 Compute Hour',
    meterCategory: 'Virtual Machines',
    meterSubCategory: 'Dsv5 Series',
    meterName: 'D2s v5',
    unitOfMeasure: '1 Hour',
    consumedService: 'Microsoft.Compute',
    resource: 'Microsoft.Compute/virtualMachines/app-01',
    unitPrice: '0.0960',
  },
  {
    key: 'bandwidth-out',
    productId: 'DZH318Z0BNVX',
    skuId: '002P',
    availabilityId: 'DZH318Z0CK1N',
    productName: 'Bandwidth',
    skuName: 'Standard',
    meterId: '9995d93a-7d35-4d3f-9c69-7a7fea447ef4',
    meterType: '1 GB',
    meterCategory: 'Bandwidth',
    meterSubCategory: 'Inter-Region',
    meterName: 'Standard Data Transfer Out',
    unitOfMeasure: '1 GB',
    consumedService: 'Microsoft.Network',
    resource: 'Microsoft.Network/publicIPAddresses/app-ip',
    unitPrice: '0.0870',
  },
  {
    key: 'blob-hot-lrs',
    productId: 'DZH318Z0BNZ5',
    skuId: '00T9',
    availabilityId: 'DZH318Z08B80',
    productName: 'Blob Storage',
    skuName: 'Hot LRS',
    meterId: '3d6b0a4e-3c0b-4a4f-8a5c-2b1f6c9e7d10',
    meterType: '1 GB/Month',
    meterCategory: 'Storage',
    meterSubCategory: 'Blob Storage',
    meterName: 'Hot LRS Data Stored',
    unitOfMeasure: '1 GB/Month',
    consumedService: 'Microsoft.Storage',
    resource: 'Microsoft.Storage/storageAccounts/appdata',
    unitPrice: '0.0208',
  },
  {
    key: 'sql-gp-vcore',
    productId: 'DZH318Z0BQ5S',
    skuId: '008B',
    availabilityId: 'DZH318Z0CN8M',
    productName: 'SQL Database Single/Elastic Pool General Purpose - Compute Gen5',
    skuName: '2 vCore',
    meterId: 'b7e1b3f5-2a52-4c7f-9d1c-6a7c5d8e9f01',
    meterType: '1 Compute Hour',
    meterCategory: 'SQL Database',
    meterSubCategory: 'Single/Elastic Pool General Purpose - Compute Gen5',
    meterName: 'vCore',
    unitOfMeasure: '1 Hour',
    consumedService: 'Microsoft.Sql',
    resource: 'Microsoft.Sql/servers/app-sql/databases/app',
    unitPrice: '0.2520',
  },
];

/** A whole number from the seed and a name: the same seed gives the same bills. */
function numberFrom(seed: string, name: string): number {
  return Number.parseInt(createHash('sha256').update(`${seed}:${name}`).digest('hex').slice(0, 12), 16);
}

interface BillingMonthPlan {
  month: BillingMonth;
  start: Date;
  /** Set for a billed month: its invoice's id and date. */
  invoice?: { id: string; date: Date };
}

/**
 * The partner's billing months: the twelve latest months whose invoice is published (by the 8th of the
 * next month), then the open ones — the current month and, before its invoice, the previous one.
 */
function billingMonths(seed: string, partner: PartnerTenant, now: Date): BillingMonthPlan[] {
  const current = startOfUtcMonth(now);
  const months: BillingMonthPlan[] = [{ month: monthOf(current), start: current }];
  for (let back = 1; months.filter((plan) => plan.invoice).length < billedMonthCount; back++) {
    const start = addMonths(current, -back);
    const month = monthOf(start);
    const day = firstInvoiceDay + (numberFrom(seed, `invoice-day:${partner.key}:${month}`) % 3);
    const date = new Date(addMonths(start, 1).getTime() + (day - 1) * dayMs + 10 * 3_600_000);
    const number = numberFrom(seed, `invoice:${partner.key}:${month}`) % 1_000_000_000;
    months.push({
      month,
      start,
      ...(date <= now ? { invoice: { id: `G${String(number).padStart(9, '0')}`, date } } : {}),
    });
  }
  return months.reverse();
}

function exchangeRate(seed: string, currency: string, month: BillingMonth): string {
  const base = baseExchangeRates[currency];
  if (base === undefined) throw new Error(`The billing seed has no exchange rate for ${currency}.`);
  if (currency === 'USD') return base;
  const wobble = (numberFrom(seed, `rate:${currency}:${month}`) % 201) - 100;
  return parseDecimal(base)
    .times(parseDecimal(String(10_000 + wobble)))
    .div(10_000)
    .toDecimalPlaces(4)
    .toFixed(4);
}

function localPrice(unitPrice: string, currency: string): Money {
  const factor = licencePriceFactors[currency];
  if (factor === undefined) throw new Error(`The billing seed has no licence prices in ${currency}.`);
  return money(money(unitPrice, 'USD').multiply(factor).round('half-up').amount, currency);
}

function termMonthsOf(subscription: Subscription): number {
  if (subscription.termDuration === 'P1M') return 1;
  return subscription.termDuration === 'P3Y' ? 36 : 12;
}

function termText(subscription: Subscription): string {
  const term = subscription.termDuration === 'P1M' ? 'One-Month' : 'One-Year';
  return `${term} commitment for monthly/yearly billing`;
}

function lastDay(monthStart: Date): Date {
  return addDays(monthStart, daysInUtcMonth(monthStart) - 1);
}

/** Builds one partner's invoices, lines and daily usage. */
class PartnerLedger {
  readonly lines: ReconciliationLine[] = [];
  readonly legacy: LegacyLine[] = [];
  readonly usage: DailyUsage[] = [];
  private readonly seed: string;
  private readonly now: Date;
  private readonly partner: PartnerTenant;
  private readonly months: Map<BillingMonth, BillingMonthPlan>;
  private readonly windowStart: Date;

  constructor(seed: string, now: Date, partner: PartnerTenant) {
    this.seed = seed;
    this.now = now;
    this.partner = partner;
    const plans = billingMonths(seed, partner, now);
    this.months = new Map(plans.map((plan) => [plan.month, plan]));
    this.windowStart = plans[0]!.start;
  }

  private invoiceOf(month: BillingMonth): string | undefined {
    return this.months.get(month)?.invoice?.id;
  }

  private reference(name: string): string {
    return guidFrom(this.seed, `reference:${name}`);
  }

  /** Every charge cycle of a new-commerce licence in the window: new, cycle charges, renewals, a seat change. */
  addLicence(customer: Customer, billed: BilledSubscription) {
    const { subscription } = billed;
    const currency = this.partner.currencyCode;
    const price = localPrice(billed.unitPrice, currency);
    const cycleMonths = subscription.billingCycle === 'annual' ? 12 : 1;
    const termMonths = termMonthsOf(subscription);
    const start = startOfUtcDay(subscription.creationDate);
    const seatChange =
      billed.seatsBefore === undefined ? undefined : addDays(subscription.effectiveStartDate, 3);
    for (let cycle = 0; ; cycle++) {
      const cycleStart = addMonths(start, cycle * cycleMonths);
      if (cycleStart > this.now || (billed.endedAt && cycleStart >= billed.endedAt)) break;
      if (cycleStart < this.windowStart) continue;
      const monthsIn = cycle * cycleMonths;
      const chargeType = cycle === 0 ? 'new' : monthsIn % termMonths === 0 ? 'renew' : 'cycleCharge';
      const seats =
        seatChange && billed.seatsBefore !== undefined && cycleStart < seatChange
          ? billed.seatsBefore
          : subscription.quantity;
      const termStart = addMonths(start, Math.floor(monthsIn / termMonths) * termMonths);
      const context = { customer, subscription, price, termStart, termMonths };
      this.lines.push(
        this.licenceLine(context, {
          chargeType,
          date: cycleStart,
          chargeEnd: addDays(addMonths(cycleStart, cycleMonths), -1),
          effectiveUnitPrice: price,
          seats,
          referenceId: this.reference(`${subscription.id}:${cycle}`),
        }),
      );
    }
    if (seatChange && billed.seatsBefore !== undefined && seatChange <= this.now) {
      // A seat reduction is a refund of the old count and a charge of the new one for the rest of the
      // cycle, sharing a ReferenceId (common-billing-scenarios-onetime-recurring.md).
      const cycleStart = subscription.effectiveStartDate;
      const cycleEnd = addMonths(cycleStart, cycleMonths);
      const cycleDays = (cycleEnd.getTime() - cycleStart.getTime()) / dayMs;
      const remainingDays = (cycleEnd.getTime() - seatChange.getTime()) / dayMs;
      const effective = money(price.amount.times(remainingDays).div(cycleDays), currency).roundTo(
        seatPriceRounding,
        'half-up',
      );
      const referenceId = this.reference(`${subscription.id}:seat-change`);
      const context = { customer, subscription, price, termStart: cycleStart, termMonths };
      const change = {
        chargeType: 'removeQuantity',
        date: seatChange,
        chargeEnd: addDays(cycleEnd, -1),
        referenceId,
      };
      this.lines.push(
        this.licenceLine(context, {
          ...change,
          effectiveUnitPrice: effective.negate(),
          seats: billed.seatsBefore,
        }),
        this.licenceLine(context, { ...change, effectiveUnitPrice: effective, seats: subscription.quantity }),
      );
    }
  }

  /**
   * Licence lines are priced in the billing currency (exchange rate 1); the subtotal is
   * ROUNDDOWN(EffectiveUnitPrice × BillableQuantity, 2), as the documented worked examples total.
   */
  private licenceLine(
    context: {
      customer: Customer;
      subscription: Subscription;
      price: Money;
      termStart: Date;
      termMonths: number;
    },
    charge: {
      chargeType: string;
      date: Date;
      chargeEnd: Date;
      effectiveUnitPrice: Money;
      seats: number;
      referenceId: string;
    },
  ): ReconciliationLine {
    const { customer, subscription, price } = context;
    const month = monthOf(charge.date);
    const invoiceId = this.invoiceOf(month);
    const subtotal = charge.effectiveUnitPrice.multiply(String(charge.seats)).roundTo(2, 'down');
    const [productId = '', skuId = '', availabilityId = ''] = subscription.offerId.split(':');
    return {
      partnerTenantId: this.partner.tenantId,
      customerId: customer.id,
      month,
      ...(invoiceId === undefined ? {} : { invoiceId }),
      orderId: subscription.orderId,
      orderDate: charge.date,
      productId,
      skuId,
      availabilityId,
      productName: subscription.offerName,
      skuName: subscription.offerName,
      chargeType: charge.chargeType,
      unitPrice: price.toString(),
      effectiveUnitPrice: charge.effectiveUnitPrice.toString(),
      quantity: String(charge.seats),
      billableQuantity: String(charge.seats),
      subtotal: subtotal.toString(),
      taxTotal: '0',
      totalForCustomer: subtotal.toString(),
      currency: price.currency,
      pricingCurrency: price.currency,
      pcToBCExchangeRate: '1',
      pcToBCExchangeRateDate: startOfUtcMonth(charge.date),
      subscriptionId: subscription.id,
      subscriptionDescription: subscription.offerName,
      subscriptionStartDate: context.termStart,
      subscriptionEndDate: addDays(addMonths(context.termStart, context.termMonths), -1),
      chargeStartDate: charge.date,
      chargeEndDate: charge.chargeEnd,
      termAndBillingCycle: termText(subscription),
      billingFrequency:
        invoiceId === undefined ? '' : subscription.billingCycle === 'annual' ? 'Annual' : 'Monthly',
      unitType: '',
      meterDescription: '',
      priceAdjustmentDescription: '',
      referenceId: charge.referenceId,
    };
  }

  /**
   * Daily rated usage of each active Azure subscription up to yesterday (usage appears after a day), and
   * for billed months one reconciliation line per Azure subscription and meter:
   * Subtotal = ROUNDDOWN(ROUNDDOWN(Σ daily unitPrice × quantity, 2) × PCToBCExchangeRate, 2) (§3.1).
   */
  addAzurePlan(customer: Customer, plan: Subscription) {
    const currency = this.partner.currencyCode;
    const from = new Date(Math.max(this.windowStart.getTime(), startOfUtcDay(plan.creationDate).getTime()));
    const today = startOfUtcDay(this.now);
    for (const [index, entitlement] of (plan.azureEntitlements ?? []).entries()) {
      if (entitlement.status !== 'active') continue;
      const first = numberFrom(this.seed, `meters:${entitlement.id}`) % meters.length;
      const used = [meters[first]!, meters[(first + 1 + index) % meters.length]!];
      for (const meter of used) {
        const monthly = new Map<BillingMonth, Money>();
        for (let day = from; day < today; day = addDays(day, 1)) {
          const month = monthOf(day);
          const quantity = this.dailyQuantity(meter, entitlement.id, day);
          const rate = exchangeRate(this.seed, currency, month);
          const pricing = money(meter.unitPrice, 'USD').multiply(quantity);
          const invoiceId = this.invoiceOf(month);
          this.usage.push({
            partnerTenantId: this.partner.tenantId,
            customerId: customer.id,
            month,
            ...(invoiceId === undefined ? {} : { invoiceId }),
            subscriptionId: plan.id,
            entitlementId: entitlement.id,
            entitlementDescription: entitlement.friendlyName,
            meterKey: meter.key,
            usageDate: day,
            quantity,
            unitPrice: meter.unitPrice,
            pricingPreTaxTotal: pricing.toString(),
            billingPreTaxTotal: money(pricing.multiply(rate).amount, currency).toString(),
            billingCurrency: currency,
            pcToBCExchangeRate: rate,
            pcToBCExchangeRateDate: startOfUtcMonth(day),
          });
          // Quantities are summed exactly (as amounts of no particular meaning) to the billable quantity.
          const used = money(quantity, 'USD');
          monthly.set(month, monthly.get(month)?.add(used) ?? used);
        }
        for (const [month, quantity] of monthly) {
          const invoiceId = this.invoiceOf(month);
          if (invoiceId === undefined) continue;
          this.lines.push(this.azureLine(customer, plan, entitlement.id, meter, month, invoiceId, quantity));
        }
      }
    }
  }

  private azureLine(
    customer: Customer,
    plan: Subscription,
    entitlementId: string,
    meter: Meter,
    month: BillingMonth,
    invoiceId: string,
    billableQuantity: Money,
  ): ReconciliationLine {
    const currency = this.partner.currencyCode;
    const rate = exchangeRate(this.seed, currency, month);
    const start = this.months.get(month)!.start;
    const pricing = money(meter.unitPrice, 'USD').multiply(billableQuantity.amount).roundTo(2, 'down');
    const subtotal = money(pricing.multiply(rate).amount, currency).roundTo(2, 'down');
    return {
      partnerTenantId: this.partner.tenantId,
      customerId: customer.id,
      month,
      invoiceId,
      orderId: plan.orderId,
      orderDate: lastDay(start),
      productId: meter.productId,
      skuId: meter.skuId,
      availabilityId: meter.availabilityId,
      productName: meter.productName,
      skuName: meter.skuName,
      chargeType: 'new',
      unitPrice: meter.unitPrice,
      effectiveUnitPrice: meter.unitPrice,
      quantity: '1',
      billableQuantity: billableQuantity.amount.toFixed(3),
      subtotal: subtotal.toString(),
      taxTotal: '0',
      totalForCustomer: subtotal.toString(),
      currency,
      pricingCurrency: 'USD',
      pcToBCExchangeRate: rate,
      pcToBCExchangeRateDate: start,
      // The reconciliation file's SubscriptionId of an Azure line is the Azure subscription (§3.6).
      subscriptionId: entitlementId,
      subscriptionDescription: 'Azure plan',
      chargeStartDate: start,
      chargeEndDate: lastDay(start),
      termAndBillingCycle: '',
      billingFrequency: 'Monthly',
      unitType: meter.unitOfMeasure,
      meterDescription: `${meter.skuName} ${meter.meterName}`,
      priceAdjustmentDescription: '',
      referenceId: this.reference(`${entitlementId}:${meter.key}:${month}`),
    };
  }

  /** Machines run all day (one or two of them); data and storage vary, to a thousandth of a unit. */
  private dailyQuantity(meter: Meter, entitlementId: string, day: Date): string {
    const draw = numberFrom(this.seed, `usage:${entitlementId}:${meter.key}:${day.toISOString()}`);
    if (meter.unitOfMeasure === '1 Hour') return draw % 5 === 0 ? '48.000' : '24.000';
    return parseDecimal(String(500 + (draw % 39_500)))
      .div(1000)
      .toFixed(3);
  }

  /** Legacy licences are billed on `D…` invoices, one per month, until the subscription ended. */
  addLegacy(customer: Customer, billed: BilledSubscription) {
    const { subscription } = billed;
    const price = localPrice(billed.unitPrice, this.partner.currencyCode);
    for (const plan of this.months.values()) {
      if (!plan.invoice || (billed.endedAt && plan.start >= billed.endedAt)) continue;
      if (plan.start < startOfUtcMonth(subscription.creationDate)) continue;
      const amount = price.multiply(String(subscription.quantity));
      const number = numberFrom(this.seed, `legacy-invoice:${this.partner.key}:${plan.month}`);
      this.legacy.push({
        partnerTenantId: this.partner.tenantId,
        customerId: customer.id,
        month: plan.month,
        invoiceId: `D0${number.toString(36).toUpperCase().padStart(8, '0').slice(-8)}`,
        orderId: String(numberFrom(this.seed, `legacy-order:${subscription.id}`)),
        subscriptionId: Buffer.from(subscription.id.replaceAll('-', ''), 'hex')
          .toString('base64url')
          .slice(0, 16),
        syndicationPartnerSubscriptionNumber: subscription.id.toUpperCase(),
        offerId: guidFrom(this.seed, `legacy-offer:${subscription.offerId}`).toUpperCase(),
        durableOfferId: subscription.offerId,
        offerName: subscription.offerName.toUpperCase(),
        billingCycleType: 'MONTHLY',
        subscriptionStartDate: subscription.effectiveStartDate,
        subscriptionEndDate: subscription.commitmentEndDate,
        chargeStartDate: plan.start,
        chargeEndDate: lastDay(plan.start),
        chargeType: 'Cycle fee',
        unitPrice: price.toString(),
        quantity: subscription.quantity,
        amount: amount.toString(),
        subtotal: amount.toString(),
        tax: '0',
        totalForCustomer: amount.toString(),
        currency: price.currency,
      });
    }
  }

  /** One invoice per billed month with lines; its total is the sum of its lines (no tax is seeded). */
  invoices(): Invoice[] {
    const invoices: Invoice[] = [];
    for (const plan of this.months.values()) {
      if (!plan.invoice) continue;
      const { id, date } = plan.invoice;
      const lines = this.lines.filter((line) => line.invoiceId === id);
      if (lines.length > 0) {
        invoices.push(
          this.invoice(
            id,
            'new-commerce',
            plan,
            date,
            lines.map((line) => line.totalForCustomer),
            {
              hasUsage: this.usage.some((usage) => usage.invoiceId === id),
            },
          ),
        );
      }
      const legacy = this.legacy.filter((line) => line.month === plan.month);
      if (legacy.length > 0) {
        // Legacy invoices come two days after the period (billing-basics.md).
        const legacyDate = addDays(lastDay(plan.start), 3);
        invoices.push(
          this.invoice(
            legacy[0]!.invoiceId,
            'legacy',
            plan,
            legacyDate,
            legacy.map((line) => line.totalForCustomer),
            {
              hasUsage: false,
            },
          ),
        );
      }
    }
    return invoices.sort((a, b) => a.invoiceDate.getTime() - b.invoiceDate.getTime());
  }

  private invoice(
    id: string,
    kind: Invoice['kind'],
    plan: BillingMonthPlan,
    invoiceDate: Date,
    totals: string[],
    extra: { hasUsage: boolean },
  ): Invoice {
    const currency = this.partner.currencyCode;
    const total = sum(
      totals.map((amount) => money(amount, currency)),
      currency,
    );
    // Paid within the 60-day terms (§5.2) once they have passed.
    const paid = invoiceDate.getTime() + 60 * dayMs <= this.now.getTime();
    return {
      partnerTenantId: this.partner.tenantId,
      id,
      kind,
      month: plan.month,
      invoiceDate,
      billingPeriodStart: plan.start,
      billingPeriodEnd: lastDay(plan.start),
      totalCharges: total.toString(),
      paidAmount: paid ? total.negate().toString() : money('0', currency).toString(),
      currencyCode: currency,
      currencySymbol: this.partner.currencySymbol,
      hasUsage: extra.hasUsage,
    };
  }
}

/**
 * Twelve months of invoices for every partner, with reconciliation lines that add up to them to the
 * cent, daily rated usage that adds up to the billed Azure lines, and the open months' unbilled data.
 */
export function seedBilling(
  seed: string,
  now: Date,
  input: { partners: PartnerTenant[]; customers: Customer[]; subscriptions: BilledSubscription[] },
): SeededBilling {
  const billing: SeededBilling = { invoices: [], reconciliationLines: [], legacyLines: [], dailyUsage: [] };
  for (const partner of input.partners) {
    const ledger = new PartnerLedger(seed, now, partner);
    for (const customer of input.customers.filter(
      (candidate) => candidate.partnerTenantId === partner.tenantId,
    )) {
      for (const billed of input.subscriptions.filter(
        (entry) => entry.subscription.customerId === customer.id,
      )) {
        if (billed.subscription.kind === 'azure-plan') ledger.addAzurePlan(customer, billed.subscription);
        else if (billed.subscription.kind === 'legacy') ledger.addLegacy(customer, billed);
        else ledger.addLicence(customer, billed);
      }
    }
    billing.invoices.push(...ledger.invoices());
    billing.reconciliationLines.push(...ledger.lines);
    billing.legacyLines.push(...ledger.legacy);
    billing.dailyUsage.push(...ledger.usage);
  }
  return billing;
}
