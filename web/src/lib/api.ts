/** What the API says went wrong (RFC 9457 problem details); `type` is `/problems/<code>`. */
export class ApiProblem extends Error {
  readonly type: string;
  readonly status: number;
  readonly detail: string;
  /** The offending input as the server names it, e.g. `body.email` or `password`. */
  readonly field: string | undefined;

  constructor(problem: { type: string; status: number; detail: string; field?: string | undefined }) {
    super(problem.detail);
    this.name = 'ApiProblem';
    this.type = problem.type;
    this.status = problem.status;
    this.detail = problem.detail;
    this.field = problem.field;
  }

  /** The stable code at the end of `type`, e.g. `invalid-credentials`. */
  get code(): string {
    return this.type.replace(/^\/problems\//, '');
  }
}

export function isProblem(error: unknown, code?: string): error is ApiProblem {
  return error instanceof ApiProblem && (code === undefined || error.code === code);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function cookie(name: string): string | undefined {
  const prefix = `${name}=`;
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return found === undefined ? undefined : decodeURIComponent(found.slice(prefix.length));
}

/** The problem a failed call answered with, from its status and body text, which may not be problem+json. */
export function problemFromText(status: number, statusText: string, text: string): ApiProblem {
  const fallback = { type: '/problems/http-error', status, detail: statusText };
  try {
    const body = JSON.parse(text) as Partial<ApiProblem>;
    return new ApiProblem({
      type: typeof body.type === 'string' ? body.type : fallback.type,
      status,
      detail: typeof body.detail === 'string' ? body.detail : fallback.detail,
      field: typeof body.field === 'string' ? body.field : undefined,
    });
  } catch {
    return new ApiProblem(fallback);
  }
}

async function problemFrom(response: Response): Promise<ApiProblem> {
  return problemFromText(response.status, response.statusText, await response.text());
}

/** The CSRF token the server set in the readable `pd_csrf` cookie, for the `x-csrf-token` header of a mutation. */
export function csrfToken(): string | undefined {
  return cookie('pd_csrf');
}

/**
 * Calls `/api/v1<path>` with the session cookie; mutations carry the CSRF token the server set in the
 * readable `pd_csrf` cookie. Resolves to the JSON body (undefined when there is none), rejects with an ApiProblem.
 */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Fastify refuses an empty body declared as JSON, so the type goes only with a body.
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = method === 'GET' ? undefined : csrfToken();
  if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await problemFrom(response);
  // 202 and 204 answers may carry no body at all.
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
