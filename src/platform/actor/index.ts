/**
 * Who is acting. Filled by the HTTP authenticator (identity) for requests, and by jobs and commands for
 * their own work. Platform code only needs the scope: the partner and, for customer users, the customer.
 */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'system'; name: string }
  | { kind: 'operator'; name: string }
  | {
      kind: 'staff' | 'customer' | 'token';
      id: string;
      partnerId: string;
      /** Set for customer users and customer-scoped tokens: every query is narrowed to it. */
      customerId?: string;
      permissions: ReadonlySet<string>;
    };

export type ScopedActor = Extract<Actor, { partnerId: string }>;

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
    default:
      return `${actor.kind}:${actor.id}`;
  }
}

export function isScoped(actor: Actor): actor is ScopedActor {
  return 'partnerId' in actor;
}
