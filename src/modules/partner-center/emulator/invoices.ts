import type { FastifyInstance, FastifyRequest } from 'fastify';
import { money, sum } from '#platform/money';
import type { Invoice } from './billing-store.ts';
import {
  presentDailyUsage,
  presentInvoice,
  presentLegacyLine,
  presentReconciliationLine,
} from './billing-wire.ts';
import { monthOf, startOfUtcMonth } from './calendar.ts';
import {
  appUserOf,
  decodeContinuation,
  encodeContinuation,
  type PartnerCenterContext,
  pageSize,
  partnerOf,
} from './requests.ts';
import type { Store } from './store.ts';
import { collection, field, link, PartnerCenterError } from './wire.ts';

const defaultInvoicePageSize = 200;
/** Line items: "Default and maximum page size 2000" (get-invoiceline-items.md). */
const maxLineItemPageSize = 2000;
/** Dates the samples print for "never". */
const unsetDate = '0001-01-01T00:00:00';

type Query = Record<string, string | undefined>;

/** Query names are read case-insensitively: the samples write `invoicelineitemtype`, the SDK `InvoiceLineItemType`. */
function queryValue(request: FastifyRequest, name: string): string | undefined {
  const value = field(request.query, name);
  return typeof value === 'string' ? value : undefined;
}

function lineItemPageSize(raw: string | undefined): number {
  if (raw === undefined) return maxLineItemPageSize;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > maxLineItemPageSize) {
    throw new PartnerCenterError(400, '400', `size must be a whole number from 1 to ${maxLineItemPageSize}.`);
  }
  return size;
}

function invoiceOf(store: Store, partnerTenantId: string, raw: string) {
  // The samples' self links name invoices `OneTime-G000024135`.
  const id = raw.replace(/^(OneTime|Recurring)-/i, '').toUpperCase();
  const invoice = store.invoices.find(
    (candidate) => candidate.partnerTenantId === partnerTenantId && candidate.id === id,
  );
  if (!invoice) throw new PartnerCenterError(404, '404', `Invoice ${raw} not found.`);
  return invoice;
}

/** The open months: the current one, and the previous one until its invoice is published. */
export function unbilledMonth(
  store: Store,
  partnerTenantId: string,
  period: string,
  now: Date,
): string | undefined {
  const current = startOfUtcMonth(now);
  if (period === 'current') return monthOf(current);
  const previous = monthOf(new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - 1, 1)));
  const billed = store.invoices.some(
    (invoice) =>
      invoice.partnerTenantId === partnerTenantId &&
      invoice.month === previous &&
      invoice.kind === 'new-commerce',
  );
  return billed ? undefined : previous;
}

/**
 * One page of line items, continued with `seekOperation=Next` and the `MS-ContinuationToken` header
 * taken from `links.next` (get-invoiceline-items.md).
 */
function linePage<T>(
  request: FastifyRequest,
  partnerTenantId: string,
  all: T[],
  present: (item: T) => unknown,
  selfUri: string,
) {
  const size = lineItemPageSize(queryValue(request, 'size'));
  const continuation = request.headers['ms-continuationtoken'];
  const offset =
    queryValue(request, 'seekOperation')?.toLowerCase() === 'next' && typeof continuation === 'string'
      ? decodeContinuation(partnerTenantId, continuation).offset
      : 0;
  const links: Record<string, ReturnType<typeof link>> = { self: link(`${selfUri}&size=${size}`) };
  if (offset + size < all.length) {
    links.next = {
      ...link(`${selfUri}&size=${size}&seekOperation=Next`),
      headers: [{ key: 'MS-ContinuationToken', value: encodeContinuation(partnerTenantId, offset + size) }],
    };
  }
  return collection(all.slice(offset, offset + size).map(present), links);
}

