import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export type ActorKind = 'anonymous' | 'system' | 'operator' | 'staff' | 'customer' | 'token' | 'signing-in';

/** One event as GET /api/v1/audit-events presents it. */
export interface AuditEvent {
  id: string;
  occurredAt: string;
  actor: { kind: ActorKind; id: string | null; label: string | null; tokenId: string | null };
  customerId: string | null;
  action: string;
  area: string;
  target: { type: string; id: string | null };
  changes: Record<string, { before: unknown; after: unknown }> | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

/** What the page filters by; dates are the user's local calendar days (`YYYY-MM-DD`), both included. */
export interface AuditFilters {
  actorId?: string;
  targetType?: string;
  targetId?: string;
  action?: string;
  fromDay?: string;
  toDay?: string;
}

/** The instant a local calendar day starts, `days` later. */
function startOfLocalDay(day: string, days = 0): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date! + days).toISOString();
}

function searchParams(filters: AuditFilters, cursor: string | undefined): URLSearchParams {
  const params = new URLSearchParams({ limit: '50' });
  if (filters.actorId) params.set('actorId', filters.actorId);
  if (filters.targetType) params.set('targetType', filters.targetType);
  if (filters.targetId) params.set('targetId', filters.targetId);
  if (filters.action) params.set('action', filters.action);
  if (filters.fromDay) params.set('from', startOfLocalDay(filters.fromDay));
  // The API's `to` is exclusive: the day after the last day chosen.
  if (filters.toDay) params.set('to', startOfLocalDay(filters.toDay, 1));
  if (cursor) params.set('cursor', cursor);
  return params;
}

export function fetchAuditEvents(filters: AuditFilters, cursor?: string): Promise<AuditPage> {
  return api<AuditPage>('GET', `/audit-events?${searchParams(filters, cursor)}`);
}

/** Newest first; `fetchNextPage` follows the cursor to older events. */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ pageParam }) => fetchAuditEvents(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
