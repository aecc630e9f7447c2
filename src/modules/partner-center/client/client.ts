import { randomUUID } from 'node:crypto';
import { type AuditRecord, auditRecordsPath, parseAuditRecord } from './audit-records.ts';
import { connect } from './connect.ts';
import {
  type Customer,
  parseCustomer,
  parseSubscription,
  type Subscription,
  subscriptionPatchBody,
} from './resources.ts';
import type { PartnerCenterCredentials } from './tokens.ts';

export interface PartnerCenterClientOptions {
  /** `public`, `usgov` or `china`; `germany` is retired and refused. */
  cloud: string;
  /** Overrides the instance's API base URL (the emulator's, for example). */
  baseUrl?: string;
  /** Overrides the instance's token authority. */
  authority?: string;
  /** Overrides the instance's Microsoft Graph URL (billing exports). */
  graphUrl?: string;
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
  const { cloud, http, pages } = connect(options);
  const pageSize = options.pageSize ?? 100;
  const segment = encodeURIComponent;

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
