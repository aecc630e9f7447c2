import type { FastifyReply, FastifyRequest } from 'fastify';

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
export function setSessionCookies(
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

export function clearSessionCookies(reply: FastifyReply, secure: boolean) {
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, '', { httpOnly: true, maxAgeSeconds: 0, secure }),
    cookie(CSRF_COOKIE, '', { httpOnly: false, maxAgeSeconds: 0, secure }),
  ]);
}
