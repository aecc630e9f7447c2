import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import type { CustomerRole, User } from '../types.ts';
import { meKey } from './me.ts';

const usersKey = ['customer-users'] as const;
const mfaPolicyKey = ['customer-mfa-policy'] as const;

/** The signed-in customer admin's own customer's users. */
export function useCustomerUsers() {
  return useQuery({
    queryKey: usersKey,
    queryFn: () => api<{ users: User[] }>('GET', '/portal/users').then((body) => body.users),
  });
}

interface CustomerInvitation {
  email: string;
  name: string;
  role: CustomerRole;
  language?: string;
}

export function useInviteCustomerUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: CustomerInvitation) => api<User>('POST', '/portal/users', invitation),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useUpdateCustomerUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: string; name?: string; role?: CustomerRole }) =>
      api<User>('PATCH', `/portal/users/${encodeURIComponent(id)}`, change),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export type CustomerUserAction = 'deactivate' | 'reactivate' | 'resend-invitation';

export function useCustomerUserAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: CustomerUserAction }) =>
      api<User>('POST', `/portal/users/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useCustomerMfaPolicy() {
  return useQuery({
    queryKey: mfaPolicyKey,
    queryFn: () => api<{ required: boolean }>('GET', '/portal/customer/mfa-policy'),
  });
}

export function useSetCustomerMfaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (required: boolean) =>
      api<{ required: boolean }>('PUT', '/portal/customer/mfa-policy', { required }),
    onSuccess: (policy) => {
      queryClient.setQueryData(mfaPolicyKey, policy);
      // Whether the admin's own MFA is required follows the policy.
      return queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}
