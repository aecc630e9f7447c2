import type { FastifyInstance } from 'fastify';
import {
  type Caller,
  callerOf,
  decodeContinuation,
  encodeContinuation,
  type PartnerCenterContext,
  pageSize,
} from './requests.ts';
import type { AuditRecord, Customer, Store, Subscription } from './store.ts';
import { collection, field, link, PartnerCenterError, textField } from './wire.ts';

const dayMs = 86_400_000;
/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch: audit record ids end with ticks. */
const epochTicks = 621_355_968_000_000_000n;
const defaultAuditPageSize = 500;

/** Microsoft serialises the resource inside the record with .NET's PascalCase names, as in the samples. */
function pascalCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCase);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.charAt(0).toUpperCase() + key.slice(1),
      pascalCase(inner),
    ]),
  );
}

export interface Activity {
  customer: Customer;
  operationType: AuditRecord['operationType'];
  resourceType: AuditRecord['resourceType'];
  resourceId: string;
  resource: unknown;
  customizedData: AuditRecord['customizedData'];
}

/** Appends what a mutation did to the activity log, as Partner Center does for every operation. */
export function recordActivity(store: Store, caller: Caller, now: Date, activity: Activity) {
  const sequence = store.auditRecords.length + 1;
  // One tick per record keeps ids unique when the clock stands still (tests).
  const ticks = BigInt(now.getTime()) * 10_000n + epochTicks + BigInt(sequence % 10_000);
  store.auditRecords.push({
    sequence,
    id: [
      caller.partnerTenantId,
      activity.customer.id,
      activity.resourceId,
      activity.operationType.replaceAll('_', ''),
      String(ticks),
    ].join('_'),
    partnerId: caller.partnerTenantId,
    customerId: activity.customer.id,
    customerName: activity.customer.companyName,
    ...(caller.userPrincipalName === undefined ? {} : { userPrincipalName: caller.userPrincipalName }),
    applicationId: caller.applicationId,
    resourceType: activity.resourceType,
    resourceNewValue: JSON.stringify(pascalCase(activity.resource)),
    operationType: activity.operationType,
    originalCorrelationId: caller.correlationId,
    operationDate: now,
    customizedData: activity.customizedData,
  });
}

/** What a subscription PATCH changed, so that a sync can tell a suspension from a rename. */
export function subscriptionChanges(
  before: Subscription,
  after: Subscription,
): AuditRecord['customizedData'] {
  const data: AuditRecord['customizedData'] = [
    { key: 'SubscriptionId', value: after.id },
    { key: 'OfferId', value: after.offerId },
  ];
  const watched = [
    ['Status', before.status, after.status],
    ['AutoRenewEnabled', String(before.autoRenewEnabled), String(after.autoRenewEnabled)],
    ['Quantity', String(before.quantity), String(after.quantity)],
    ['FriendlyName', before.friendlyName, after.friendlyName],
  ] as const;
  for (const [key, old, current] of watched) {
    if (old !== current) data.push({ key: `Previous${key}`, value: old }, { key, value: current });
  }
  return data;
}

function presentAuditRecord(record: AuditRecord) {
  const { sequence: _sequence, operationDate, ...rest } = record;
  return {
    ...rest,
    participants: [record.partnerId],
    operationDate: operationDate.toISOString(),
    operationStatus: 'succeeded',
    attributes: { objectType: 'AuditRecord' },
  };
}

/** `2025-03-10` covers that whole UTC day; a full ISO instant is taken as it is. */
function parseBound(raw: string | undefined, name: string, end: boolean): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const instant = new Date(dateOnly ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(instant.getTime())) {
    throw new PartnerCenterError(
      400,
      '400',
      `${name} '${raw}' is not a date (yyyy-mm-dd) or an ISO 8601 instant.`,
    );
  }
  return dateOnly && end ? new Date(instant.getTime() + dayMs) : instant;
}

type RecordFilter = (record: AuditRecord) => boolean;

/** The documented filter: URL-encoded JSON `{"Field", "Value", "Operator"}` on three fields. */
function parseFilter(raw: string | undefined): RecordFilter {
  if (raw === undefined || raw === '') return () => true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PartnerCenterError(400, '400', 'filter must be JSON: {"Field":…,"Value":…,"Operator":…}.');
  }
  const name = textField(parsed, 'field')?.toLowerCase();
  const value = textField(parsed, 'value')?.toLowerCase() ?? '';
  const operator = textField(parsed, 'operator')?.toLowerCase();
  if (name === 'companyname' && operator === 'substring') {
    return (record) => record.customerName.toLowerCase().includes(value);
  }
  if (name === 'customerid' && operator === 'equals') return (record) => record.customerId === value;
  if (name === 'resourcetype' && operator === 'equals') return (record) => record.resourceType === value;
  throw new PartnerCenterError(
    400,
    '400',
    `Unsupported filter ${JSON.stringify(field(parsed, 'field') ?? null)} ${JSON.stringify(field(parsed, 'operator') ?? null)}: use CompanyName substring, CustomerId equals or ResourceType equals.`,
  );
}

type AuditQuery = {
  Querystring: {
    startDate?: string;
    endDate?: string;
    filter?: string;
    size?: string;
    seekOperation?: string;
  };
};

export function registerActivityLogRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  app.get<AuditQuery>('/v1/auditrecords', async (request) => {
    const { partnerTenantId } = callerOf(context, request);
    const now = context.clock.now();
    const { query } = request;
    // Without dates the last 30 days; nothing older than 90 days is kept (the documented limits).
    const start = parseBound(query.startDate, 'startDate', false) ?? new Date(now.getTime() - 30 * dayMs);
    const end = parseBound(query.endDate, 'endDate', true) ?? new Date(now.getTime() + 1);
    if (start.getTime() < now.getTime() - 90 * dayMs) {
      throw new PartnerCenterError(400, '400', 'startDate must be within the last 90 days.');
    }
    if (end.getTime() < start.getTime()) {
      throw new PartnerCenterError(400, '400', 'endDate must not be before startDate.');
    }
    const matches = parseFilter(query.filter);
    const size = pageSize(query.size, defaultAuditPageSize);
    const continuation = request.headers['ms-continuationtoken'];
    const position =
      query.seekOperation?.toLowerCase() === 'next' && typeof continuation === 'string'
        ? decodeContinuation(partnerTenantId, continuation)
        : { offset: 0 };
    const ceiling = position.ceiling ?? context.store.auditRecords.length;
    // Newest first, as in the documented response.
    const all = context.store.auditRecords
      .filter(
        (record) =>
          record.sequence <= ceiling &&
          record.partnerId === partnerTenantId &&
          record.operationDate.getTime() >= start.getTime() &&
          record.operationDate.getTime() < end.getTime() &&
          matches(record),
      )
      .reverse();
    const page = all.slice(position.offset, position.offset + size);
    const parameters = new URLSearchParams();
    if (query.startDate) parameters.set('startDate', query.startDate);
    if (query.endDate) parameters.set('endDate', query.endDate);
    if (query.filter) parameters.set('filter', query.filter);
    parameters.set('size', String(size));
    const links: Record<string, ReturnType<typeof link>> = { self: link(`/v1/auditrecords?${parameters}`) };
    if (position.offset + size < all.length) {
      parameters.set('seekOperation', 'Next');
      links.next = {
        ...link(`/v1/auditrecords?${parameters}`),
        headers: [
          {
            key: 'MS-ContinuationToken',
            value: encodeContinuation(partnerTenantId, position.offset + size, ceiling),
          },
        ],
      };
    }
    return collection(page.map(presentAuditRecord), links);
  });
}
