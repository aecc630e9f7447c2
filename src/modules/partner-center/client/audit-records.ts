/**
 * Partner Center's activity log (`GET /v1/auditrecords`, reference §2.11): one record per operation on
 * the partner's customers, newest first. Partner Center has no changed-since filter on customers or
 * subscriptions; this log is what narrows a sync to the customers something happened to. Read with the
 * tolerant readers of read-fields.ts, as resources are.
 */
import {
  join,
  objectAt,
  optionalKeyword,
  optionalList,
  optionalText,
  ResourceParseError,
  requiredDate,
  requiredText,
} from './read-fields.ts';

export interface AuditRecord {
  id: string;
  /** The customer's tenant id; undefined for operations on the partner itself. */
  customerId: string | undefined;
  customerName: string | undefined;
  /** Lower case: `add_customer`, `update_subscription`, `create_order`, … (an open set). */
  operationType: string | undefined;
  /** Lower case: `customer`, `subscription`, `order`, … */
  resourceType: string | undefined;
  operationDate: Date;
  operationStatus: string | undefined;
  /** `{ key, value }` pairs as Partner Center sent them (`SubscriptionId`, `PreviousStatus`, …). */
  customizedData: Array<{ key: string; value: string | null }>;
  raw: Record<string, unknown>;
}

/** Days in `yyyy-mm-dd` as the documented request has them: Partner Center's own unit. */
function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The first page's path. Partner Center takes whole UTC days (`endDate` inclusive); the client drops
 * records outside the exact instants asked for.
 */
export function auditRecordsPath(startDate: Date, endDate: Date | undefined, size: number): string {
  const parameters = new URLSearchParams({ startDate: day(startDate) });
  if (endDate !== undefined) parameters.set('endDate', day(endDate));
  parameters.set('size', String(Math.min(size, 500)));
  return `/v1/auditrecords?${parameters}`;
}

export function parseAuditRecord(value: unknown, path = ''): AuditRecord {
  const body = objectAt(value, path);
  const id = requiredText(body, 'id', path);
  const date = requiredDate(body, 'operationDate', path);
  // A JavaScript Date keeps milliseconds: Partner Center's seven-digit fractions are cut to three.
  const operationDate = new Date(date.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(operationDate.getTime())) {
    throw new ResourceParseError(join(path, 'operationDate'), `is "${date}", not a date`);
  }
  return {
    id,
    // Empty for an operation on the partner itself.
    customerId: optionalKeyword(body, 'customerId', path) || undefined,
    customerName: optionalText(body, 'customerName', path),
    operationType: optionalKeyword(body, 'operationType', path),
    resourceType: optionalKeyword(body, 'resourceType', path),
    operationDate,
    operationStatus: optionalKeyword(body, 'operationStatus', path),
    customizedData: optionalList(body, 'customizedData', path).map((item, index) => {
      const at = `${join(path, 'customizedData')}[${index}]`;
      const entry = objectAt(item, at);
      return { key: requiredText(entry, 'key', at), value: optionalText(entry, 'value', at) ?? null };
    }),
    raw: body,
  };
}
