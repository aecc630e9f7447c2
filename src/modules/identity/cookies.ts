import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '#platform/app';
import { SESSION_LIFETIME_MS } from './sessions.ts';
import type { ClientMeta, SignInResult } from './sign-in.ts';

export const SESSION_COOKIE = 'pd_session';
/** Readable by the web app, which echoes it in `x-csrf-token` on every mutation. */
export const CSRF_COOKIE = 'pd_csrf';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name)
      return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

function cookie(
  name: string,
  value: string,
  options: { httpOnly: boolean; maxAgeSeconds: number; secure: boolean },
) {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Secure cookies whenever the installation is reached over https (PUBLIC_URL). */
function secureCookies(app: AppContext): boolean {
  return app.config.publicUrl.startsWith('https://');
}

/** Hands the browser the session a sign-in step produced; returns the step for the response body. */
export function startSession(app: AppContext, reply: FastifyReply, result: SignInResult) {
  setSessionCookies(reply, secureCookies(app), result.token, result.csrfToken, SESSION_LIFETIME_MS / 1000);
  return { step: result.step };
}

export function endSessionCookies(app: AppContext, reply: FastifyReply) {
  clearSessionCookies(reply, secureCookies(app));
}

/** Where a request comes from, as sign-in records it. */
export function clientMeta(request: FastifyRequest): ClientMeta {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    requestId: String(request.id),
  };
}

function setSessionCookies(
  reply: FastifyReply,
  secure: boolean,
  token: string,
  csrf: string,
  maxAgeSeconds: number,
) {
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, token, { httpOnly: true, maxAgeSeconds, secure }),
    cookie(CSRF_COOKIE, csrf, { httpOnly: false, maxAgeSeconds, secure }),
  ]);
}

function clearSessionCookies(reply: FastifyReply, secure: boolean) {
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, '', { httpOnly: true, maxAgeSeconds: 0, secure }),
    cookie(CSRF_COOKIE, '', { httpOnly: false, maxAgeSeconds: 0, secure }),
  ]);
}
