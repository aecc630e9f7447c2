import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type AuditRecord, auditRecordsPath, parseAuditRecord } from './audit-records.ts';
import { resolveCloud } from './clouds.ts';
import { PartnerCenterResponseError } from './errors.ts';
import { createHttp } from './http.ts';
import {
  type Customer,
  type Link,
  type Page,
  parseCustomer,
  parsePage,
  parseSubscription,
  type Subscription,
  subscriptionPatchBody,
} from './resources.ts';
import { createTokenSource, type PartnerCenterCredentials } from './tokens.ts';

export interface PartnerCenterClientOptions {
  /** `public`, `usgov` or `china`; `germany` is retired and refused. */
  cloud: string;
  /** Overrides the instance's API base URL (the emulator's, for example). */
  baseUrl?: string;
  /** Overrides the instance's token authority. */
  authority?: string;
  credentials: PartnerCenterCredentials;
  tokenEndpoint?: 'v1' | 'v2';
  onRefreshToken?: (refreshToken: string) => void | Promise<void>;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  maxAttempts?: number;
  timeoutMs?: number;
  maxWaitMs?: number;
  locale?: string;
  /** Items per page asked of list operations. */
  pageSize?: number;
}

/** Calls that belong to one operation (a GET then its PATCH) share a correlation id. */
export interface CallOptions {
  correlationId?: string;
}

export interface PartnerCenterClient {
  readonly cloud: string;
  listCustomers(call?: CallOptions): AsyncIterable<Customer>;
  getCustomer(customerId: string, call?: CallOptions): Promise<Customer>;
  listSubscriptions(customerId: string, call?: CallOptions): AsyncIterable<Subscription>;
  getSubscription(customerId: string, subscriptionId: string, call?: CallOptions): Promise<Subscription>;
  /**
   * PATCH of the whole subscription as read (with the caller's changes), guarded by `If-Match`.
   * Suspend / reactivate / cancel are this call with `status` `suspended` / `active` / `deleted`.
   */
  patchSubscription(
    customerId: string,
    subscription: Subscription,
    options: { ifMatch: string } & CallOptions,
  ): Promise<Subscription>;
  /** The activity log from `startDate` (to `endDate`, default now), newest first. */
  listAuditRecords(startDate: Date, endDate?: Date, call?: CallOptions): AsyncIterable<AuditRecord>;
}

export function createPartnerCenterClient(options: PartnerCenterClientOptions): PartnerCenterClient {
  const cloud = resolveCloud(options.cloud, {
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(options.authority !== undefined && { authority: options.authority }),
  });
  const fetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const tokens = createTokenSource({
    cloud,
    credentials: options.credentials,
    fetch,
    now,
    timeoutMs,
    ...(options.tokenEndpoint && { endpoint: options.tokenEndpoint }),
    ...(options.onRefreshToken && { onRefreshToken: options.onRefreshToken }),
  });
  const http = createHttp({
    cloud,
    tokens,
    fetch,
    now,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    random: options.random ?? Math.random,
    newId: randomUUID,
    maxAttempts: options.maxAttempts ?? 5,
    timeoutMs,
    maxWaitMs: options.maxWaitMs ?? 120_000,
    locale: options.locale ?? 'en-US',
  });
  const pageSize = options.pageSize ?? 100;
  const segment = encodeURIComponent;

  /** Every item of every page: the first request, then each `links.next` with its headers. */
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
    cloud: cloud.name,
    listCustomers: (call) =>
      pages(`/v1/customers?size=${pageSize}`, 'a page of customers', parseCustomer, call),
    getCustomer: (customerId, call) =>
      http.send(
        {
          method: 'GET',
          path: `/v1/customers/${segment(customerId)}`,
          correlationId: call?.correlationId ?? randomUUID(),
          expecting: 'a customer',
        },
        (json) => parseCustomer(json),
      ),
    listSubscriptions: (customerId, call) =>
      pages(
        `/v1/customers/${segment(customerId)}/subscriptions`,
        'a page of subscriptions',
        parseSubscription,
        call,
      ),
    getSubscription: (customerId, subscriptionId, call) =>
      http.send(
        {
          method: 'GET',
          path: `/v1/customers/${segment(customerId)}/subscriptions/${segment(subscriptionId)}`,
          correlationId: call?.correlationId ?? randomUUID(),
          expecting: 'a subscription',
        },
        (json) => parseSubscription(json),
      ),
    patchSubscription: (customerId, subscription, { ifMatch, correlationId }) =>
      http.send(
        {
          method: 'PATCH',
          path: `/v1/customers/${segment(customerId)}/subscriptions/${segment(subscription.id)}`,
          correlationId: correlationId ?? randomUUID(),
          expecting: 'a subscription',
          headers: { 'If-Match': ifMatch },
          body: subscriptionPatchBody(subscription),
        },
        (json) => parseSubscription(json),
      ),
    async *listAuditRecords(startDate, endDate, call) {
      const records = pages(
        auditRecordsPath(startDate, endDate, pageSize),
        'a page of activity records',
        parseAuditRecord,
        call,
      );
      for await (const record of records) {
        const at = record.operationDate.getTime();
        if (at >= startDate.getTime() && (endDate === undefined || at < endDate.getTime())) yield record;
      }
    },
  };
}
