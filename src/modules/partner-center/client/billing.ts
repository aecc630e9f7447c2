import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import {
  type DailyRatedUsageLine,
  type ExportManifest,
  type Invoice,
  type LicenseBasedLine,
  parseDailyRatedUsageLine,
  parseExportManifest,
  parseExportOperation,
  parseInvoice,
  parseLicenseBasedLine,
  parseReconciliationLine,
  type ReconciliationLine,
} from './billing-resources.ts';
import type { CallOptions, PartnerCenterClientOptions } from './client.ts';
import { GRAPH_RESOURCE } from './clouds.ts';
import { type Connection, connect } from './connect.ts';
import { excerpt, PartnerCenterError, PartnerCenterResponseError } from './errors.ts';
import type { HttpService } from './http.ts';
import { ResourceParseError } from './read-fields.ts';

export interface BillingClientOptions extends PartnerCenterClientOptions {
  /** Wait between polls of an export when Graph sends no Retry-After. */
  pollIntervalMs?: number;
  /** Polls of one export before giving up. */
  maxPolls?: number;
}

/** One blob of an export: its name in the manifest, and its rows, read as they stream in. */
export interface ExportBlob<T> {
  name: string;
  rows: AsyncIterable<T>;
}

/** A finished Graph export: its manifest, and its blobs in the manifest's order. */
export interface BillingExport<T> {
  manifest: ExportManifest | undefined;
  /** Each blob is downloaded when its rows are read. */
  blobs(): AsyncIterable<ExportBlob<T>>;
  /** Every row of every blob, in order. */
  rows(): AsyncIterable<T>;
}

export interface PartnerCenterBillingClient {
  /** Newest first; App or App+User. */
  listInvoices(call?: CallOptions): AsyncIterable<Invoice>;
  /** With `pdfDownloadLink`; App+User only. */
  getInvoice(invoiceId: string, call?: CallOptions): Promise<Invoice>;
  billedLineItems(
    invoiceId: string,
    currencyCode: string,
    call?: CallOptions,
  ): AsyncIterable<ReconciliationLine>;
  billedUsage(
    invoiceId: string,
    currencyCode: string,
    call?: CallOptions,
  ): AsyncIterable<DailyRatedUsageLine>;
  /** A legacy (`D…`) invoice's licence-based lines (`provider=office`), paged by offset. */
  legacyLicenseLineItems(invoiceId: string, call?: CallOptions): AsyncIterable<LicenseBasedLine>;
  unbilledLineItems(
    currencyCode: string,
    period: 'current' | 'previous',
    call?: CallOptions,
  ): AsyncIterable<ReconciliationLine>;
  unbilledUsage(
    currencyCode: string,
    period: 'current' | 'previous',
    call?: CallOptions,
  ): AsyncIterable<DailyRatedUsageLine>;
  /** Microsoft Graph exports (global cloud only): request, wait for, then read. */
  exportBilledReconciliation(invoiceId: string): Promise<BillingExport<ReconciliationLine>>;
  exportUnbilledReconciliation(
    currencyCode: string,
    period: 'current' | 'last',
  ): Promise<BillingExport<ReconciliationLine>>;
  exportBilledUsage(invoiceId: string): Promise<BillingExport<DailyRatedUsageLine>>;
  exportUnbilledUsage(
    currencyCode: string,
    period: 'current' | 'last',
  ): Promise<BillingExport<DailyRatedUsageLine>>;
}

/** "No data available": an export of a period with nothing in it (the documented failed operation). */
const noDataCode = '5000';

const graphService: HttpService = {
  name: 'Microsoft Graph',
  fullName: 'Microsoft Graph',
  tokenAdvice:
    'Check that the app has the PartnerBilling.Read.All permission and is consented in the partner tenant.',
};

/**
 * Partner Center's invoices and line items (v1) and Microsoft Graph's billing exports, over the client's
 * HTTP: Graph with a Graph token, its 202 + `Location` and its gzipped blobs as raw answers.
 */
