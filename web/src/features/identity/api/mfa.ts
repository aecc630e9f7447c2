import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import type { Enrolment } from '../types.ts';
import { meKey } from './me.ts';

/**
 * A new TOTP secret to scan. A query rather than a mutation so that a second mount (React's strict
 * mode, a re-render) shares the one request: each request replaces the secret, and a QR code for a
 * replaced secret would never verify. Never refetched for the same reason.
 */
export function useEnrolment() {
  return useQuery({
    queryKey: ['mfa-enrolment'],
    queryFn: () => api<Enrolment>('POST', '/auth/mfa/enrolment', {}),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useConfirmEnrolment() {
  return useMutation({
    mutationFn: (code: string) =>
      api<{ recoveryCodes: string[] }>('POST', '/auth/mfa/enrolment/confirm', { code }),
  });
}

export function useRegenerateRecoveryCodes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      api<{ recoveryCodes: string[] }>('POST', '/me/mfa/recovery-codes', { code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}

export function useTurnOffMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api<void>('DELETE', '/me/mfa', { code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}
