import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createPartnerCenterClient, type PartnerCenterClientOptions } from './client.ts';
import { cloudInstances, resolveCloud } from './clouds.ts';
import { PartnerCenterAuthError, PartnerCenterError, PartnerCenterResponseError } from './errors.ts';
import { parseSubscription } from './resources.ts';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long (the client has given up by then). */
  delayMs?: number;
}

/**
 * A tiny stand-in for Partner Center and its token authority on 127.0.0.1, answering from a script:
 * `api` replies to /v1 calls in order (the last one repeats), `token` to token requests.
 */
async function fakePartnerCenter(script: { api: Reply[]; token?: Reply[] }) {
  const api: Seen[] = [];
  const token: Seen[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const seen = { method: request.method!, path: request.url!, headers: request.headers, body };
    const isToken = request.url!.includes('/oauth2/');
    const log = isToken ? token : api;
    log.push(seen);
    const replies = isToken
      ? (script.token ?? [{ body: { access_token: `token-${token.length}`, expires_in: '3600' } }])
      : script.api;
    const reply = replies[Math.min(log.length, replies.length) - 1]!;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    response.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers });
    response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url, api, token };
}

const sub = (fields: Record<string, unknown> = {}) => ({
  id: 'sub-1',
  offerId: 'CFQ7TTC0LH18:0001:CFQ7TTC0K971',
  quantity: 15,
  status: 'active',
  autoRenewEnabled: true,
  scheduledNextTermInstructions: { quantity: 20 },
  attributes: { etag: 'etag-1', objectType: 'Subscription' },
  ...fields,
});

