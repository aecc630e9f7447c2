import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallOptions, PartnerCenterClientOptions } from './client.ts';
import { type CloudInstance, PARTNER_CENTER_RESOURCE, resolveCloud } from './clouds.ts';
import { PartnerCenterResponseError } from './errors.ts';
import { createHttp, type HttpService, type PartnerCenterHttp } from './http.ts';
import { type Link, type Page, parsePage } from './resources.ts';
import { createTokenSource, type TokenSource } from './tokens.ts';

export interface Connection {
  cloud: CloudInstance;
  /** Partner Center's HTTP. */
  http: PartnerCenterHttp;
  /** Every item of every page: the first request, then each `links.next` with its headers. */
  pages<T>(
    first: string,
    expecting: string,
    parseItem: (item: unknown, path: string) => T,
    call: CallOptions | undefined,
  ): AsyncIterable<T>;
  /** The same HTTP (retries, timeouts, the same credentials) for another Microsoft API: Graph. */
  httpFor(resource: string, service: HttpService): PartnerCenterHttp;
  /** How the client waits (a test's is instant), and the longest wait it sleeps through itself. */
  sleep(ms: number): Promise<void>;
  maxWaitMs: number;
}

/** What every client of one connection shares: the cloud, its tokens, HTTP with retries, paging. */
export function connect(options: PartnerCenterClientOptions): Connection {
  const cloud = resolveCloud(options.cloud, {
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(options.authority !== undefined && { authority: options.authority }),
    ...(options.graphUrl !== undefined && { graphUrl: options.graphUrl }),
  });
  const fetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const tokensFor = (resource: string) =>
    createTokenSource({
      cloud,
      credentials: options.credentials,
      resource,
      fetch,
      now,
      timeoutMs,
      ...(options.tokenEndpoint && { endpoint: options.tokenEndpoint }),
      ...(options.onRefreshToken && { onRefreshToken: options.onRefreshToken }),
    });
  const httpWith = (tokens: TokenSource, service?: HttpService) =>
    createHttp({
      cloud,
      tokens,
      fetch,
      now,
      sleep,
      random: options.random ?? Math.random,
      newId: randomUUID,
      maxAttempts: options.maxAttempts ?? 5,
      timeoutMs,
      maxWaitMs,
      locale: options.locale ?? 'en-US',
      ...(service && { service }),
    });
  const http = httpWith(tokensFor(PARTNER_CENTER_RESOURCE));

  async function* pages<T>(
    first: string,
    expecting: string,
    parseItem: (item: unknown, path: string) => T,
    call: CallOptions | undefined,
  ): AsyncIterable<T> {
    const correlationId = call?.correlationId ?? randomUUID();
    const seen = new Set<string>();
    let link: Link | undefined = { uri: first, method: 'GET', headers: [] };
    while (link) {
      const key = `${link.uri} ${JSON.stringify(link.headers)}`;
      if (seen.has(key)) {
        throw new PartnerCenterResponseError(
          `Partner Center's next link repeats ${link.uri} with the same continuation token; paging stopped`,
          { correlationId },
        );
      }
      seen.add(key);
      const page: Page<T> = await http.send(
        {
          method: link.method,
          path: link.uri,
          correlationId,
          expecting,
          headers: Object.fromEntries(link.headers.map((header) => [header.key, header.value])),
        },
        (json) => parsePage(json, parseItem),
      );
      yield* page.items;
      link = page.next;
    }
  }

  return {
    cloud,
    http,
    pages,
    httpFor: (resource, service) => httpWith(tokensFor(resource), service),
    sleep,
    maxWaitMs,
  };
}
