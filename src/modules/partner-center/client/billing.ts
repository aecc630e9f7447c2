import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import {
  type DailyRatedUsageLine,
  type ExportManifest,
  type Invoice,
  parseDailyRatedUsageLine,
  parseExportManifest,
  parseInvoice,
  parseReconciliationLine,
  type ReconciliationLine,
} from './billing-resources.ts';
import type { CallOptions, PartnerCenterClientOptions } from './client.ts';
import { type CloudInstance, PARTNER_CENTER_RESOURCE, resolveCloud } from './clouds.ts';
import { excerpt, PartnerCenterAuthError, PartnerCenterError, PartnerCenterResponseError } from './errors.ts';
import { createHttp, type PartnerCenterHttp } from './http.ts';
import { type Link, type Page, parsePage, ResourceParseError } from './resources.ts';
import { createTokenSource, type TokenSource } from './tokens.ts';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export interface BillingClientOptions extends PartnerCenterClientOptions {
  /** Overrides the Microsoft Graph base URL (the emulator's, for example). */
  graphUrl?: string;
  /** Wait between polls of an export when Graph sends no Retry-After. */
  pollIntervalMs?: number;
  /** Polls of one export before giving up. */
  maxPolls?: number;
}

/** A finished Graph export: its manifest, and every row of every blob, read as it streams in. */
export interface BillingExport<T> {
  manifest: ExportManifest | undefined;
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

/**
 * tokens.ts asks Entra for Partner Center's audience; Graph calls need Graph's. Until it takes a
 * resource of its own, the token request is re-addressed here.
 */
function forResource(fetch: typeof globalThis.fetch, resource: string): typeof globalThis.fetch {
  return (input, init) => {
    if (!(init?.body instanceof URLSearchParams)) return fetch(input, init);
    const form = new URLSearchParams(init.body);
    if (form.has('resource')) form.set('resource', resource);
    const scope = form.get('scope');
    if (scope) form.set('scope', scope.replaceAll(PARTNER_CENTER_RESOURCE, resource));
    return fetch(input, { ...init, body: form });
  };
}

const retryableStatuses = new Set([429, 502, 503, 504]);
/** "No data available": an export of a period with nothing in it (the documented failed operation). */
const noDataCode = '5000';

function graphErrorOf(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    return {
      ...(typeof code === 'string' && { code }),
      ...(typeof message === 'string' && { message }),
    };
  } catch {
    return text.trim() === '' ? {} : { message: excerpt(text) };
  }
}

/**
 * Partner Center's invoices and line items (v1, over the same HTTP machinery as the client) and
 * Microsoft Graph's billing exports, whose 202 + `Location`, `Retry-After` on polls and gzipped blobs
 * need the response itself: those go through `graphSend` and `download` below.
 */