function lineItemKind(request: FastifyRequest) {
  const provider = queryValue(request, 'provider')?.toLowerCase();
  const type = queryValue(request, 'invoicelineitemtype')?.toLowerCase();
  if (provider !== 'onetime' && provider !== 'office' && provider !== 'azure') {
    throw new PartnerCenterError(400, '400', 'provider must be onetime, office or azure.');
  }
  if (type !== 'billinglineitems' && type !== 'usagelineitems') {
    throw new PartnerCenterError(
      400,
      '400',
      'invoicelineitemtype must be billinglineitems or usagelineitems.',
    );
  }
  return { provider, type };
}

/** Lines in another currency than the partner's (its only billing currency) do not exist: an empty page. */
function inCurrency(store: Store, partnerTenantId: string, request: FastifyRequest, required: boolean) {
  const currency = queryValue(request, 'currencycode');
  if (currency === undefined) {
    if (required) throw new PartnerCenterError(400, '400', 'currencycode is required.');
    return true;
  }
  const partner = store.partners.find((candidate) => candidate.tenantId === partnerTenantId)!;
  return currency.toUpperCase() === partner.currencyCode;
}

/** Invoices, their line items and the unbilled reconciliation and usage (reference §2.7, §2.8.1). */
export function registerInvoiceRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  const { store } = context;

  app.get<{ Querystring: Query }>('/v1/invoices', async (request) => {
    const partnerTenantId = partnerOf(context, request);
    const size = pageSize(queryValue(request, 'size'), defaultInvoicePageSize);
    const offset = Number(queryValue(request, 'offset') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) {
      throw new PartnerCenterError(400, '400', 'offset must be a whole number of at least 0.');
    }
    const all = store.invoices.filter((invoice) => invoice.partnerTenantId === partnerTenantId).toReversed();
    const links: Record<string, ReturnType<typeof link>> = {
      self: link(`/invoices?size=${size}&offset=${offset}`),
    };
    if (offset + size < all.length) links.next = link(`/invoices?size=${size}&offset=${offset + size}`);
    return collection(
      all.slice(offset, offset + size).map((invoice) => presentInvoice(invoice, false)),
      links,
    );
  });

  // Summaries and a single invoice are App+User only (reference §2.2).
  app.get('/v1/invoices/summaries', async (request) => {
    const { partnerTenantId } = appUserOf(context, request);
    const partner = store.partners.find((candidate) => candidate.tenantId === partnerTenantId)!;
    const invoices = store.invoices.filter((invoice) => invoice.partnerTenantId === partnerTenantId);
    const summaryOf = (chosen: typeof invoices) => {
      const currency = partner.currencyCode;
      const amounts = (pick: (invoice: Invoice) => string) =>
        chosen.map((invoice) => money(pick(invoice), currency));
      // paidAmount is negative once paid: the balance is what the totals and payments leave.
      const balance = sum(
        [...amounts((invoice) => invoice.totalCharges), ...amounts((invoice) => invoice.paidAmount)],
        currency,
      );
      const last = chosen.filter((invoice) => !money(invoice.paidAmount, currency).isZero()).at(-1);
      return {
        balanceAmount: Number(balance.toString()),
        currencyCode: currency,
        currencySymbol: partner.currencySymbol,
        accountingDate: context.clock.now().toISOString(),
        firstInvoiceCreationDate: chosen[0]?.invoiceDate.toISOString() ?? unsetDate,
        lastPaymentDate: last
          ? new Date(last.invoiceDate.getTime() + 55 * 86_400_000).toISOString()
          : unsetDate,
        lastPaymentAmount: last ? Number(money(last.paidAmount, currency).negate().toString()) : 0,
        latestInvoiceDate: chosen.at(-1)?.invoiceDate.toISOString() ?? unsetDate,
      };
    };
    const details = (['OneTime', 'Recurring'] as const)
      .map((invoiceType) => ({
        invoiceType,
        chosen: invoices.filter((invoice) => (invoice.kind === 'legacy') === (invoiceType === 'Recurring')),
      }))
      .filter(({ chosen }) => chosen.length > 0)
      .map(({ invoiceType, chosen }) => ({
        invoiceType,
        summary: { ...summaryOf(chosen), attributes: { objectType: 'InvoiceSummary' } },
      }));
    return collection(
      [
        {
          ...summaryOf(invoices),
          details,
          links: { self: link('/invoices/summary') },
          attributes: { objectType: 'InvoiceSummary' },
        },
      ],
      { self: link('/invoices/summaries') },
    );
  });

  app.get<{ Querystring: Query }>('/v1/invoices/unbilled/lineitems', async (request) => {
    const partnerTenantId = partnerOf(context, request);
    const { provider, type } = lineItemKind(request);
    if (provider !== 'onetime') {
      throw new PartnerCenterError(400, '400', 'Unbilled line items exist for provider=onetime only.');
    }
    const period = queryValue(request, 'period')?.toLowerCase();
    if (period !== 'current' && period !== 'previous') {
      throw new PartnerCenterError(400, '400', 'period must be current or previous.');
    }
    const wanted = inCurrency(store, partnerTenantId, request, true);
    const month = wanted ? unbilledMonth(store, partnerTenantId, period, context.clock.now()) : undefined;
    const selfUri = `/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=${type}&currencycode=${queryValue(request, 'currencycode')}&period=${period}`;
    const open = <T extends { partnerTenantId: string; month: string; invoiceId?: string }>(items: T[]) =>
      items.filter(
        (item) =>
          item.partnerTenantId === partnerTenantId && item.month === month && item.invoiceId === undefined,
      );
    return type === 'usagelineitems'
      ? linePage(
          request,
          partnerTenantId,
          open(store.dailyUsage),
          (usage) => presentDailyUsage(store, usage),
          selfUri,
        )
      : linePage(
          request,
          partnerTenantId,
          open(store.reconciliationLines),
          (line) => presentReconciliationLine(store, line),
          selfUri,
        );
  });

  app.get<{ Params: { invoiceId: string } }>('/v1/invoices/:invoiceId', async (request) => {
    const { partnerTenantId } = appUserOf(context, request);
    return presentInvoice(invoiceOf(store, partnerTenantId, request.params.invoiceId), true);
  });

  app.get<{ Params: { invoiceId: string }; Querystring: Query }>(
    '/v1/invoices/:invoiceId/lineitems',
    async (request) => {
      const partnerTenantId = partnerOf(context, request);
      const invoice = invoiceOf(store, partnerTenantId, request.params.invoiceId);
      const { provider, type } = lineItemKind(request);
      const wanted = inCurrency(store, partnerTenantId, request, false);
      const ofInvoice = <T extends { invoiceId?: string }>(items: T[]) =>
        wanted ? items.filter((item) => item.invoiceId === invoice.id) : [];
      if (provider === 'office' || provider === 'azure') {
        // Legacy line items page with size and offset (get-invoiceline-items.md).
        const lines =
          provider === 'office' && type === 'billinglineitems' ? ofInvoice(store.legacyLines) : [];
        const size = lineItemPageSize(queryValue(request, 'size'));
        const offset = Number(queryValue(request, 'offset') ?? '0');
        const selfUri = `/invoices/${invoice.id}/lineitems?provider=${provider}&invoicelineitemtype=${type}&size=${size}`;
        const links: Record<string, ReturnType<typeof link>> = { self: link(`${selfUri}&offset=${offset}`) };
        if (offset + size < lines.length) links.next = link(`${selfUri}&offset=${offset + size}`);
        return collection(
          lines.slice(offset, offset + size).map((line) => presentLegacyLine(store, line)),
          links,
        );
      }
      const currency = queryValue(request, 'currencycode') ?? invoice.currencyCode;
      const selfUri = `/invoices/${invoice.id}/lineitems?provider=onetime&invoicelineitemtype=${type}&currencycode=${currency}`;
      return type === 'usagelineitems'
        ? linePage(
            request,
            partnerTenantId,
            ofInvoice(store.dailyUsage),
            (usage) => presentDailyUsage(store, usage),
            selfUri,
          )
        : linePage(
            request,
            partnerTenantId,
            ofInvoice(store.reconciliationLines),
            (line) => presentReconciliationLine(store, line),
            selfUri,
          );
    },
  );
}
