import Type, { type Static, type TSchema } from 'typebox';
import type { AuditEvent } from './queries.ts';
import { actorKinds } from './schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const AuditEventResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    kind: Type.Enum(actorKinds),
    id: Nullable(Type.String()),
    label: Nullable(Type.String()),
    tokenId: Nullable(Type.String()),
  }),
  customerId: Nullable(Type.String({ format: 'uuid' })),
  action: Type.String(),
  area: Type.String(),
  target: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  changes: Nullable(
    Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
  ),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
});
export type AuditEventResponse = Static<typeof AuditEventResponse>;

/** Staff only: customers have no audit view. */
export function presentAuditEvent(event: AuditEvent): AuditEventResponse {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actor: { kind: event.actorKind, id: event.actorId, label: event.actorLabel, tokenId: event.tokenId },
    customerId: event.customerId,
    action: event.action,
    area: event.area,
    target: { type: event.targetType, id: event.targetId },
    changes: event.changes,
    ip: event.ip,
    requestId: event.requestId,
  };
}
