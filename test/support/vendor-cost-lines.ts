import type { CostLine } from '#modules/vendor-bills';

/**
 * Cost lines as a reader would produce them, for the engine's tests: a billed Azure plan
 * reconciliation line unless told otherwise.
 */
export function costLine(fields: Partial<CostLine> = {}): CostLine {
  return {
    form: 'billed_recon',
    invoiceNumber: 'G000000001',
    period: '2026-09-01',
    sourceName: 'recon.csv',
    sourceLine: 2,
    customerTenantId: null,
    customerName: 'Fabrikam',
    customerCountry: 'HU',
    resellerMpnId: null,
    subscriptionId: 'sub-1',
    entitlementId: null,
    orderId: 'order-1',
    productId: 'DZH318Z0BPS6',
    skuId: '0001',
    availabilityId: 'DZH318Z0BQ3S',
    productName: 'Virtual Machines',
    skuName: 'D2s v5',
    meterId: null,
    meterName: null,
    meterCategory: null,
    serviceFamily: 'azure',
    chargeType: 'new',
    referenceId: null,
    periodStart: '2026-09-01',
    periodEnd: '2026-09-30',
    chargeStart: '2026-09-01',
    chargeEnd: '2026-09-30',
    usageDate: null,
    quantity: '1',
    unitPrice: '10.00',
    effectiveUnitPrice: '10.00',
    subtotal: '10.00',
    tax: '0',
    cost: '10.00',
    currency: 'EUR',
    pricingCurrency: 'USD',
    pricingTotal: '11.00',
    exchangeRate: '0.909090909',
    creditType: null,
    isReservation: false,
    extra: null,
    ...fields,
  };
}

/** `count` lines of one delivery, numbered as a file's rows are (the header is line 1). */
export function costLines(
  count: number,
  fields: (index: number) => Partial<CostLine> = () => ({}),
): CostLine[] {
  return Array.from({ length: count }, (_, index) => costLine({ sourceLine: index + 2, ...fields(index) }));
}

export async function* streamOf(lines: readonly CostLine[]): AsyncGenerator<CostLine> {
  for (const line of lines) yield line;
}
