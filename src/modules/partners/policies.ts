import { type Caller, isScoped, type SignedIn } from '#platform/actor';
import { DomainError, notFound } from '#platform/errors';

/**
 * Who may act on partner records. Routes check their permission before a service runs; services check
 * again, because the CLI and other modules call them without a route in front.
 */

export function signedIn(caller: Caller): SignedIn {
  if (!isScoped(caller.actor))
    throw new DomainError('unauthenticated', 'unauthenticated', 'Sign in to use this');
  return caller.actor;
}

/** A signed-in actor holding `permission` of the matrix (identity's permissions.ts). */
export function requirePermission(caller: Caller, permission: string): SignedIn {
  const actor = signedIn(caller);
  if (!actor.permissions.has(permission)) {
    throw new DomainError('forbidden', 'forbidden', `This needs the permission ${permission}`);
  }
  return actor;
}

/** Partner staff only: to a customer user, partner-side records do not exist. */
export function partnerStaff(caller: Caller, what: string): SignedIn {
  const actor = signedIn(caller);
  if (actor.customerId !== undefined) throw notFound(what);
  return actor;
}

/** Partners are created by whoever runs the installation, from the command line. */
export function requireOperator(caller: Caller): void {
  if (caller.actor.kind !== 'operator') {
    throw new DomainError(
      'forbidden',
      'operator-only',
      'Only the operator creates partners (partnerdesk partners create)',
    );
  }
}
