/**
 * What Partner Center (or its token authority) refused, and why, in its own words. Services turn these
 * into `DomainError`s at their boundary; jobs read `status`, `code` and `retryAfter` to decide when to
 * try again (409 codes 800082 / 900278 mean "later", never a tight loop).
 */
export interface PartnerCenterErrorDetails {
  /** HTTP status Partner Center answered with; undefined when no answer came (network, timeout). */
  status?: number;
  /** Partner Center's own error code (`code` / `errorCode`), e.g. `2055`, `900278`. */
  code?: string;
  /** Partner Center's own explanation (`description` / `message`). */
  description?: string;
  requestId?: string;
  correlationId?: string;
  /** Seconds Partner Center asked us to wait (`Retry-After`). */
  retryAfter?: number;
}

export class PartnerCenterError extends Error {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly description: string | undefined;
  readonly requestId: string | undefined;
  readonly correlationId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(message: string, details: PartnerCenterErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PartnerCenterError';
    this.status = details.status;
    this.code = details.code;
    this.description = details.description;
    this.requestId = details.requestId;
    this.correlationId = details.correlationId;
    this.retryAfter = details.retryAfter;
  }
}

/** The credentials were refused: nothing will work until a person fixes the connection. */
export class PartnerCenterAuthError extends PartnerCenterError {
  constructor(message: string, details: PartnerCenterErrorDetails = {}, options?: ErrorOptions) {
    super(message, details, options);
    this.name = 'PartnerCenterAuthError';
  }
}

/** Partner Center answered, but with a body we cannot use; `path` names the offending field. */
export class PartnerCenterResponseError extends PartnerCenterError {
  readonly path: string | undefined;

  constructor(message: string, details: PartnerCenterErrorDetails & { path?: string } = {}) {
    super(message, details);
    this.name = 'PartnerCenterResponseError';
    this.path = details.path;
  }
}

export interface ErrorBody {
  code?: string;
  description?: string;
  data?: unknown;
  source?: string;
}

/**
 * Reads an error body in any of its documented shapes: `{code, description, data, source}`
 * (error-codes.md), `{errorCode, message}`, the throttling `{statusCode, message}`, the token
 * endpoint's `{error, error_description}` or Graph's `{error: {code, message}}`. Anything else is kept
 * as a short text excerpt.
 */
export function readErrorBody(text: string): ErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { description: excerpt(trimmed) };
  }
  if (!isRecord(json)) return { description: excerpt(trimmed) };
  const body = lowerKeys(json);
  // Microsoft Graph nests its error: `{"error": {"code", "message"}}`.
  const graph = isRecord(body.error) ? lowerKeys(body.error) : {};
  const code = firstText(body.code, body.errorcode, body.error, body.statuscode, graph.code);
  const description = firstText(body.description, body.message, body.error_description, graph.message);
  return {
    ...(code !== undefined && { code }),
    ...(description !== undefined && { description }),
    ...(body.data !== undefined && { data: body.data }),
    ...(typeof body.source === 'string' && { source: body.source }),
  };
}

export function excerpt(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}
