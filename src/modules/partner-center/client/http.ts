import type { CloudInstance } from './clouds.ts';
import {
  excerpt,
  PartnerCenterAuthError,
  PartnerCenterError,
  PartnerCenterResponseError,
  readErrorBody,
} from './errors.ts';
import { ResourceParseError } from './resources.ts';
import type { TokenSource } from './tokens.ts';

export interface HttpOptions {
  cloud: CloudInstance;
  tokens: TokenSource;
  fetch: typeof globalThis.fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  newId: () => string;
  /** Attempts per request, the first included (429, 502–504, no answer). */
  maxAttempts: number;
  timeoutMs: number;
  /** The longest Retry-After slept through here; a longer one is the caller's (the job's) to honour. */
  maxWaitMs: number;
  locale: string;
}

export interface PartnerCenterRequest {
  method: string;
  /** `/v1/...`, or a link's `uri` as Partner Center wrote it (often without `/v1`). */
  path: string;
  /** One per chain of calls serving one operation (headers.md: for troubleshooting). */
  correlationId: string;
  /** What the answer should be, for error messages: "a subscription", "a page of customers". */
  expecting: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface PartnerCenterHttp {
  send<T>(request: PartnerCenterRequest, parse: (json: unknown) => T): Promise<T>;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const retryableStatuses = new Set([429, 502, 503, 504]);

/**
 * Requests as headers.md describes them, with the retries Partner Center asks for: 429 after its
 * Retry-After, 502–504 and lost answers with exponential back-off and jitter. `MS-RequestId` is the
 * idempotency key: a retry after no answer (timeout, network) reuses it, and any answer resets it.
 * Never retried here: 400, 403, 404, 409 (the job retries later), 412.
 */
export function createHttp(options: HttpOptions): PartnerCenterHttp {
  const { cloud } = options;

  function urlOf(path: string): string {
    if (/^https?:\/\//i.test(path)) return path;
    const rooted = path.startsWith('/') ? path : `/${path}`;
    return `${cloud.apiBaseUrl}${/^\/v\d+\//i.test(rooted) ? '' : '/v1'}${rooted}`;
  }

  function retryAfterSeconds(response: Response): number | undefined {
    const header = response.headers.get('retry-after')?.trim();
    if (!header) return undefined;
    if (/^\d+$/.test(header)) return Number(header);
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - options.now()) / 1000));
  }

  function backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + options.random() / 2));
  }

  async function attempt(request: PartnerCenterRequest, requestId: string) {
    const token = await options.tokens.token();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'MS-RequestId': requestId,
      'MS-CorrelationId': request.correlationId,
      'MS-Contract-Version': 'v1',
      'MS-PartnerCenter-Application': 'partnerdesk',
      'X-Locale': options.locale,
      ...request.headers,
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await options.fetch(urlOf(request.path), {
      method: request.method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The timeout covers the body too: a stalled body is a lost answer like any other.
    return { response, text: await response.text() };
  }

  function label(request: PartnerCenterRequest): string {
    return `${request.method} ${new URL(urlOf(request.path)).pathname}`;
  }

  function refused(request: PartnerCenterRequest, response: Response, text: string, requestId: string) {
    const { code, description } = readErrorBody(text);
    const retryAfter = retryAfterSeconds(response);
    const details = {
      status: response.status,
      requestId,
      correlationId: request.correlationId,
      ...(code !== undefined && { code }),
      ...(description !== undefined && { description }),
      ...(retryAfter !== undefined && { retryAfter }),
    };
    const said = `(HTTP ${response.status}${code ? `, code ${code}` : ''}): ${description ?? 'no explanation given'}`;
    if (response.status === 401) {
      return new PartnerCenterAuthError(
        `Partner Center (${cloud.label}) refused the connection's token twice for ${label(request)} ${said}. Check that the app is consented in the partner tenant and, for App+User calls, renew the Secure Application Model refresh token.`,
        details,
      );
    }
    return new PartnerCenterError(`Partner Center refused ${label(request)} ${said}`, details);
  }

  function read<T>(
    request: PartnerCenterRequest,
    status: number,
    text: string,
    requestId: string,
    parse: (json: unknown) => T,
  ): T {
    const details = { status, requestId, correlationId: request.correlationId };
    const answered = `Partner Center answered ${status} to ${label(request)}`;
    // Recorded Partner Center bodies start with a byte-order mark; JSON.parse refuses it.
    const body = text.replace(/^\uFEFF/, '');
    if (body.trim() === '') {
      throw new PartnerCenterResponseError(
        `${answered} with an empty body, expecting ${request.expecting}`,
        details,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new PartnerCenterResponseError(
        `${answered} with a body that is not JSON: ${excerpt(body)}`,
        details,
      );
    }
    try {
      return parse(json);
    } catch (error) {
      if (!(error instanceof ResourceParseError)) throw error;
      throw new PartnerCenterResponseError(
        `${answered} with ${request.expecting} that cannot be used: ${error.message}`,
        { ...details, path: error.path },
      );
    }
  }

  return {
    async send(request, parse) {
      let requestId = options.newId();
      let tokenRenewed = false;
      for (let attempts = 1; ; attempts++) {
        let answer: Awaited<ReturnType<typeof attempt>>;
        try {
          answer = await attempt(request, requestId);
        } catch (error) {
          if (error instanceof PartnerCenterError && !retryableStatuses.has(error.status ?? 0)) throw error;
          if (attempts >= options.maxAttempts) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new PartnerCenterError(
              `Partner Center (${cloud.label}) did not answer ${label(request)} after ${attempts} attempts: ${reason}`,
              { requestId, correlationId: request.correlationId },
              { cause: error },
            );
          }
          await options.sleep(backoff(attempts));
          continue;
        }
        const { response, text } = answer;
        if (response.ok) return read(request, response.status, text, requestId, parse);
        if (response.status === 401 && !tokenRenewed) {
          // The token may have been revoked early: renew it once; this try is not counted.
          tokenRenewed = true;
          options.tokens.invalidate();
          requestId = options.newId();
          attempts--;
          continue;
        }
        const error = refused(request, response, text, requestId);
        if (!retryableStatuses.has(response.status) || attempts >= options.maxAttempts) throw error;
        const wait = error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff(attempts);
        if (wait > options.maxWaitMs) throw error;
        requestId = options.newId();
        await options.sleep(wait);
      }
    },
  };
}