function clientFor(url: string, options: Partial<PartnerCenterClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = createPartnerCenterClient({
    cloud: 'public',
    baseUrl: url,
    authority: url,
    credentials: { tenantId: 'partner-tenant', clientId: 'app-id', clientSecret: 'app-secret' },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    maxAttempts: 5,
    timeoutMs: 2_000,
    ...options,
  });
  return { client, sleeps };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

describe('partner-center › client', () => {
  it('throttling › 429 three times with Retry-After, then 200: waits as told and sends the PATCH once more each time', async () => {
    const throttled = {
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 7 seconds.' },
    };
    const pc = await fakePartnerCenter({
      api: [throttled, throttled, throttled, { body: sub({ status: 'suspended' }) }],
    });
    const { client, sleeps } = clientFor(pc.url);
    const suspended = await client.patchSubscription(
      'customer-1',
      { ...parseSubscription(sub()), status: 'suspended' },
      { ifMatch: 'etag-1', correlationId: 'chain-1' },
    );
    assert.equal(suspended.status, 'suspended');
    assert.deepEqual(sleeps, [7000, 7000, 7000]);
    assert.equal(pc.api.length, 4);
    assert.equal(pc.token.length, 1, 'the token is cached across retries');
    for (const seen of pc.api) {
      assert.equal(seen.method, 'PATCH');
      assert.equal(seen.path, '/v1/customers/customer-1/subscriptions/sub-1');
      assert.equal(seen.headers['if-match'], 'etag-1');
      assert.equal(seen.headers['ms-correlationid'], 'chain-1');
      assert.equal(seen.headers.authorization, 'Bearer token-1');
      assert.equal(seen.headers.accept, 'application/json');
      assert.equal(seen.headers['x-locale'], 'en-US');
      assert.deepEqual(JSON.parse(seen.body), sub({ status: 'suspended' }), 'the whole subscription is sent');
    }
    const requestIds = pc.api.map((seen) => seen.headers['ms-requestid']);
    assert.equal(new Set(requestIds).size, 4, 'an answered request gets a new MS-RequestId');
  });

  it('timeout › a request that got no answer is retried with the same MS-RequestId', async () => {
    const pc = await fakePartnerCenter({ api: [{ delayMs: 400, body: sub() }, { body: sub() }] });
    const { client, sleeps } = clientFor(pc.url, { timeoutMs: 100 });
    const read = await client.getSubscription('customer-1', 'sub-1');
    assert.equal(read.id, 'sub-1');
    assert.equal(pc.api.length, 2);
    assert.equal(pc.api[0]!.headers['ms-requestid'], pc.api[1]!.headers['ms-requestid']);
    assert.match(String(pc.api[0]!.headers['ms-requestid']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(sleeps, [500], 'exponential back-off starts at half a second');
  });

  it('unreachable › after the last attempt the error says Partner Center did not answer', async () => {
    const pc = await fakePartnerCenter({ api: [{ delayMs: 300, body: sub() }] });
    const { client, sleeps } = clientFor(pc.url, { timeoutMs: 50, maxAttempts: 3 });
    await assert.rejects(client.getSubscription('customer-1', 'sub-1'), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterError);
      assert.match(
        error.message,
        /did not answer GET \/v1\/customers\/customer-1\/subscriptions\/sub-1 after 3 attempts/,
      );
      assert.equal(error.status, undefined);
      return true;
    });
    assert.equal(pc.api.length, 3);
    assert.equal(new Set(pc.api.map((seen) => seen.headers['ms-requestid'])).size, 1);
    assert.deepEqual(sleeps, [500, 1000]);
  });

  it('server errors › 503 is retried with back-off, 500 is not', async () => {
    const pc = await fakePartnerCenter({ api: [{ status: 503, body: 'busy' }, { body: sub() }] });
    const { client, sleeps } = clientFor(pc.url, { random: () => 0 });
    assert.equal((await client.getSubscription('customer-1', 'sub-1')).id, 'sub-1');
    assert.deepEqual(sleeps, [250], 'jitter takes between half and all of the back-off');

    const broken = await fakePartnerCenter({
      api: [{ status: 500, body: { code: '500', description: 'boom' } }],
    });
    await assert.rejects(
      clientFor(broken.url).client.getSubscription('c', 's'),
      /HTTP 500, code 500\): boom/,
    );
    assert.equal(broken.api.length, 1);
  });

  it('conflict › 409 900278 is reported with its code, description and ids, never retried here', async () => {
    const pc = await fakePartnerCenter({
      api: [
        {
          status: 409,
          body: {
            code: 900278,
            description:
              'There is a pending operation on this subscription. Please try again after 24 hours.',
            data: [],
            source: 'PartnerFD',
          },
        },
      ],
    });
    const { client, sleeps } = clientFor(pc.url);
    await assert.rejects(
      client.patchSubscription('customer-1', parseSubscription(sub()), { ifMatch: 'etag-1' }),
      (error: unknown) => {
        assert.ok(error instanceof PartnerCenterError);
        assert.equal(error.status, 409);
        assert.equal(error.code, '900278');
        assert.equal(
          error.description,
          'There is a pending operation on this subscription. Please try again after 24 hours.',
        );
        assert.equal(error.requestId, pc.api[0]!.headers['ms-requestid']);
        assert.equal(error.correlationId, pc.api[0]!.headers['ms-correlationid']);
        assert.match(
          error.message,
          /refused PATCH \/v1\/customers\/customer-1\/subscriptions\/sub-1 \(HTTP 409, code 900278\)/,
        );
        return true;
      },
    );
    assert.equal(pc.api.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('throttling › a Retry-After longer than the client may wait goes back to the caller with its seconds', async () => {
    const later = new Date(Date.UTC(2025, 0, 1, 0, 10)).toUTCString();
    const pc = await fakePartnerCenter({
      api: [{ status: 429, headers: { 'Retry-After': later }, body: {} }],
    });
    const { client, sleeps } = clientFor(pc.url, { now: () => Date.UTC(2025, 0, 1), maxWaitMs: 60_000 });
    await assert.rejects(client.getCustomer('customer-1'), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterError);
      assert.equal(error.retryAfter, 600);
      return true;
    });
    assert.deepEqual(sleeps, []);
  });

  it('authentication › a 401 renews the token once and the call succeeds', async () => {
    const pc = await fakePartnerCenter({ api: [{ status: 401, body: {} }, { body: sub() }] });
    const { client } = clientFor(pc.url);
    assert.equal((await client.getSubscription('customer-1', 'sub-1')).id, 'sub-1');
    assert.equal(pc.token.length, 2);
    assert.equal(pc.api[0]!.headers.authorization, 'Bearer token-1');
    assert.equal(pc.api[1]!.headers.authorization, 'Bearer token-2');
  });

  it('authentication › a second 401 stops with PartnerCenterAuthError', async () => {
    const pc = await fakePartnerCenter({
      api: [{ status: 401, body: { code: '401', description: 'Unauthorized' } }],
    });
    const { client } = clientFor(pc.url);
    await assert.rejects(client.getCustomer('customer-1'), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterAuthError);
      assert.equal(error.status, 401);
      assert.match(error.message, /refused the connection's token twice/);
      return true;
    });
    assert.equal(pc.api.length, 2);
  });

  it('authentication › a revoked refresh token names the cloud and says to renew the consent', async () => {
    const pc = await fakePartnerCenter({
      api: [{ body: sub() }],
      token: [
        {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'AADSTS70008: The refresh token has expired.' },
        },
      ],
    });
    const { client } = clientFor(pc.url, {
      cloud: 'china',
      credentials: { tenantId: 't', clientId: 'a', clientSecret: 's', refreshToken: 'old-refresh' },
    });
    await assert.rejects(client.getCustomer('customer-1'), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterAuthError);
      assert.equal(error.code, 'invalid_grant');
      assert.match(error.message, /Partner Center operated by 21Vianet/);
      assert.match(error.message, /AADSTS70008/);
      assert.match(error.message, /Renew the Secure Application Model consent/);
      return true;
    });
    assert.equal(pc.token.length, 1, 'a refused grant is not retried');
    assert.equal(pc.api.length, 0);
  });

  it('tokens › App+User: the refresh token is exchanged for Partner Center, cached, and a rotated one handed over', async () => {
    const pc = await fakePartnerCenter({
      api: [{ body: sub() }],
      token: [{ body: { access_token: 'user-token', expires_in: '3600', refresh_token: 'new-refresh' } }],
    });
    let now = Date.UTC(2025, 0, 1);
    const rotated: string[] = [];
    const { client } = clientFor(pc.url, {
      now: () => now,
      credentials: { tenantId: 'csp-tenant', clientId: 'a', clientSecret: 's', refreshToken: 'old-refresh' },
      onRefreshToken: (token) => {
        rotated.push(token);
      },
    });
    await client.getSubscription('c', 's');
    await client.getSubscription('c', 's');
    assert.equal(pc.token.length, 1, 'cached while valid');
    now += 56 * 60_000;
    await client.getSubscription('c', 's');
    assert.equal(pc.token.length, 2, 'renewed five minutes before expiry');
    assert.equal(pc.token[0]!.path, '/csp-tenant/oauth2/token');
    const first = new URLSearchParams(pc.token[0]!.body);
    assert.equal(first.get('grant_type'), 'refresh_token');
    assert.equal(first.get('refresh_token'), 'old-refresh');
    assert.equal(first.get('resource'), 'https://api.partnercenter.microsoft.com');
    assert.equal(new URLSearchParams(pc.token[1]!.body).get('refresh_token'), 'new-refresh');
    assert.deepEqual(rotated, ['new-refresh']);
  });

  it('tokens › App-only on the v2 endpoint asks for the Partner Center .default scope', async () => {
    const pc = await fakePartnerCenter({ api: [{ body: sub() }] });
    const { client } = clientFor(pc.url, { tokenEndpoint: 'v2' });
    await client.getSubscription('c', 's');
    assert.equal(pc.token[0]!.path, '/partner-tenant/oauth2/v2.0/token');
    const form = new URLSearchParams(pc.token[0]!.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'https://api.partnercenter.microsoft.com/.default');
    assert.equal(form.get('client_secret'), 'app-secret');
  });

  it('malformed body › a 200 that is not JSON is reported with what came', async () => {
    const pc = await fakePartnerCenter({ api: [{ body: '<html><body>Service Unavailable</body></html>' }] });
    const { client } = clientFor(pc.url);
    await assert.rejects(client.getCustomer('customer-1'), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterResponseError);
      assert.equal(
        error.message,
        'Partner Center answered 200 to GET /v1/customers/customer-1 with a body that is not JSON: <html><body>Service Unavailable</body></html>',
      );
      return true;
    });
    assert.equal(pc.api.length, 1);
  });

  it('malformed body › an unusable field is named by its path', async () => {
    const pc = await fakePartnerCenter({
      api: [{ body: { totalCount: 2, items: [sub(), sub({ quantity: 'lots' })] } }],
    });
    const { client } = clientFor(pc.url);
    await assert.rejects(all(client.listSubscriptions('customer-1')), (error: unknown) => {
      assert.ok(error instanceof PartnerCenterResponseError);
      assert.equal(error.path, 'items[1].quantity');
      assert.match(
        error.message,
        /with a page of subscriptions that cannot be used: items\[1\]\.quantity is "lots"/,
      );
      return true;
    });
  });

  it('paging › three pages are followed with their continuation tokens under one correlation id', async () => {
    const customer = (id: string) => ({ id, companyProfile: { tenantId: id, companyName: `Company ${id}` } });
    const next = (token: string) => ({
      next: {
        uri: '/customers?size=2&seekOperation=Next',
        method: 'GET',
        headers: [{ key: 'MS-ContinuationToken', value: token }],
      },
    });
    const pc = await fakePartnerCenter({
      api: [
        { body: { totalCount: 5, items: [customer('c1'), customer('c2')], links: next('token-2') } },
        { body: { totalCount: 5, items: [customer('c3'), customer('c4')], links: next('token-3') } },
        {
          body: {
            totalCount: 5,
            items: [customer('c5')],
            links: { self: { uri: '/customers', headers: [] } },
          },
        },
      ],
    });
    const { client } = clientFor(pc.url, { pageSize: 2 });
    const customers = await all(client.listCustomers());
    assert.deepEqual(
      customers.map((found) => found.id),
      ['c1', 'c2', 'c3', 'c4', 'c5'],
    );
    assert.deepEqual(
      pc.api.map((seen) => [seen.path, seen.headers['ms-continuationtoken']]),
      [
        ['/v1/customers?size=2', undefined],
        ['/v1/customers?size=2&seekOperation=Next', 'token-2'],
        ['/v1/customers?size=2&seekOperation=Next', 'token-3'],
      ],
    );
    assert.equal(new Set(pc.api.map((seen) => seen.headers['ms-correlationid'])).size, 1);
  });

  it('paging › a next link that repeats itself stops instead of looping', async () => {
    const links = {
      next: {
        uri: '/customers?seekOperation=Next',
        headers: [{ key: 'MS-ContinuationToken', value: 'same' }],
      },
    };
    const pc = await fakePartnerCenter({ api: [{ body: { totalCount: 9, items: [], links } }] });
    await assert.rejects(
      all(clientFor(pc.url).client.listCustomers()),
      /repeats \/customers\?seekOperation=Next/,
    );
    assert.equal(pc.api.length, 2);
  });
});

