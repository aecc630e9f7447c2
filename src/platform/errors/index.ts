/**
 * One error type for everything a user can be told about. `code` is stable (it becomes the
 * problem+json `type`), `message` is for people, and the location names what was wrong: a field of a
 * request, or a file, line and column of an import.
 */
export interface ErrorLocation {
  field?: string;
  file?: string;
  line?: number;
  column?: string;
}

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly location: ErrorLocation;

  constructor(kind: ErrorKind, code: string, message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.location = location;
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

/** Bad input: names the field (or file line) that was wrong. */
export function invalid(code: string, message: string, location: ErrorLocation = {}): DomainError {
  return new DomainError('invalid', code, message, location);
}

/** Another partner's or customer's record is reported exactly like a missing one. */
export function notFound(what: string): DomainError {
  return new DomainError('not_found', 'not-found', `${what} was not found`);
}

export function conflict(code: string, message: string): DomainError {
  return new DomainError('conflict', code, message);
}

export function forbidden(code: string, message: string): DomainError {
  return new DomainError('forbidden', code, message);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
