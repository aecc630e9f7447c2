import { isIP } from 'node:net';
import type { Actor, Caller } from '#platform/actor';
import type { Tx } from '#platform/db';
import { type AuditArea, areaOf } from './areas.ts';
import { diffChanges } from './changes.ts';
import { insertAuditEvent, type NewAuditEvent } from './queries.ts';

/** The partner of installation-wide events (maintenance, demo resets): no partner has it. */
export const INSTALLATION = '00000000-0000-0000-0000-000000000000';

export interface AuditEventInput {
  /** The partner the event concerns (for the operator creating a partner: that partner). */
  partnerId: string;
  /** The customer the event concerns; defaults to a customer actor's own customer. */
  customerId?: string | null | undefined;
  /** `<subject>.<past-tense verb>`: `customer.updated`, `user.invited`, `partner.settings_changed`. */
  action: string;
  /** Derived from the action's subject unless given. */
  area?: AuditArea | undefined;
  target: { type: string; id?: string | null | undefined };
  /** The changed record's fields before and after; only differing ones are kept, secrets redacted. */
  before?: Readonly<Record<string, unknown>> | undefined;
  after?: Readonly<Record<string, unknown>> | undefined;
  /** Who the actor is at this moment, e.g. their e-mail (the actor itself carries only ids). */
  actorLabel?: string | undefined;
}

function actorColumns(actor: Actor) {
  switch (actor.kind) {
    case 'anonymous':
      return { actorKind: actor.kind, actorId: null, tokenId: null, actorLabel: null, customerId: null };
    case 'system':
    case 'operator':
      return {
        actorKind: actor.kind,
        actorId: actor.name,
        tokenId: null,
        actorLabel: actor.name,
        customerId: null,
      };
    case 'signing-in':
      return {
        actorKind: actor.kind,
        actorId: actor.id,
        tokenId: null,
        actorLabel: null,
        customerId: actor.customerId ?? null,
      };
    default:
      return {
        actorKind: actor.kind,
        actorId: actor.id,
        tokenId: actor.tokenId ?? null,
        actorLabel: null,
        customerId: actor.customerId ?? null,
      };
  }
}

/**
 * Writes one audit event in the caller's transaction, so it commits or rolls back with the change it
 * describes. Returns the event's id.
 */
export function recordAudit(tx: Tx, caller: Caller, event: AuditEventInput): Promise<string> {
  const actor = actorColumns(caller.actor);
  const row: NewAuditEvent = {
    partnerId: event.partnerId,
    actorKind: actor.actorKind,
    actorId: actor.actorId,
    actorLabel: event.actorLabel ?? actor.actorLabel,
    tokenId: actor.tokenId,
    customerId: event.customerId === undefined ? actor.customerId : event.customerId,
    action: event.action,
    area: event.area ?? areaOf(event.action),
    targetType: event.target.type,
    targetId: event.target.id ?? null,
    changes: diffChanges(event.before, event.after),
    ip: caller.ip !== undefined && isIP(caller.ip) ? caller.ip : null,
    requestId: caller.requestId ?? null,
  };
  return insertAuditEvent(tx, row);
}
