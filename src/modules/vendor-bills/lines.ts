/**
 * The one shape every form Microsoft delivers is read into — CSV files, Graph export rows, v1 line
 * items — before it is loaded. Amounts are decimal strings exactly as Microsoft wrote them (normalised:
 * no thousands separators, `.` as the decimal point); dates are ISO `yyyy-mm-dd`.
 */
import type { lineForms } from './schema.ts';

export type LineForm = (typeof lineForms)[number];
export type ServiceFamily = 'azure' | 'm365' | 'd365' | 'other';

export interface CostLine {
  form: LineForm;
  /** Billed lines carry their invoice; estimates (unbilled, recent activity) do not. */
  invoiceNumber: string | null;
  /** The billing month's first day: from the invoice's billing period, or the usage / charge date. */
  period: string;
  /** Where it came from: the file or blob name and its 1-based line (the header is line 1). */
  sourceName: string;
  sourceLine: number;
  customerTenantId: string | null;
  customerName: string | null;
  customerCountry: string | null;
  resellerMpnId: string | null;
  subscriptionId: string | null;
  entitlementId: string | null;
  orderId: string | null;
  productId: string | null;
  skuId: string | null;
  availabilityId: string | null;
  productName: string | null;
  skuName: string | null;
  meterId: string | null;
  meterName: string | null;
  meterCategory: string | null;
  serviceFamily: ServiceFamily;
  chargeType: string;
  referenceId: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  chargeStart: string | null;
  chargeEnd: string | null;
  usageDate: string | null;
  quantity: string | null;
  unitPrice: string | null;
  effectiveUnitPrice: string | null;
  subtotal: string | null;
  tax: string | null;
  /** Microsoft's own amount for the line in the billing currency, never recomputed. */
  cost: string;
  currency: string;
  pricingCurrency: string | null;
  pricingTotal: string | null;
  exchangeRate: string | null;
  creditType: string | null;
  isReservation: boolean;
  /** Columns the reader does not know, kept by their header as written. */
  extra: Record<string, string> | null;
}

/**
 * Which delivery a line belongs to: billed lines by invoice number (and form), estimates by period and
 * currency (and form). The same key from any source is the same delivery.
 */
export function deliveryKeyOf(
  line: Pick<CostLine, 'form' | 'invoiceNumber' | 'period' | 'currency'>,
): string {
  return line.invoiceNumber === null
    ? `estimate:${line.period.slice(0, 7)}:${line.currency}:${line.form}`
    : `billed:${line.invoiceNumber}:${line.form}`;
}

/**
 * A file (or blob, or API page) that cannot be imported, with where: the whole import is refused and
 * nothing of it becomes visible.
 */
export class ImportFileError extends Error {
  readonly file: string;
  /** 1-based line in the file (the header is line 1); null when the file as a whole is wrong. */
  readonly line: number | null;
  /** The column's header as written in the file, when one column is at fault. */
  readonly column: string | null;

  constructor(file: string, line: number | null, column: string | null, message: string) {
    super(
      `${file}${line === null ? '' : `, line ${line}`}${column === null ? '' : `, column ${column}`}: ${message}`,
    );
    this.name = 'ImportFileError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}
