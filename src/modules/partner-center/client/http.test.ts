import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { resolveCloud } from './clouds.ts';
import { createHttp } from './http.ts';
import type { TokenSource } from './tokens.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A blob server: `/steady` sends six chunks 80 ms apart, `/stalls` one chunk and then nothing for a second. */
let server: Server;
let url: string;
before(async () => {
  server = createServer(async (request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    if (request.url?.startsWith('/steady')) {
      for (let chunk = 0; chunk < 6; chunk++) {
        response.write(`chunk ${chunk}\n`);
        await pause(80);
      }
    } else {
      response.write('chunk 0\n');
      await pause(1_000);
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function http() {
  const noTokens: TokenSource = {
    token: async () => {
      throw new Error('a signed URL needs no token');
    },
    invalidate: () => {},
  } as unknown as TokenSource;
  return createHttp({
    cloud: resolveCloud('public', { baseUrl: url }),
    tokens: noTokens,
    fetch: globalThis.fetch,
    sleep: async () => {},
    now: Date.now,
    random: () => 1,
    newId: randomUUID,
    maxAttempts: 1,
    timeoutMs: 200,
    maxWaitMs: 1_000,
    locale: 'en-US',
  });
}

async function text(body: ReadableStream<Uint8Array> | null): Promise<string> {
  return new Response(body).text();
}

const blob = (path: string) => ({
  method: 'GET',
  path: `${url}${path}`,
  correlationId: randomUUID(),
  expecting: 'a blob',
  signedUrl: true,
});

describe('partner-center › http › streamed bodies', () => {
  it('a body read for longer than the request limit is read whole while chunks keep coming', async () => {
    const answer = await http().sendRaw(blob('/steady'));
    // About 480 ms in all, well past the 200 ms limit, never silent for 200 ms.
    assert.equal(await text(answer.body), [0, 1, 2, 3, 4, 5].map((n) => `chunk ${n}\n`).join(''));
  });

  it('a body that goes silent for longer than the limit is aborted, not waited on for ever', async () => {
    const answer = await http().sendRaw(blob('/stalls'));
    await assert.rejects(text(answer.body), (error: Error) => {
      assert.match(
        `${error.name} ${error.message} ${(error.cause as Error | undefined)?.name ?? ''}`,
        /abort|timed? ?out/i,
      );
      return true;
    });
  });
});
