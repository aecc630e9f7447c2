import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { navigate } from '../../../app/router.tsx';
import { api } from '../../../lib/api.ts';
import type { Invitation, PartnerBranding, Step } from '../types.ts';

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) =>
      api<{ step: Step }>('POST', '/auth/sign-in', credentials),
    // Nothing cached for an earlier session may show through to this one. Reset rather than clear:
    // clearing would leave mounted observers (the language sync) watching queries no longer cached.
    onSuccess: () => queryClient.resetQueries(),
  });
}

export function useVerifyMfa() {
  return useMutation({
    mutationFn: (proof: { code: string } | { recoveryCode: string }) =>
      api<{ step: Step }>('POST', '/auth/mfa', proof),
  });
}

/** Signs out this browser, or every session of the person, then shows the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (everywhere: boolean) =>
      api<void>('POST', everywhere ? '/auth/sign-out-everywhere' : '/auth/sign-out'),
    onSuccess: () => {
      navigate('/sign-in');
      return queryClient.resetQueries();
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api<void>('POST', '/auth/password-reset', { email }),
  });
}

export function useCompletePasswordReset() {
  return useMutation({
    mutationFn: (input: { token: string; password: string }) =>
      api<void>('POST', '/auth/password-reset/complete', input),
  });
}

/** Who a mailed invitation is for; a POST so the token stays out of logs of URLs. */
export function useInvitation(token: string) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api<Invitation>('POST', '/auth/invitations/inspect', { token }),
    enabled: token !== '',
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (input: { token: string; password: string }) =>
      api<void>('POST', '/auth/invitations/accept', input),
  });
}

export function usePartnerBranding(slug: string) {
  return useQuery({
    queryKey: ['partner-branding', slug],
    queryFn: () => api<PartnerBranding>('GET', `/partners/${encodeURIComponent(slug)}/branding`),
    enabled: slug !== '',
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Whether the partner (or, without a slug, the installation) offers its own identity provider's sign-in. */
export function useOrganisationSignIn(slug: string) {
  const query = slug === '' ? '' : `?partner=${encodeURIComponent(slug)}`;
  return useQuery({
    queryKey: ['oidc-available', slug],
    queryFn: () => api<{ available: boolean }>('GET', `/auth/oidc/available${query}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
