import type { Actor } from '#platform/actor';
import { DomainError } from '#platform/errors';
import type { AuditArea } from './areas.ts';

/** Permission → what part of the log it opens; `audit.read` opens all of it. */
const areaOfPermission: Readonly<Record<string, AuditArea>> = {
  'audit.read_users': 'users',
  'audit.read_money': 'money',
};

/**
 * The areas of the audit log an actor may read: every area for Global admins (`audit.read`), `users`
 * for User admins, `money` for Billing admins. Anyone else is refused.
 */
export function readableAuditAreas(actor: Actor): readonly AuditArea[] | 'all' {
  const permissions = 'permissions' in actor ? actor.permissions : new Set<string>();
  if (permissions.has('audit.read')) return 'all';
  const areas = Object.entries(areaOfPermission)
    .filter(([permission]) => permissions.has(permission))
    .map(([, area]) => area);
  if (areas.length === 0) {
    throw new DomainError(
      'forbidden',
      'forbidden',
      'This needs one of the permissions audit.read, audit.read_users or audit.read_money',
    );
  }
  return areas;
}
