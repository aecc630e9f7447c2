import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { ServiceFamily } from '../subscriptions/index.ts';

export type CloudInstance = 'public' | 'usgov' | 'china' | 'germany';

/** GET /api/v1/customers/:id as staff see it; `upstream` holds Partner Center's tenant facts as it sent them. */
export interface Customer {
  id: string;
  name: string;
  domain: string;
  tenantId: string | null;
  cloudInstance: CloudInstance;
  country: string;
  language: string;
  currency: string;
  providerId: string | null;
  status: 'active' | 'inactive';
  source: 'local' | 'partner_center';
  syncedAt: string | null;
  upstreamRemovedAt: string | null;
  upstream: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface Contact {
  id: string;
  customerId: string;
  name: string;
  email: string;
  phone: string | null;
  role: 'billing' | 'technical' | 'general';
  language: string;
}

interface CustomerPage {
  items: Customer[];
  nextCursor: string | null;
}

/** The list's filters as the page holds them; blank means "any". */
export interface CustomerFilters {
  q: string;
  cloud: '' | Exclude<CloudInstance, 'germany'>;
  serviceFamily: '' | ServiceFamily;
  /** One choice covering the customer's own status and what happened to it. */
  state: '' | 'active' | 'inactive' | 'suspended' | 'removed';
}

export const NO_FILTERS: CustomerFilters = { q: '', cloud: '', serviceFamily: '', state: '' };

function searchParams(filters: CustomerFilters, cursor: string | undefined): URLSearchParams {
  const params = new URLSearchParams({ limit: '50' });
  const q = filters.q.trim();
  if (q) params.set('q', q);
  if (filters.cloud) params.set('cloud', filters.cloud);
  if (filters.serviceFamily) params.set('serviceFamily', filters.serviceFamily);
  if (filters.state === 'active' || filters.state === 'inactive') params.set('status', filters.state);
  if (filters.state === 'suspended') params.set('subscriptionStatus', 'suspended');
  if (filters.state === 'removed') params.set('removedUpstream', 'true');
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** By name; `fetchNextPage` follows the cursor. The last page stays on screen while new filters load. */
export function useCustomers(filters: CustomerFilters) {
  return useInfiniteQuery({
    queryKey: ['customers', filters],
    queryFn: ({ pageParam }) => api<CustomerPage>('GET', `/customers?${searchParams(filters, pageParam)}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(customerId: string) {
  return useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => api<Customer>('GET', `/customers/${encodeURIComponent(customerId)}`),
  });
}

export function useContacts(customerId: string) {
  return useQuery({
    queryKey: ['customer', customerId, 'contacts'],
    queryFn: () => api<Contact[]>('GET', `/customers/${encodeURIComponent(customerId)}/contacts`),
  });
}

/** The partner's providers (GET /api/v1/partner), to name the one a reseller's customer transacts through. */
export function useProviderName(providerId: string | null): string | null {
  const partner = useQuery({
    queryKey: ['partner-settings'],
    queryFn: () => api<{ providers: { id: string; displayName: string }[] }>('GET', '/partner'),
    enabled: providerId !== null,
  });
  return partner.data?.providers.find((provider) => provider.id === providerId)?.displayName ?? null;
}
