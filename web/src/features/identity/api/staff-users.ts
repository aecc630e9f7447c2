import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import type { StaffRole, User, UserStatus } from '../types.ts';

const usersKey = ['staff-users'] as const;

export function useStaffUsers(filter: { status: UserStatus | null; q: string }) {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.q) query.set('q', filter.q);
  return useQuery({
    queryKey: [...usersKey, filter],
    queryFn: () => api<{ users: User[] }>('GET', `/users?${query}`).then((body) => body.users),
    placeholderData: (previous) => previous,
  });
}

interface StaffInvitation {
  email: string;
  name: string;
  roles: StaffRole[];
  language?: string;
}

export function useInviteStaffUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: StaffInvitation) => api<User>('POST', '/users', invitation),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useUpdateStaffUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: string; name?: string; roles?: StaffRole[] }) =>
      api<User>('PATCH', `/users/${encodeURIComponent(id)}`, change),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export type StaffUserAction = 'deactivate' | 'reactivate' | 'mfa-reset' | 'resend-invitation';

export function useStaffUserAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: StaffUserAction }) =>
      api<User>('POST', `/users/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}
