import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export type SyncCloud = 'public' | 'usgov' | 'china';

/** One run of the Partner Center sync of a connection (GET /api/v1/partner-center/syncs). */
export interface SyncRun {
  id: string;
  cloud: SyncCloud;
  /** `full` lists everything; `activity` only what the activity log names. */
  kind: 'full' | 'activity';
  trigger: 'schedule' | 'manual';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Customers done of `total`. */
  done: number;
  total: number | null;
  /** e.g. `customersCreated`, `subscriptionsUpdated`. */
  counts: Record<string, number>;
  error: string | null;
  jobId: string | null;
}

const POLL_MS = 1000;
const syncsKey = ['partner-center-syncs'] as const;

/** The latest runs, newest first, asked every second while one is running. */
export function useSyncs(filter: { cloud?: SyncCloud; limit: number }) {
  const params = new URLSearchParams({ limit: String(filter.limit) });
  if (filter.cloud) params.set('cloud', filter.cloud);
  return useQuery({
    queryKey: [...syncsKey, filter.cloud ?? 'all', filter.limit],
    queryFn: () => api<{ items: SyncRun[] }>('GET', `/partner-center/syncs?${params}`),
    select: (page) => page.items,
    refetchInterval: (query) =>
      query.state.data?.items.some((run) => run.status === 'running') ? POLL_MS : false,
  });
}

/** Starts a full sync of one connection (or finds the one already running); every sync list is read again. */
export function useStartSync() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (cloud: SyncCloud) =>
      api<{ sync: SyncRun; jobId: string | null }>('POST', '/partner-center/syncs', { cloud, kind: 'full' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: syncsKey }),
  });
}
