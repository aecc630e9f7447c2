/**
 * Partner Center's activity log (`GET /v1/auditrecords`, reference §2.11): one record per operation on
 * the partner's customers, newest first. Partner Center has no changed-since filter on customers or
 * subscriptions; this log is what narrows a sync to the customers something happened to. Read as
 * tolerantly as resources.ts reads resources: any key casing, optional fields missing, and what
 * cannot be used rejected with its path.
 */
import { ResourceParseError } from './resources.ts';

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

type JsonObject = Record<string, unknown>;

function entry(body: JsonObject, name: string, path: string): [unknown, string] {
  const lower = name.toLowerCase();
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === lower);
  return [key === undefined ? undefined : body[key], path === '' ? name : `${path}.${name}`];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(body: JsonObject, name: string, path: string): string | undefined {
  const [value, at] = entry(body, name, path);
  if (value == null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ResourceParseError(at, `is ${JSON.stringify(value).slice(0, 60)}, expected text`);
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
  if (!isObject(value)) throw new ResourceParseError(path, 'is not an object');
  const id = text(value, 'id', path);
  if (id === undefined) throw new ResourceParseError(entry(value, 'id', path)[1], 'is missing');
  const [dateValue, dateAt] = entry(value, 'operationDate', path);
  const operationDate =
    typeof dateValue === 'string' ? new Date(dateValue.replace(/(\.\d{3})\d+/, '$1')) : null;
  if (operationDate === null || Number.isNaN(operationDate.getTime())) {
    throw new ResourceParseError(
      dateAt,
      `is ${JSON.stringify(dateValue) ?? 'missing'}, expected an ISO 8601 date`,
    );
  }
  const [data, dataAt] = entry(value, 'customizedData', path);
  if (data != null && !Array.isArray(data)) throw new ResourceParseError(dataAt, 'is not a list');
  return {
    id,
    customerId: text(value, 'customerId', path)?.toLowerCase(),
    customerName: text(value, 'customerName', path),
    operationType: text(value, 'operationType', path)?.toLowerCase(),
    resourceType: text(value, 'resourceType', path)?.toLowerCase(),
    operationDate,
    operationStatus: text(value, 'operationStatus', path)?.toLowerCase(),
    customizedData: (data ?? []).map((item: unknown, index: number) => {
      const at = `${dataAt}[${index}]`;
      if (!isObject(item)) throw new ResourceParseError(at, 'is not an object');
      const key = text(item, 'key', at);
      if (key === undefined) throw new ResourceParseError(`${at}.key`, 'is missing');
      return { key, value: text(item, 'value', at) ?? null };
    }),
    raw: value,
  };
}
