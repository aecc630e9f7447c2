import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** Service families in the order they are listed: seats first, then consumption, then the rest. */
export const SERVICE_FAMILIES = ['m365', 'azure', 'd365', 'other'] as const;
export type ServiceFamily = (typeof SERVICE_FAMILIES)[number];
export type AccessAction = 'suspend' | 'reactivate';
export type ChangeStatus = 'requested' | 'pending' | 'waiting' | 'succeeded' | 'failed' | 'declined';

/** The latest suspend or reactivate of a subscription, as its row shows it. */
export interface LatestChange {
  id: string;
  action: AccessAction;
  status: ChangeStatus;
  attempts: number;
  nextAttemptAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** GET /api/v1/customers/:customerId/subscriptions: Partner Center's state plus what only partnerdesk knows. */
export interface Subscription {
  id: string;
  customerId: string;
  cloud: 'public' | 'usgov' | 'china';
  microsoftId: string;
  kind: 'new_commerce' | 'azure_plan' | 'legacy';
  offerId: string;
  offerName: string;
  friendlyName: string;
  serviceFamily: ServiceFamily;
  quantity: number;
  unitType: string | null;
  billingCycle: string | null;
  termDuration: string | null;
  status: 'active' | 'suspended' | 'pending' | 'expired' | 'disabled' | 'deleted';
  autoRenew: boolean | null;
  commitmentEndDate: string | null;
  cancellationAllowedUntil: string | null;
  scheduledChanges: Record<string, unknown> | null;
  suspensionReasons: string[];
  syncedAt: string;
  upstreamRemovedAt: string | null;
  /** Staff only: the portal's view leaves it out. */
  notes?: string | null;
  suspendedBy: 'staff' | 'collections' | null;
  suspendedAt: string | null;
  savedAutoRenew: boolean | null;
  savedScheduledChanges: Record<string, unknown> | null;
  /** Microsoft keeps billing a suspended new-commerce subscription until this date; else null. */
  billedUntil: string | null;
  latestChange: LatestChange | null;
}

/** One requested suspend or reactivate; `advice` is the server's English word on what to do. */
export interface AccessChange {
  id: string;
  batchId: string;
  subscriptionId: string;
  customerId: string;
  action: AccessAction;
  reason: 'staff' | 'collections';
  status: ChangeStatus;
  attempts: number;
  nextAttemptAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  advice: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** What POST …/access-changes asks: some subscriptions, a service family, or (neither) the whole customer. */
export interface AccessRequest {
  action: AccessAction;
  subscriptionIds?: string[];
  serviceFamily?: ServiceFamily;
}

export interface AccessAnswer {
  batchId: string;
  /** Set when a job carries the batch out; one subscription is done within the request. */
  jobId: string | null;
  changes: AccessChange[];
}

/** GET /api/v1/jobs/:id. */
export interface JobProgress {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  done: number;
  total: number | null;
  error: string | null;
}

export interface ResellerRequest extends AccessChange {
  resellerName: string;
  customerName: string;
  subscriptionName: string;
}

const customerPath = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;
const subscriptionsKey = (customerId: string) => ['customer', customerId, 'subscriptions'] as const;

export function useSubscriptions(customerId: string) {
  return useQuery({
    queryKey: subscriptionsKey(customerId),
    queryFn: () => api<{ items: Subscription[] }>('GET', `${customerPath(customerId)}/subscriptions`),
    select: (page) => page.items,
  });
}

export function usePortalSubscriptions() {
  return useQuery({
    queryKey: ['portal-subscriptions'],
    queryFn: () => api<{ items: Subscription[] }>('GET', '/portal/subscriptions'),
    select: (page) => page.items,
  });
}

/** Asks for a change; the subscriptions are read again afterwards, whatever came of it. */
export function useRequestAccessChange(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: AccessRequest) =>
      api<AccessAnswer>('POST', `${customerPath(customerId)}/access-changes`, request),
    onSettled: () => queryClient.invalidateQueries({ queryKey: subscriptionsKey(customerId) }),
  });
}

const POLL_MS = 1000;

/** A batch's job, asked every second until it ends; the subscriptions are read again when it does. */
export function useBatchProgress(customerId: string, jobId: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['job', jobId],
    enabled: jobId !== null,
    queryFn: async () => {
      const job = await api<JobProgress>('GET', `/jobs/${jobId}`);
      if (job.status === 'succeeded' || job.status === 'failed') {
        await queryClient.invalidateQueries({ queryKey: subscriptionsKey(customerId) });
      }
      return job;
    },
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : POLL_MS;
    },
  });
}

/** The changes of a batch a job carries out, read again whenever the job moves on. */
export function useBatchChanges(customerId: string, answer: AccessAnswer, job: JobProgress | undefined) {
  return useQuery({
    queryKey: ['access-changes', customerId, answer.batchId, job?.status, job?.done],
    enabled: answer.jobId !== null,
    queryFn: () =>
      api<{ items: AccessChange[] }>(
        'GET',
        `${customerPath(customerId)}/access-changes?batchId=${encodeURIComponent(answer.batchId)}`,
      ),
    select: (page) => page.items,
    placeholderData: (previous) => previous,
  });
}

const resellerRequestsKey = ['reseller-requests'] as const;

export function useResellerRequests() {
  return useQuery({
    queryKey: resellerRequestsKey,
    queryFn: () => api<{ items: ResellerRequest[] }>('GET', '/reseller-requests?status=requested'),
    select: (page) => page.items,
  });
}

/** Carries out or declines a reseller's request; the list is read again either way. */
export function useAnswerResellerRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      answer: { id: string; decision: 'carry-out' } | { id: string; decision: 'decline'; reason: string },
    ) =>
      api<AccessChange>(
        'POST',
        `/reseller-requests/${encodeURIComponent(answer.id)}/${answer.decision}`,
        answer.decision === 'decline' ? { reason: answer.reason } : undefined,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: resellerRequestsKey }),
  });
}