describe('partner-center › clouds', () => {
  it('instances › each has the base URL and authority of the reference', () => {
    assert.equal(cloudInstances.public.apiBaseUrl, 'https://api.partnercenter.microsoft.com');
    assert.equal(cloudInstances.usgov.authority, 'https://login.microsoftonline.us');
    assert.equal(cloudInstances.china.apiBaseUrl, 'https://partner.partnercenterapi.microsoftonline.cn');
    assert.equal(cloudInstances.china.authority, 'https://login.chinacloudapi.cn');
  });

  it('instances › an override replaces the base URL, authority and Graph URL', () => {
    assert.equal(cloudInstances.public.graphUrl, 'https://graph.microsoft.com');
    const cloud = resolveCloud('usgov', {
      baseUrl: 'http://127.0.0.1:9/',
      authority: 'http://127.0.0.1:9',
      graphUrl: 'http://127.0.0.1:9/',
    });
    assert.equal(cloud.apiBaseUrl, 'http://127.0.0.1:9');
    assert.equal(cloud.graphUrl, 'http://127.0.0.1:9');
    assert.equal(cloud.label, 'Partner Center for Microsoft Cloud for US Government');
    assert.equal(resolveCloud('usgov').graphUrl, 'https://graph.microsoft.us');
  });

  it('germany › a client for the retired instance is refused with the reason', () => {
    assert.throws(
      () => clientFor('http://127.0.0.1:9', { cloud: 'germany' }),
      /Microsoft Cloud Germany is retired: Microsoft Cloud Germany closed on 2021-10-29/,
    );
    assert.throws(() => resolveCloud('mars'), /"mars" is not a Partner Center instance/);
  });
});