export function createBillingClient(options: BillingClientOptions): PartnerCenterBillingClient {
  const connection = connect(options);
  const { http, pages } = connection;
  const graph = createGraph(connection, options.pollIntervalMs ?? 5_000, options.maxPolls ?? 120);
  const pageSize = options.pageSize ?? 2000;
  const segment = encodeURIComponent;
  const lineItems = (path: string, type: 'billinglineitems' | 'usagelineitems', query: string) =>
    `${path}?provider=onetime&invoicelineitemtype=${type}&${query}&size=${pageSize}`;

  return {
    listInvoices: (call) =>
      pages(
        `/v1/invoices?size=${Math.min(pageSize, 200)}&offset=0`,
        'a page of invoices',
        parseInvoice,
        call,
      ),
    getInvoice: (invoiceId, call) =>
      http.send(
        {
          method: 'GET',
          path: `/v1/invoices/${segment(invoiceId)}`,
          correlationId: call?.correlationId ?? randomUUID(),
          expecting: 'an invoice',
        },
        (json) => parseInvoice(json),
      ),
    billedLineItems: (invoiceId, currencyCode, call) =>
      pages(
        lineItems(
          `/v1/invoices/${segment(invoiceId)}/lineitems`,
          'billinglineitems',
          `currencycode=${segment(currencyCode)}`,
        ),
        'a page of invoice line items',
        parseReconciliationLine,
        call,
      ),
    billedUsage: (invoiceId, currencyCode, call) =>
      pages(
        lineItems(
          `/v1/invoices/${segment(invoiceId)}/lineitems`,
          'usagelineitems',
          `currencycode=${segment(currencyCode)}`,
        ),
        'a page of daily rated usage',
        parseDailyRatedUsageLine,
        call,
      ),
    legacyLicenseLineItems: (invoiceId, call) =>
      pages(
        `/v1/invoices/${segment(invoiceId)}/lineitems?provider=office&invoicelineitemtype=billinglineitems&size=${pageSize}&offset=0`,
        'a page of legacy licence-based line items',
        parseLicenseBasedLine,
        call,
      ),
    unbilledLineItems: (currencyCode, period, call) =>
      pages(
        lineItems(
          '/v1/invoices/unbilled/lineitems',
          'billinglineitems',
          `currencycode=${segment(currencyCode)}&period=${period}`,
        ),
        'a page of unbilled line items',
        parseReconciliationLine,
        call,
      ),
    unbilledUsage: (currencyCode, period, call) =>
      pages(
        lineItems(
          '/v1/invoices/unbilled/lineitems',
          'usagelineitems',
          `currencycode=${segment(currencyCode)}&period=${period}`,
        ),
        'a page of unbilled daily rated usage',
        parseDailyRatedUsageLine,
        call,
      ),
    exportBilledReconciliation: (invoiceId) =>
      graph.export(
        'reconciliation/billed/export',
        { invoiceId, attributeSet: 'full' },
        parseReconciliationLine,
      ),
    exportUnbilledReconciliation: (currencyCode, billingPeriod) =>
      graph.export(
        'reconciliation/unbilled/export',
        { currencyCode, billingPeriod, attributeSet: 'full' },
        parseReconciliationLine,
      ),
    exportBilledUsage: (invoiceId) =>
      graph.export('usage/billed/export', { invoiceId, attributeSet: 'full' }, parseDailyRatedUsageLine),
    exportUnbilledUsage: (currencyCode, billingPeriod) =>
      graph.export(
        'usage/unbilled/export',
        { currencyCode, billingPeriod, attributeSet: 'full' },
        parseDailyRatedUsageLine,
      ),
  };
}

function exportOf<T>(manifest: ExportManifest | undefined, blobs: ExportBlob<T>[]): BillingExport<T> {
  return {
    manifest,
    async *blobs() {
      yield* blobs;
    },
    async *rows() {
      for (const blob of blobs) yield* blob.rows;
    },
  };
}

