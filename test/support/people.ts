import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { currentTotp, DEMO_PASSWORD, demoTotpSecret } from '#modules/identity';
import type { RunningApp } from '#platform/app';

/** A browser's cookie jar over `inject`: signs in like the web app does and sends the CSRF header. */
export interface Browserless {
  cookies: Map<string, string>;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<InjectResponse>;
}

export function browserless(app: RunningApp): Browserless {
  const cookies = new Map<string, string>();
  return {
    cookies,
    async request(method, url, body, headers = {}) {
      const cookieHeader = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const csrf = cookies.get('pd_csrf');
      const response = await app.http.inject({
        method: method as 'GET',
        url,
        ...(body === undefined ? {} : { payload: body as object }),
        headers: {
          ...(cookieHeader ? { cookie: cookieHeader } : {}),
          ...(csrf && method !== 'GET' ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}),
          'user-agent': 'partnerdesk-tests',
          ...headers,
        },
      });
      const setCookie = response.headers['set-cookie'];
      for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
        const [pair, ...attributes] = line.split(';');
        const [name, value] = pair!.split('=');
        if (attributes.some((attribute) => attribute.trim() === 'Max-Age=0')) cookies.delete(name!.trim());
        else cookies.set(name!.trim(), value!.trim());
      }
      return response;
    },
  };
}

/** Signs a demo person in, giving the TOTP code when asked; fails loudly if any step does. */
export async function signInAsDemo(app: RunningApp, email: string): Promise<Browserless> {
  const person = browserless(app);
  const first = await person.request('POST', '/api/v1/auth/sign-in', { email, password: DEMO_PASSWORD });
  if (first.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${first.body}`);
  if (first.json().step === 'mfa') {
    // A TOTP code is accepted once: with a test clock, each sign-in moves to a fresh 30-second step.
    const clock = app.app.clock as { advance?: (ms: number) => void };
    clock.advance?.(30_000);
    const code = currentTotp(demoTotpSecret(email), app.app.clock.now());
    const second = await person.request('POST', '/api/v1/auth/mfa', { code });
    if (second.json().step !== 'done') throw new Error(`MFA of ${email} failed: ${second.body}`);
  }
  return person;
}
