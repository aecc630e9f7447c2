import type { Actor } from '#platform/actor';
import type { Authenticator } from '#platform/http';

/**
 * For platform tests that run before identity exists: the actor is whatever the test put in the
 * `x-test-actor` header. Never registered outside tests.
 */
export const headerAuthenticator: Authenticator = {
  async authenticate(request) {
    const header = request.headers['x-test-actor'];
    if (typeof header !== 'string') return { kind: 'anonymous' };
    const parsed = JSON.parse(header) as Actor & { permissions?: string[] };
    return 'permissions' in parsed ? { ...parsed, permissions: new Set(parsed.permissions) } : parsed;
  },
};

export function staffHeader(
  partnerId: string,
  permissions: string[] = [],
  id = 'user-1',
): Record<string, string> {
  return { 'x-test-actor': JSON.stringify({ kind: 'staff', id, partnerId, permissions }) };
}
