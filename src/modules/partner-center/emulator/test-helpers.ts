import type { RunningEmulator } from './server.ts';

async function token(emulator: RunningEmulator, partner: number, grant: Record<string, string>) {
  const credentials = emulator.admin.credentials[partner]!;
  const response = await fetch(`${emulator.url}/${credentials.tenantId}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...grant,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      resource: 'https://api.partnercenter.microsoft.com',
    }),
  });
  if (response.status !== 200)
    throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Shared by the emulator's tests: plain `fetch`, never the partner-center client. */
export function appOnlyToken(emulator: RunningEmulator, partner = 0): Promise<string> {
  return token(emulator, partner, { grant_type: 'client_credentials' });
}

/** An App+User token from the partner's seeded Secure Application Model refresh token. */
export function appUserToken(emulator: RunningEmulator, partner = 0): Promise<string> {
  return token(emulator, partner, {
    grant_type: 'refresh_token',
    refresh_token: emulator.admin.credentials[partner]!.refreshToken,
  });
}

export function partnerCenter(emulator: RunningEmulator, token: string) {
  return (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    fetch(`${emulator.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
}
