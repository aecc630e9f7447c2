import { createHash } from 'node:crypto';
import type { CostLine } from '../lines.ts';

/** Provenance and unknown columns differ between sources of the same lines; everything else is content. */
type ContentField = Exclude<keyof CostLine, 'sourceName' | 'sourceLine' | 'extra'>;

// A record rather than a list, so that the compiler refuses a CostLine field left out (or one too many).
const contentFieldSet: Record<ContentField, true> = {
  form: true,
  invoiceNumber: true,
  period: true,
  customerTenantId: true,
  customerName: true,
  customerCountry: true,
  resellerMpnId: true,
  subscriptionId: true,
  entitlementId: true,
  orderId: true,
  productId: true,
  skuId: true,
  availabilityId: true,
  productName: true,
  skuName: true,
  meterId: true,
  meterName: true,
  meterCategory: true,
  serviceFamily: true,
  chargeType: true,
  referenceId: true,
  periodStart: true,
  periodEnd: true,
  chargeStart: true,
  chargeEnd: true,
  usageDate: true,
  quantity: true,
  unitPrice: true,
  effectiveUnitPrice: true,
  subtotal: true,
  tax: true,
  cost: true,
  currency: true,
  pricingCurrency: true,
  pricingTotal: true,
  exchangeRate: true,
  creditType: true,
  isReservation: true,
};
const contentFields = (Object.keys(contentFieldSet) as ContentField[]).toSorted();

const modulus = 1n << 256n;

/** One line's content, in a fixed field order, as the text its digest is taken of. */
export function canonicalLine(line: CostLine): string {
  return JSON.stringify(contentFields.map((field) => line[field]));
}

export interface Fingerprint {
  add(line: CostLine): void;
  /** `<count>:<64 hex digits>`: the same lines in any order give the same; any changed value another. */
  digest(): string;
}

/**
 * An order-independent digest of a set of lines in constant memory: the SHA-256 of each line's content
 * (provenance and `extra` left out, so CSV, Graph and v1 deliveries of the same lines agree), added
 * modulo 2^256, with the count. A repeated line counts twice.
 */
export function createFingerprint(): Fingerprint {
  let count = 0;
  let sum = 0n;
  return {
    add(line) {
      count += 1;
      sum = (sum + BigInt(`0x${createHash('sha256').update(canonicalLine(line)).digest('hex')}`)) % modulus;
    },
    digest: () => `${count}:${sum.toString(16).padStart(64, '0')}`,
  };
}

/** The fingerprint of every line of an iterable, consumed as it streams. */
export async function fingerprintLines(lines: AsyncIterable<CostLine> | Iterable<CostLine>): Promise<string> {
  const fingerprint = createFingerprint();
  for await (const line of lines) fingerprint.add(line);
  return fingerprint.digest();
}