export function createBillingClient(options: BillingClientOptions): PartnerCenterBillingClient {
  const cloud = resolveCloud(options.cloud, {
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(options.authority !== undefined && { authority: options.authority }),
  });
  const fetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const tokenSource = (resource: string): TokenSource =>
    createTokenSource({
      cloud,
      credentials: options.credentials,
      fetch: resource === PARTNER_CENTER_RESOURCE ? fetch : forResource(fetch, resource),
      now,
      timeoutMs,
      ...(options.tokenEndpoint && { endpoint: options.tokenEndpoint }),
      ...(options.onRefreshToken && { onRefreshToken: options.onRefreshToken }),
    });
  const http = createHttp({
    cloud,
    tokens: tokenSource(PARTNER_CENTER_RESOURCE),
    fetch,
    now,
    sleep,
    random,
    newId: randomUUID,
    maxAttempts,
    timeoutMs,
    maxWaitMs,
    locale: options.locale ?? 'en-US',
  });
  const graph = createGraph({
    cloud,
    graphUrl: (options.graphUrl ?? cloud.graphUrl).replace(/\/+$/, ''),
    tokens: tokenSource(GRAPH_RESOURCE),
    fetch,
    sleep,
    random,
    timeoutMs,
    maxAttempts,
    maxWaitMs,
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    maxPolls: options.maxPolls ?? 120,
  });
  const pageSize = options.pageSize ?? 2000;
  const segment = encodeURIComponent;
  const lineItems = (path: string, type: 'billinglineitems' | 'usagelineitems', query: string) =>
    `${path}?provider=onetime&invoicelineitemtype=${type}&${query}&size=${pageSize}`;

  return {
    listInvoices: (call) =>
      pages(
        http,
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
        http,
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
        http,
        lineItems(
          `/v1/invoices/${segment(invoiceId)}/lineitems`,
          'usagelineitems',
          `currencycode=${segment(currencyCode)}`,
        ),
        'a page of daily rated usage',
        parseDailyRatedUsageLine,
        call,
      ),
    unbilledLineItems: (currencyCode, period, call) =>
      pages(
        http,
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
        http,
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

/** Every item of every page: the first request, then each `links.next` with its headers. */
async function* pages<T>(
  http: PartnerCenterHttp,
  first: string,
  expecting: string,
  parseItem: (item: unknown, path: string) => T,
  call: CallOptions | undefined,
): AsyncIterable<T> {
  const correlationId = call?.correlationId ?? randomUUID();
  const seen = new Set<string>();
  let link: Link | undefined = { uri: first, method: 'GET', headers: [] };
  while (link) {
    const key = `${link.uri} ${JSON.stringify(link.headers)}`;
    if (seen.has(key)) {
      throw new PartnerCenterResponseError(
        `Partner Center's next link repeats ${link.uri} with the same continuation token; paging stopped`,
        { correlationId },
      );
    }
    seen.add(key);
    const page: Page<T> = await http.send(
      {
        method: link.method,
        path: link.uri,
        correlationId,
        expecting,
        headers: Object.fromEntries(link.headers.map((header) => [header.key, header.value])),
      },
      (json) => parsePage(json, parseItem),
    );
    yield* page.items;
    link = page.next;
  }
}

interface GraphOptions {
  cloud: CloudInstance;
  graphUrl: string;
  tokens: TokenSource;
  fetch: typeof globalThis.fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  timeoutMs: number;
  maxAttempts: number;
  maxWaitMs: number;
  pollIntervalMs: number;
  maxPolls: number;
}

function createGraph(options: GraphOptions) {
  const { cloud } = options;
  const billingBase = `${options.graphUrl}/v1.0/reports/partners/billing`;

  function backoff(attempt: number): number {
    return Math.round(Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.5 + options.random() / 2));
  }

  function retryAfterMs(response: Response): number | undefined {
    const header = response.headers.get('retry-after')?.trim();
    return header && /^\d+$/.test(header) ? Number(header) * 1000 : undefined;
  }

  /**
   * One request with the retries the client makes everywhere: 429 after its Retry-After, 502–504 and
   * lost answers with back-off; a 401 renews the token once. `authorized` is false for blob downloads,
   * whose SAS token is the credential.
   */
  async function send(url: string, init: RequestInit, what: string, authorized = true): Promise<Response> {
    let tokenRenewed = false;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (authorized) headers.Authorization = `Bearer ${await options.tokens.token()}`;
        if (init.body !== undefined) headers['Content-Type'] = 'application/json';
        response = await options.fetch(url, {
          ...init,
          headers,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        if (error instanceof PartnerCenterError) throw error;
        if (attempt >= options.maxAttempts) {
          throw new PartnerCenterError(
            `Microsoft Graph did not answer ${what} after ${attempt} attempts: ${error instanceof Error ? error.message : String(error)}`,
            {},
            { cause: error },
          );
        }
        await options.sleep(backoff(attempt));
        continue;
      }
      if (response.ok) return response;
      const text = await response.text();
      if (response.status === 401 && authorized && !tokenRenewed) {
        tokenRenewed = true;
        options.tokens.invalidate();
        attempt--;
        continue;
      }
      const { code, message } = graphErrorOf(text);
      const wait = retryAfterMs(response);
      const details = {
        status: response.status,
        ...(code !== undefined && { code }),
        ...(message !== undefined && { description: message }),
        ...(wait !== undefined && { retryAfter: wait / 1000 }),
      };
      const said = `(HTTP ${response.status}${code ? `, code ${code}` : ''}): ${message ?? 'no explanation given'}`;
      if (response.status === 401) {
        throw new PartnerCenterAuthError(
          `Microsoft Graph refused the connection's token for ${what} ${said}. Check that the app has the PartnerBilling.Read.All permission and is consented in the partner tenant.`,
          details,
        );
      }
      const error = new PartnerCenterError(`Microsoft Graph refused ${what} ${said}`, details);
      if (!retryableStatuses.has(response.status) || attempt >= options.maxAttempts) throw error;
      const pause = wait ?? backoff(attempt);
      if (pause > options.maxWaitMs) throw error;
      await options.sleep(pause);
    }
  }

  async function json(response: Response, what: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new PartnerCenterResponseError(
        `Microsoft Graph answered ${what} with a body that is not JSON: ${excerpt(text)}`,
        {
          status: response.status,
        },
      );
    }
  }

  /** Polls the operation until it has an outcome, waiting as long as each answer's Retry-After asks. */
  async function awaitOperation(location: string): Promise<string | undefined> {
    for (let poll = 1; poll <= options.maxPolls; poll++) {
      const response = await send(location, { method: 'GET' }, 'the export operation');
      const wait = retryAfterMs(response);
      const body = (await json(response, 'the export operation')) as Record<string, unknown>;
      const status = typeof body.status === 'string' ? body.status : '';
      if (status === 'succeeded') {
        const link = body['resourceLocation@odata.navigationLink'];
        if (typeof link !== 'string' || link === '') {
          throw new PartnerCenterResponseError(
            'Microsoft Graph reported the export as succeeded without the link to its manifest',
            { path: 'resourceLocation@odata.navigationLink' },
          );
        }
        return link;
      }
      if (status === 'failed') {
        const error = (body.error ?? {}) as { code?: unknown; message?: unknown };
        if (String(error.code) === noDataCode) return undefined;
        throw new PartnerCenterError(
          `Microsoft Graph could not export the billing data: ${String(error.message ?? 'no explanation given')}`,
          { ...(error.code !== undefined && { code: String(error.code) }) },
        );
      }
      if (status !== 'notStarted' && status !== 'running') {
        throw new PartnerCenterResponseError(
          `Microsoft Graph answered the export operation with status "${status}"`,
          {
            path: 'status',
          },
        );
      }
      await options.sleep(Math.min(wait ?? options.pollIntervalMs, options.maxWaitMs));
    }
    throw new PartnerCenterError(
      `Microsoft Graph had not finished the export after ${options.maxPolls} polls`,
    );
  }

  /**
   * Reads a gzipped JSON-lines blob as it arrives: gunzip and line splitting over the body stream,
   * so that memory holds one chunk and one line, not the blob.
   */
  async function* download<T>(
    manifest: ExportManifest,
    name: string,
    parse: (value: unknown, path: string) => T,
  ): AsyncIterable<T> {
    const url = `${manifest.rootDirectory.replace(/\/+$/, '')}/${name}${manifest.sasToken ? `?${manifest.sasToken.replace(/^\?/, '')}` : ''}`;
    const response = await send(url, { method: 'GET' }, `the export blob ${name}`, false);
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
    const gunzip = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(
      createGunzip(),
    );
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
        throw new PartnerCenterError(
          `${cloud.label} has no Microsoft Graph billing exports (the global service only): import the reconciliation files instead`,
        );
      }
      const what = `the ${path.replace('/export', '').replace('/', ' ')} export`;
      const accepted = await send(
        `${billingBase}/${path}`,
        { method: 'POST', body: JSON.stringify(body) },
        what,
      );
      const location = accepted.headers.get('location');
      if (!location) {
        throw new PartnerCenterResponseError(
          `Microsoft Graph accepted ${what} without a Location to follow`,
          {
            status: accepted.status,
          },
        );
      }
      const manifestLink = await awaitOperation(location);
      if (manifestLink === undefined) return { manifest: undefined, rows: async function* () {} };
      const manifest = await send(manifestLink, { method: 'GET' }, 'the export manifest').then(
        async (response) => {
          try {
            return parseExportManifest(await json(response, 'the export manifest'));
          } catch (error) {
            if (!(error instanceof ResourceParseError)) throw error;
            throw new PartnerCenterResponseError(
              `Microsoft Graph answered an unusable export manifest: ${error.message}`,
              {
                path: error.path,
              },
            );
          }
        },
      );
      return {
        manifest,
        async *rows() {
          for (const blob of manifest.blobs) yield* download(manifest, blob.name, parse);
        },
      };
    },
  };
}
