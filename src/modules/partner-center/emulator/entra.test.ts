import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type RunningEmulator, startEmulator } from './server.ts';
import { partnerCenter } from './test-helpers.ts';

const clock = fixedClock('2025-03-10T09:00:00Z');
let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ clock });
});
after(() => emulator.close());

function token(path: string, form: Record<string, string>) {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

function partner(index = 0) {
  const credentials = emulator.admin.credentials[index]!;
  return { credentials, app: { client_id: credentials.clientId, client_secret: credentials.clientSecret } };
}

describe('emulator › Entra token endpoints', () => {
  it('v1 client_credentials › issues a Partner Center token with numbers as strings, as documented', async () => {
    const { credentials, app } = partner();
    const response = await token(`/${credentials.tenantId}/oauth2/token`, {
      ...app,
      grant_type: 'client_credentials',
      resource: 'https://api.partnercenter.microsoft.com',
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, '3600');
    assert.equal(body.resource, 'https://api.partnercenter.microsoft.com');
    assert.equal(body.refresh_token, undefined);
    const customers = await partnerCenter(emulator, String(body.access_token))('/v1/customers');
    assert.equal(customers.status, 200);
  });

  it('v2 client_credentials › accepts the tenant domain and a .default scope', async () => {
    const { credentials, app } = partner(2);
    const response = await token(`/${credentials.domain}/oauth2/v2.0/token`, {
      ...app,
      grant_type: 'client_credentials',
      scope: 'https://api.partnercenter.microsoft.com/.default',
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.expires_in, 3600);
    assert.equal(typeof body.access_token, 'string');
  });

  it('refresh_token › returns an access token and a new refresh token, both of which work', async () => {
    const { credentials, app } = partner();
    const first = await token(`/${credentials.tenantId}/oauth2/token`, {
      ...app,
      grant_type: 'refresh_token',
      refresh_token: credentials.refreshToken,
      resource: 'https://api.partnercenter.microsoft.com',
      scope: 'openid',
    });
    assert.equal(first.status, 200);
    const body = (await first.json()) as Record<string, string>;
    assert.equal(body.scope, 'user_impersonation');
    assert.notEqual(body.refresh_token, credentials.refreshToken);
    const second = await token(`/${credentials.tenantId}/oauth2/v2.0/token`, {
      ...app,
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token!,
      scope: 'https://api.partnercenter.microsoft.com/user_impersonation offline_access',
    });
    assert.equal(second.status, 200);
  });

  it('refresh_token › a revoked consent gives invalid_grant with AADSTS50173, for every token of it', async () => {
    const { credentials, app } = partner(1);
    const form = { ...app, grant_type: 'refresh_token', resource: 'https://api.partnercenter.microsoft.com' };
    const renewed = (await (
      await token(`/${credentials.tenantId}/oauth2/token`, {
        ...form,
        refresh_token: credentials.refreshToken,
      })
    ).json()) as { refresh_token: string };
    const revoke = await fetch(`${emulator.url}/_emulator/refresh-tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: credentials.refreshToken }),
    });
    assert.equal(revoke.status, 204);
    for (const refreshToken of [credentials.refreshToken, renewed.refresh_token]) {
      const response = await token(`/${credentials.tenantId}/oauth2/token`, {
        ...form,
        refresh_token: refreshToken,
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as {
        error: string;
        error_description: string;
        error_codes: number[];
      };
      assert.equal(body.error, 'invalid_grant');
      assert.match(body.error_description, /^AADSTS50173: /);
      assert.deepEqual(body.error_codes, [50173]);
    }
  });

  it('refresh_token › unused for more than 90 days gives invalid_grant with AADSTS700082', async () => {
    const ownClock = fixedClock('2025-03-10T09:00:00Z');
    const running = await startEmulator({ clock: ownClock });
    try {
      const credentials = running.admin.credentials[0]!;
      ownClock.advance(91 * 86_400_000);
      const response = await fetch(`${running.url}/${credentials.tenantId}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: credentials.refreshToken,
          resource: 'https://api.partnercenter.microsoft.com',
        }),
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: string; error_codes: number[] };
      assert.equal(body.error, 'invalid_grant');
      assert.deepEqual(body.error_codes, [700082]);
    } finally {
      await running.close();
    }
  });

  it('client_credentials › a wrong secret is invalid_client (401), an unknown tenant AADSTS90002', async () => {
    const { credentials, app } = partner();
    const wrong = await token(`/${credentials.tenantId}/oauth2/token`, {
      ...app,
      client_secret: 'not-the-secret',
      grant_type: 'client_credentials',
      resource: 'https://api.partnercenter.microsoft.com',
    });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
    const unknown = await token('/00000000-0000-4000-8000-000000000000/oauth2/token', {
      ...app,
      grant_type: 'client_credentials',
      resource: 'https://api.partnercenter.microsoft.com',
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(((await unknown.json()) as { error_codes: number[] }).error_codes, [90002]);
  });
});
