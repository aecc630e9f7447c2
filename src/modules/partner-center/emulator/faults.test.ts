import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, partnerCenter } from './test-helpers.ts';

let emulator: RunningEmulator;
let call: ReturnType<typeof partnerCenter>;

before(async () => {
  // Configured at start: the first two customer requests are throttled.
  emulator = await startEmulator({
    faults: { throttle: { count: 2, retryAfterSeconds: 3, path: '/v1/customers' } },
  });
  call = partnerCenter(emulator, await appOnlyToken(emulator));
});
after(() => emulator.close());

function setFaults(faults: unknown) {
  return fetch(`${emulator.url}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

describe('emulator › fault injection', () => {
  it('throttle › 429 with Retry-After and the documented body for N requests, then success', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await call('/v1/customers');
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '3');
      assert.deepEqual(await response.json(), {
        statusCode: 429,
        message: 'Rate limit is exceeded. Try again in 3 seconds.',
      });
    }
    const response = await call('/v1/customers');
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { items: unknown[] }).items.length, 7);
  });

  it('throttle › limited to a path, other paths are served', async () => {
    assert.equal((await setFaults({ throttle: { count: 1, path: '/v1/customers/' } })).status, 200);
    assert.equal((await call('/v1/customers')).status, 200);
    const customerId = emulator.admin.state().customers[0]!.id;
    assert.equal((await call(`/v1/customers/${customerId}`)).status, 429);
    assert.equal((await call(`/v1/customers/${customerId}`)).status, 200);
  });

  it('unavailable › transient 503s, changed at runtime through the admin endpoint', async () => {
    await setFaults({ unavailable: { count: 1 } });
    assert.equal((await call('/v1/customers')).status, 503);
    assert.equal((await call('/v1/customers')).status, 200);
  });

  it('malformed › the next response is not valid JSON, the one after is', async () => {
    await setFaults({ malformed: { count: 1 } });
    const broken = await call('/v1/customers');
    assert.equal(broken.status, 200);
    const text = await broken.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
    assert.ok(text.startsWith('{'));
    const next = await (await call('/v1/customers')).text();
    assert.doesNotThrow(() => JSON.parse(next));
  });

  it('delay › responses wait the configured time', async () => {
    await setFaults({ delayMs: 150 });
    const started = performance.now();
    assert.equal((await call('/v1/customers')).status, 200);
    assert.ok(performance.now() - started >= 140);
    await setFaults({});
    assert.deepEqual(await (await fetch(`${emulator.url}/_emulator/faults`)).json(), {});
  });

  it('admin › a bad fault configuration is refused with what was wrong', async () => {
    const response = await setFaults({ throttle: { count: -1 } });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { description: string }).description, /throttle\.count/);
  });
});
