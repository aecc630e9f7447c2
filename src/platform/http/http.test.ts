import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Type from 'typebox';
import type { AppModule, RunningApp } from '#platform/app';
import { invalid } from '#platform/errors';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';

const partnerA = '00000000-0000-4000-8000-00000000000a';
let imports = 0;
let releaseSlow: (() => void) | undefined;

async function slowRequestStarted(): Promise<() => void> {
  for (;;) {
    if (releaseSlow) return releaseSlow;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Routes shaped like the business ones, to exercise the platform's rules. */
const exampleModule: AppModule = {
  name: 'example',
  routes(api) {
    api.post(
      '/examples/imports',
      {
        config: { access: { permission: 'vendor_bills.manage' }, idempotent: true },
        schema: {
          body: Type.Object({ file: Type.String({ minLength: 1 }), amount: Type.Optional(Type.String()) }),
          response: { 201: Type.Object({ importNumber: Type.Integer(), file: Type.String() }) },
        },
      },
      async (request, reply) => {
        if (request.body.amount === 'bad')
          throw invalid('invalid-amount', 'amount is not a number', { field: 'amount' });
        if (request.body.file === 'slow') await new Promise<void>((resolve) => (releaseSlow = resolve));
        imports += 1;
        return reply.code(201).send({ importNumber: imports, file: request.body.file });
      },
    );
    api.post(
      '/examples/tokens',
      {
        config: { access: 'signed-in', idempotent: true, secretResponse: true },
        schema: { response: { 201: Type.Object({ token: Type.String() }) } },
      },
      async (_request, reply) => reply.code(201).send({ token: `secret-${Math.random()}` }),
    );
    api.get('/examples/boom', { config: { access: 'public' } }, async () => {
      throw new Error('database password is hunter2');
    });
  },
};

for (const engine of engines()) {
  describe(`http on ${engine}`, () => {
    let running: RunningApp;
    before(async () => {
      running = await startTestApp({ engine, modules: [exampleModule], authenticator: headerAuthenticator });
    });
    after(() => running.close());
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      running.http.inject({ method: 'POST', url, payload: body as object, headers });
    const billingAdmin = staffHeader(partnerA, ['vendor_bills.manage']);

    it('health › /healthz answers while the process lives and /readyz checks the database', async () => {
      assert.equal((await running.http.inject('/healthz')).json().status, 'ok');
      assert.equal((await running.http.inject('/readyz')).json().status, 'ready');
    });

    it('request ids › every response names one, and a sane caller id is kept', async () => {
      const generated = await running.http.inject('/healthz');
      assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      const kept = await running.http.inject({ url: '/healthz', headers: { 'x-request-id': 'caller-42' } });
      assert.equal(kept.headers['x-request-id'], 'caller-42');
      const refused = await running.http.inject({
        url: '/healthz',
        headers: { 'x-request-id': 'bad id\nwith newline' },
      });
      assert.notEqual(refused.headers['x-request-id'], 'bad id\nwith newline');
    });

    it('problems › validation names the missing field in RFC 9457 problem+json', async () => {
      const response = await post('/api/v1/examples/imports', {}, billingAdmin);
      assert.equal(response.statusCode, 400);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const body = response.json();
      assert.equal(body.type, '/problems/invalid-request');
      assert.equal(body.field, 'body.file');
      assert.equal(body.status, 400);
      assert.equal(body.requestId, response.headers['x-request-id']);
    });

    it('problems › a domain error keeps its code and field', async () => {
      const response = await post('/api/v1/examples/imports', { file: 'a.csv', amount: 'bad' }, billingAdmin);
      assert.equal(response.statusCode, 400);
      assert.deepEqual(
        { type: response.json().type, field: response.json().field, detail: response.json().detail },
        { type: '/problems/invalid-amount', field: 'amount', detail: 'amount is not a number' },
      );
    });

    it('problems › an unexpected error is a 500 that leaks nothing but the request id', async () => {
      const response = await running.http.inject('/api/v1/examples/boom');
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().type, '/problems/internal');
      assert.doesNotMatch(response.body, /hunter2/);
    });

    it('problems › an unknown API route is a 404 problem', async () => {
      const response = await running.http.inject('/api/v1/nothing-here');
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().type, '/problems/not-found');
    });

    it('access › anonymous gets 401, a signed-in actor without the permission 403', async () => {
      assert.equal((await post('/api/v1/examples/imports', { file: 'a.csv' })).statusCode, 401);
      const forbidden = await post(
        '/api/v1/examples/imports',
        { file: 'a.csv' },
        staffHeader(partnerA, ['tickets.manage']),
      );
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().type, '/problems/forbidden');
    });

    it('access › a route that declares no access refuses to register', async () => {
      const bad: AppModule = { name: 'bad', routes: (api) => void api.get('/open-door', async () => 'oops') };
      await assert.rejects(
        startTestApp({ engine, modules: [bad] }),
        /GET \/api\/v1\/open-door declares no access/,
      );
    });

    it('idempotency › a retry with the same key gets the stored response and nothing runs twice', async () => {
      const before = imports;
      const headers = { ...billingAdmin, 'idempotency-key': 'import-1' };
      const first = await post('/api/v1/examples/imports', { file: 'march.csv' }, headers);
      const retry = await post('/api/v1/examples/imports', { file: 'march.csv' }, headers);
      assert.equal(first.statusCode, 201);
      assert.equal(retry.statusCode, 201);
      assert.deepEqual(retry.json(), first.json());
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.equal(imports, before + 1);
    });

    it('idempotency › the same key with another body is refused; another actor has its own keys', async () => {
      const headers = { ...billingAdmin, 'idempotency-key': 'import-2' };
      await post('/api/v1/examples/imports', { file: 'april.csv' }, headers);
      const reused = await post('/api/v1/examples/imports', { file: 'may.csv' }, headers);
      assert.equal(reused.statusCode, 422);
      assert.equal(reused.json().type, '/problems/idempotency-key-reused');
      const otherActor = await post(
        '/api/v1/examples/imports',
        { file: 'may.csv' },
        {
          ...staffHeader(partnerA, ['vendor_bills.manage'], 'user-2'),
          'idempotency-key': 'import-2',
        },
      );
      assert.equal(otherActor.statusCode, 201);
    });

    it('idempotency › a duplicate while the first is still running gets 409', async () => {
      const headers = { ...billingAdmin, 'idempotency-key': 'import-slow' };
      releaseSlow = undefined;
      const first = post('/api/v1/examples/imports', { file: 'slow' }, headers);
      const release = await slowRequestStarted();
      const duplicate = await post('/api/v1/examples/imports', { file: 'slow' }, headers);
      assert.equal(duplicate.statusCode, 409);
      assert.equal(duplicate.json().type, '/problems/idempotency-in-progress');
      release();
      assert.equal((await first).statusCode, 201);
    });

    it('idempotency › a response carrying secrets is never stored or replayed', async () => {
      const headers = { ...billingAdmin, 'idempotency-key': 'token-1' };
      const first = await post('/api/v1/examples/tokens', {}, headers);
      assert.equal(first.statusCode, 201);
      const retry = await post('/api/v1/examples/tokens', {}, headers);
      assert.equal(retry.statusCode, 409);
      assert.equal(retry.json().type, '/problems/idempotency-not-replayable');
      assert.doesNotMatch(retry.body, /secret-/);
      const { rows } = (await running.app.database.db.execute(
        (
          await import('drizzle-orm')
        ).sql`select response_body from idempotency_keys where key = 'token-1'`,
      )) as unknown as { rows: { response_body: unknown }[] };
      assert.equal(rows[0]!.response_body, null);
    });

    it('idempotency › a malformed key is refused naming the header', async () => {
      const response = await post(
        '/api/v1/examples/imports',
        { file: 'x' },
        { ...billingAdmin, 'idempotency-key': 'has space' },
      );
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().field, 'Idempotency-Key');
    });

    it('security headers › CSP, no sniffing, no framing', async () => {
      const response = await running.http.inject('/healthz');
      assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
    });

    it('OpenAPI › the document lists the API routes and the docs page is served', async () => {
      const spec = (await running.http.inject('/api/docs/json')).json();
      assert.equal(spec.openapi, '3.1.0');
      assert.ok(spec.paths['/api/v1/examples/imports'].post);
      assert.ok(spec.paths['/api/v1/jobs/{id}'].get);
      const page = await running.http.inject('/api/docs/');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /swagger/i);
    });
  });
}
