/**
 * Who is acting. Filled by the HTTP authenticator (identity) for requests, and by jobs and commands for
 * their own work. Platform code only needs the scope: the partner and, for customer users, the customer.
 */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'system'; name: string }
  | { kind: 'operator'; name: string }
  | SignedIn
  | {
      /** Password accepted, second factor still to give (or to enrol): only sign-in routes are open. */
      kind: 'signing-in';
      id: string;
      partnerId: string;
      customerId?: string;
      step: 'mfa' | 'mfa-enrolment';
    };

/** A person (or their API token) fully signed in: everything they do is inside their partner. */
export interface SignedIn {
  kind: 'staff' | 'customer' | 'token';
  /** The user's id; for a token, the id of the user it acts for. */
  id: string;
  /** Set for API tokens. */
  tokenId?: string;
  partnerId: string;
  /** Set for customer users and customer-scoped tokens: every query is narrowed to it. */
  customerId?: string;
  permissions: ReadonlySet<string>;
}

export type ScopedActor = SignedIn;

/** The actor with where the request came from, for audit events. */
export interface Caller {
  actor: Actor;
  ip?: string | undefined;
  requestId?: string | undefined;
}

export const anonymous: Actor = { kind: 'anonymous' };

export function systemActor(name: string): Actor {
  return { kind: 'system', name };
}

/** A stable string naming the actor, for audit rows and idempotency scopes. */
export function actorKey(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'system':
    case 'operator':
      return `${actor.kind}:${actor.name}`;
    case 'token':
      return `token:${actor.tokenId ?? actor.id}`;
    default:
      return `${actor.kind}:${actor.id}`;
  }
}

export function isScoped(actor: Actor): actor is ScopedActor {
  return actor.kind === 'staff' || actor.kind === 'customer' || actor.kind === 'token';
}
