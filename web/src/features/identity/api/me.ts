import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isProblem } from '../../../lib/api.ts';
import type { Me } from '../types.ts';

export const meKey = ['me'] as const;

/** The person of this browser's session, or null when nobody is signed in. */
async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('GET', '/me');
  } catch (error) {
    if (isProblem(error, 'unauthenticated')) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe });
}

/** Asks again who is signed in, and waits for the answer, so the next page sees the new session. */
export function refreshMe(queryClient: QueryClient): Promise<Me | null> {
  return queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { name?: string; language?: string | null }) => api<Me>('PATCH', '/me', change),
    onSuccess: (me) => queryClient.setQueryData(meKey, me),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api<void>('POST', '/me/password', input),
  });
}
