import type { CloudInstance } from './clouds.ts';
import {
  excerpt,
  PartnerCenterAuthError,
  PartnerCenterError,
  PartnerCenterResponseError,
  readErrorBody,
} from './errors.ts';
import { ResourceParseError } from './read-fields.ts';
import type { TokenSource } from './tokens.ts';

/** Who answers, as messages name it, and what to check when it refuses a renewed token. */
export interface HttpService {
  /** "Partner Center", "Microsoft Graph". */
  name: string;
  /** With the cloud where that helps: "Partner Center (Partner Center operated by 21Vianet)". */
  fullName: string;
  tokenAdvice: string;
}

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
  /** Partner Center unless told otherwise (Microsoft Graph, for the billing exports). */
  service?: HttpService;
}

export interface PartnerCenterRequest {
  method: string;
  /** `/v1/...`, a link's `uri` as Partner Center wrote it (often without `/v1`), or a full URL. */
  path: string;
  /** One per chain of calls serving one operation (headers.md: for troubleshooting). */
  correlationId: string;
  /** What the answer should be, for error messages: "a subscription", "a page of customers". */
  expecting: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The URL carries its own credential (a blob's SAS token): no bearer token is sent. */
  signedUrl?: boolean;
}

/** A successful answer's status and headers. */
export interface Answer {
  status: number;
  headers: Headers;
  /** Seconds the answer asks the caller to wait before asking again (`Retry-After`), if any. */
  retryAfter: number | undefined;
}

export interface RawAnswer extends Answer {
  /** The body as it arrives; null when there is none. */
  body: ReadableStream<Uint8Array> | null;
}

export interface PartnerCenterHttp {
  /** The answer's JSON body read by `parse`; what cannot be read is a PartnerCenterResponseError. */
  send<T>(request: PartnerCenterRequest, parse: (json: unknown, answer: Answer) => T): Promise<T>;
  /**
   * The successful answer itself, after the same retries, for what is not a JSON body: a 202 with its
   * `Location`, a gzipped blob read as it streams in.
   */
  sendRaw(request: PartnerCenterRequest): Promise<RawAnswer>;
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
  const service = options.service ?? {
    name: 'Partner Center',
    fullName: `Partner Center (${cloud.label})`,
    tokenAdvice:
      'Check that the app is consented in the partner tenant and, for App+User calls, renew the Secure Application Model refresh token.',
  };

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

  function answerOf(response: Response): Answer {
    return { status: response.status, headers: response.headers, retryAfter: retryAfterSeconds(response) };
  }

  function backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + options.random() / 2));
  }

  async function attempt(
    request: PartnerCenterRequest,
    requestId: string,
    signal: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'MS-RequestId': requestId,
      'MS-CorrelationId': request.correlationId,
      'MS-Contract-Version': 'v1',
      'MS-PartnerCenter-Application': 'partnerdesk',
      'X-Locale': options.locale,
      ...request.headers,
    };
    if (!request.signedUrl) headers.Authorization = `Bearer ${await options.tokens.token()}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return options.fetch(urlOf(request.path), {
      method: request.method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal,
    });
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
    if (response.status === 401 && !request.signedUrl) {
      return new PartnerCenterAuthError(
        `${service.fullName} refused the connection's token twice for ${label(request)} ${said}. ${service.tokenAdvice}`,
        details,
      );
    }
    return new PartnerCenterError(`${service.name} refused ${label(request)} ${said}`, details);
  }

  function read<T>(
    request: PartnerCenterRequest,
    response: Response,
    text: string,
    requestId: string,
    parse: (json: unknown, answer: Answer) => T,
  ): T {
    const { status } = response;
    const details = { status, requestId, correlationId: request.correlationId };
    const answered = `${service.name} answered ${status} to ${label(request)}`;
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
      return parse(json, answerOf(response));
    } catch (error) {
      if (!(error instanceof ResourceParseError)) throw error;
      throw new PartnerCenterResponseError(
        `${answered} with ${request.expecting} that cannot be used: ${error.message}`,
        { ...details, path: error.path },
      );
    }
  }

  /**
   * One request to its first successful answer, retried as the header comment says; `take` reads
   * what is wanted of that answer inside the attempt, under its timeout.
   */
  async function exchange<R>(
    request: PartnerCenterRequest,
    take: (response: Response) => Promise<R>,
  ): Promise<{ response: Response; requestId: string; taken: R; limit: TimeLimit }> {
    let requestId = options.newId();
    let tokenRenewed = false;
    for (let attempts = 1; ; attempts++) {
      let response: Response;
      let answered: { taken: R } | { failure: string };
      const limit = timeLimit(options.timeoutMs);
      try {
        response = await attempt(request, requestId, limit.signal);
        // The limit covers what `take` reads of the body too: a stalled body is a lost answer.
        answered = response.ok ? { taken: await take(response) } : { failure: await response.text() };
      } catch (error) {
        if (error instanceof PartnerCenterError && !retryableStatuses.has(error.status ?? 0)) throw error;
        if (attempts >= options.maxAttempts) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new PartnerCenterError(
            `${service.fullName} did not answer ${label(request)} after ${attempts} attempts: ${reason}`,
            { requestId, correlationId: request.correlationId },
            { cause: error },
          );
        }
        await options.sleep(backoff(attempts));
        continue;
      } finally {
        limit.stop();
      }
      if ('taken' in answered) return { response, requestId, taken: answered.taken, limit };
      if (response.status === 401 && !request.signedUrl && !tokenRenewed) {
        // The token may have been revoked early: renew it once; this try is not counted.
        tokenRenewed = true;
        options.tokens.invalidate();
        requestId = options.newId();
        attempts--;
        continue;
      }
      const error = refused(request, response, answered.failure, requestId);
      if (!retryableStatuses.has(response.status) || attempts >= options.maxAttempts) throw error;
      const wait = error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff(attempts);
      if (wait > options.maxWaitMs) throw error;
      requestId = options.newId();
      await options.sleep(wait);
    }
  }

  return {
    async send(request, parse) {
      const { response, requestId, taken } = await exchange(request, (response) => response.text());
      return read(request, response, taken, requestId, parse);
    },
    async sendRaw(request) {
      const { response, limit } = await exchange(request, async () => undefined);
      // A streamed body (a blob of an export) may take longer than one request's limit to read, at
      // the reader's pace: what is limited is silence between its chunks.
      return { ...answerOf(response), body: response.body && limitSilence(response.body, limit) };
    },
  };
}

interface TimeLimit {
  signal: AbortSignal;
  /** Starts the limit again from now. */
  restart(): void;
  stop(): void;
}

/** A request's time limit, which aborts its fetch (and the body it is streaming) when it runs out. */
function timeLimit(ms: number): TimeLimit {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
      ms,
    );
    // An unread body left behind must not keep the process alive.
    timer.unref?.();
  };
  restart();
  return { signal: controller.signal, restart, stop: () => clearTimeout(timer) };
}

function limitSilence(body: ReadableStream<Uint8Array>, limit: TimeLimit): ReadableStream<Uint8Array> {
  limit.restart();
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        limit.restart();
        controller.enqueue(chunk);
      },
      flush() {
        limit.stop();
      },
    }),
  );
}
