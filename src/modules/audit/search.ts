import type { Caller } from '#platform/actor';
import { isScoped } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { DomainError, invalid } from '#platform/errors';
import type { AuditArea } from './areas.ts';
import { readableAuditAreas } from './policies.ts';
import { type AuditEvent, selectAuditEvents } from './queries.ts';

export interface AuditSearch {
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  customerId?: string | undefined;
  /** A prefix of the action: `customer.` or `customer.updated`. */
  action?: string | undefined;
  /** One area, within those the caller may read. */
  area?: AuditArea | undefined;
  /** Inclusive. */
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Where the next (older) page starts; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(event: AuditEvent): string {
  return Buffer.from(JSON.stringify([event.occurredAt.toISOString(), event.id])).toString('base64url');
}

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const occurredAt = new Date(String(time));
    if (
      typeof time === 'string' &&
      !Number.isNaN(occurredAt.getTime()) &&
      typeof id === 'string' &&
      UUID.test(id)
    )
      return { occurredAt, id };
  } catch {
    // Falls through to the error below.
  }
  throw invalid('invalid-cursor', 'The cursor is not one this list gave out', { field: 'cursor' });
}

/**
 * A page of the caller's partner's audit log, newest first, limited to the areas the caller's role
 * may read (see policies.ts). Events of other partners and installation-wide events never appear.
 */
export async function searchAudit(app: AppContext, caller: Caller, search: AuditSearch): Promise<AuditPage> {
  const actor = caller.actor;
  const readable = readableAuditAreas(actor);
  if (!isScoped(actor))
    throw new DomainError('forbidden', 'forbidden', 'Only signed-in staff read the audit log');
  if (search.area !== undefined && readable !== 'all' && !readable.includes(search.area)) {
    throw new DomainError(
      'forbidden',
      'forbidden',
      `Your role may read the audit log of ${readable.join(' and ')} only`,
    );
  }
  const limit = search.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid('invalid-limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, {
      field: 'limit',
    });
  }
  const areas = search.area !== undefined ? [search.area] : readable === 'all' ? undefined : readable;
  const rows = await selectAuditEvents(
    app.database.db,
    actor,
    {
      actorId: search.actorId,
      targetType: search.targetType,
      targetId: search.targetId,
      customerId: search.customerId,
      action: search.action,
      areas,
      from: search.from,
      to: search.to,
      after: search.cursor === undefined ? undefined : decodeCursor(search.cursor),
    },
    limit + 1,
  );
  const events = rows.slice(0, limit);
  return { events, nextCursor: rows.length > limit ? encodeCursor(events.at(-1)!) : null };
}
