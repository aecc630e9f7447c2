import type { LineForm, ServiceFamily } from '../lines.ts';

/**
 * What a line is, from the words Microsoft writes on it — service family, charge type, Azure credits and
 * reservations — in one place, so that every form and source is classified alike (reference §3.5–3.6).
 */

export interface LineWords {
  productName: string | null;
  skuName: string | null;
  /** The offering name: "Azure plan" on every Azure plan line (§3.6). */
  subscriptionDescription: string | null;
  meterCategory: string | null;
}

const dynamics = /dynamics|power apps|power automate|power pages|copilot studio/i;
const microsoft365 =
  /microsoft 365|office 365|exchange|teams|sharepoint|onedrive|windows 365|intune|enterprise mobility|project|visio|power bi|skype|defender for (?:office|endpoint)|windows (?:10 |11 )?enterprise|entra id|active directory premium/i;
const azureWords = /azure|reserved vm|reservation|savings plan/i;

/**
 * Usage forms are Azure by definition (daily rated usage and the legacy usage file hold Azure meters
 * only); otherwise an Azure plan line or a metered line is Azure, then Dynamics 365, then Microsoft 365
 * by product words, then Azure by product words (reservations bought outright), else other.
 */
export function serviceFamilyOf(form: LineForm, words: LineWords): ServiceFamily {
  if (form === 'daily_usage' || form === 'legacy_usage') return 'azure';
  if (/^azure plan$/i.test(words.subscriptionDescription ?? '') || words.meterCategory) return 'azure';
  const names = `${words.productName ?? ''} ${words.skuName ?? ''} ${words.subscriptionDescription ?? ''}`;
  if (dynamics.test(names)) return 'd365';
  if (microsoft365.test(names)) return 'm365';
  return azureWords.test(names) ? 'azure' : 'other';
}

/** §3.5: new commerce, legacy licence, legacy usage, legacy credits and discounts. */
const documentedChargeTypes = [
  'new',
  'renew',
  'cycleCharge',
  'addQuantity',
  'removeQuantity',
  'moveQuantity',
  'cancelImmediate',
  'convert',
  'changeBillingPlan',
  'customerCredit',
  'extendTerm',
  'Activation fee',
  'Cancel fee',
  'Cancel instance prorate',
  'Cycle fee',
  'Cycle instance prorate',
  'Prorate fees when cancel',
  'Prorate fees when convert away from current offering',
  'Prorate fees when convert to a new offering',
  'New purchase cycle fee',
  'Prorate fees when purchase',
  'Prorate fee when renew',
  'Prorate fees when activate',
  'Assess usage fee when cancel',
  'Assess usage fee for current cycle',
  'Offset a line item',
  'Activation discount',
  'Cycle discount',
  'Renew discount',
  'Cancel discount',
];
const chargeTypeSpelling = new Map<string, string>([
  ...documentedChargeTypes.map((type): [string, string] => [type.toLowerCase(), type]),
  // §2.8.1: "the value Purchase is mapped to New. The value Refund is mapped to Cancel".
  ['purchase', 'new'],
  ['refund', 'cancel'],
  ['cancel', 'cancel'],
]);

/** The documented spelling whatever the casing (`New` in the file sample, `new` in the API); others as written. */
export function chargeTypeOf(written: string): string {
  return chargeTypeSpelling.get(written.toLowerCase()) ?? written;
}

const creditChargeTypes = new Set(['customerCredit', 'Offset a line item']);

/**
 * The credit a line carries: the daily usage file's `CreditType` ("Azure Credit Applied"; "Credit Not
 * Applied" is none), the invoice file's `CreditReasonCode` ("Azure Credit Offer"), or a credit charge
 * type (`customerCredit`, the legacy "Offset a line item").
 */
export function creditTypeOf(credit: {
  chargeType: string;
  creditType?: string | null;
  creditReasonCode?: string | null;
}): string | null {
  if (credit.creditType && !/not applied/i.test(credit.creditType)) return credit.creditType;
  if (credit.creditReasonCode) return credit.creditReasonCode;
  return creditChargeTypes.has(credit.chargeType) ? credit.chargeType : null;
}

const reservationWords = /\breserv(?:ed|ation)/i;

/**
 * An Azure reservation: named so in the product, SKU, term or meter ("Reserved VM Instance", "…, 1 Year
 * Reservation"), or usage covered by one (`BenefitType` Reservation, a reservation id in `AdditionalInfo`).
 * A `ReservationOrderId` alone is not enough: savings plans carry one too (§3.1).
 */
export function isReservationOf(words: {
  names: ReadonlyArray<string | null>;
  benefitType?: string | null;
  additionalInfo?: string | null;
}): boolean {
  return (
    words.names.some((name) => name !== null && reservationWords.test(name)) ||
    /reservation/i.test(words.benefitType ?? '') ||
    /"reservation(?:order)?id"/i.test(words.additionalInfo ?? '')
  );
}
