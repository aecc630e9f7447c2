import type { QueryClient } from '@tanstack/react-query';
import { isProblem } from '../../../lib/api.ts';
import { meKey } from '../api/me.ts';

/**
 * For the query client's error hooks: a request refused for want of a session (expired, signed out
 * elsewhere, second factor still owed) makes the app ask again who is signed in; <RequireSession> then
 * sends the person to sign in, keeping the page they were on.
 */
export function onSessionLost(queryClient: QueryClient, error: unknown): void {
  if (isProblem(error) && error.status === 401) void queryClient.invalidateQueries({ queryKey: meKey });
}