function createGraph(connection: Connection, pollIntervalMs: number, maxPolls: number) {
  const { cloud } = connection;
  const http = connection.httpFor(GRAPH_RESOURCE, graphService);
  const billingBase = `${cloud.graphUrl}/v1.0/reports/partners/billing`;

  /** Polls the operation until it has an outcome, waiting as long as each answer's Retry-After asks. */
  async function awaitOperation(location: string, correlationId: string): Promise<string | undefined> {
    for (let poll = 1; poll <= maxPolls; poll++) {
      const { operation, retryAfter } = await http.send(
        { method: 'GET', path: location, correlationId, expecting: 'an export operation' },
        (json, answer) => ({ operation: parseExportOperation(json), retryAfter: answer.retryAfter }),
      );
      if (operation.status === 'succeeded') return operation.manifestLink;
      if (operation.status === 'failed') {
        if (operation.code === noDataCode) return undefined;
        throw new PartnerCenterError(
          `Microsoft Graph could not export the billing data: ${operation.message || 'no explanation given'}`,
          { correlationId, ...(operation.code && { code: operation.code }) },
        );
      }
      const wait = retryAfter === undefined ? pollIntervalMs : retryAfter * 1000;
      await connection.sleep(Math.min(wait, connection.maxWaitMs));
    }
    throw new PartnerCenterError(`Microsoft Graph had not finished the export after ${maxPolls} polls`, {
      correlationId,
    });
  }

  /**
   * Reads a gzipped JSON-lines blob as it arrives: gunzip and line splitting over the body stream,
   * so that memory holds one chunk and one line, not the blob.
   */
  async function* download<T>(
    manifest: ExportManifest,
    name: string,
    parse: (value: unknown, path: string) => T,
    correlationId: string,
  ): AsyncGenerator<T> {
    const url = `${manifest.rootDirectory.replace(/\/+$/, '')}/${name}${manifest.sasToken ? `?${manifest.sasToken.replace(/^\?/, '')}` : ''}`;
    const response = await http.sendRaw({
      method: 'GET',
      path: url,
      correlationId,
      expecting: `the export blob ${name}`,
      signedUrl: true,
    });
    if (!response.body) throw new PartnerCenterResponseError(`The export blob ${name} came without a body`);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let lineNumber = 0;
    const rowOf = (line: string): T => {
      lineNumber += 1;
      const at = `${name} line ${lineNumber}`;
      try {
        return parse(JSON.parse(line), '');
      } catch (error) {
        if (error instanceof ResourceParseError) {
          throw new PartnerCenterResponseError(`The export blob ${at}: ${error.message}`, {
            path: error.path,
          });
        }
        throw new PartnerCenterResponseError(`The export blob ${at} is not JSON: ${excerpt(line)}`);
      }
    };
    const gunzip = Readable.fromWeb(response.body as ReadableStream).pipe(createGunzip());
    try {
      for await (const chunk of gunzip) {
        const lines = (pending + decoder.write(chunk as Buffer)).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') yield rowOf(line);
      }
    } catch (error) {
      if (error instanceof PartnerCenterError) throw error;
      throw new PartnerCenterResponseError(
        `The export blob ${name} is not a complete gzip file (${error instanceof Error ? error.message : String(error)}); request the export again`,
      );
    } finally {
      gunzip.destroy();
    }
    pending += decoder.end();
    if (pending.trim() !== '') yield rowOf(pending);
  }

  return {
    async export<T>(
      path: string,
      body: Record<string, string>,
      parse: (value: unknown, path: string) => T,
    ): Promise<BillingExport<T>> {
      if (cloud.name !== 'public') {
        // Reference §2.1: the Graph billing exports are "unavailable in sovereign cloud".
        throw new PartnerCenterError(
          `${cloud.label} has no Microsoft Graph billing exports (the global service only): import the reconciliation files instead`,
        );
      }
      const correlationId = randomUUID();
      const what = `the ${path.replace('/export', '').replace('/', ' ')} export`;
      const accepted = await http.sendRaw({
        method: 'POST',
        path: `${billingBase}/${path}`,
        correlationId,
        expecting: `${what} accepted`,
        body,
      });
      await accepted.body?.cancel();
      const location = accepted.headers.get('location');
      if (!location) {
        throw new PartnerCenterResponseError(
          `Microsoft Graph accepted ${what} without a Location to follow`,
          {
            status: accepted.status,
            correlationId,
          },
        );
      }
      const manifestLink = await awaitOperation(location, correlationId);
      if (manifestLink === undefined) return exportOf(undefined, []);
      const manifest = await http.send(
        { method: 'GET', path: manifestLink, correlationId, expecting: 'an export manifest' },
        (json) => parseExportManifest(json),
      );
      return exportOf(
        manifest,
        manifest.blobs.map(({ name }) => ({
          name,
          // Each read downloads the blob afresh, as a stream can be read only once.
          rows: { [Symbol.asyncIterator]: () => download(manifest, name, parse, correlationId) },
        })),
      );
    },
  };
}
