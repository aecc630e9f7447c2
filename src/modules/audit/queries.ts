import { desc, eq, gte, inArray, like, lt, type SQL, sql } from 'drizzle-orm';
import { type Queryable, type Scope, scoped, selectRows, type Tx } from '#platform/db';
import type { AuditArea } from './areas.ts';
import { auditEvents } from './schema.ts';

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;

export async function insertAuditEvent(tx: Tx, event: NewAuditEvent): Promise<string> {
  const [row] = await tx.insert(auditEvents).values(event).returning({ id: auditEvents.id });
  return row!.id;
}

export interface AuditEventFilter {
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  customerId?: string | undefined;
  /** A prefix: `customer.` finds every customer action. */
  action?: string | undefined;
  /** Undefined: every area. */
  areas?: readonly AuditArea[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Rows strictly older than this position in (occurred_at, id) order. */
  after?: { occurredAt: Date; id: string } | undefined;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** One page, newest first, inside the scope's partner (and customer, for customer-scoped actors). */
export function selectAuditEvents(
  db: Queryable,
  scope: Scope,
  filter: AuditEventFilter,
  limit: number,
): Promise<AuditEvent[]> {
  const t = auditEvents;
  const conditions: (SQL | undefined)[] = [
    filter.actorId === undefined ? undefined : eq(t.actorId, filter.actorId),
    filter.targetType === undefined ? undefined : eq(t.targetType, filter.targetType),
    filter.targetId === undefined ? undefined : eq(t.targetId, filter.targetId),
    filter.customerId === undefined ? undefined : eq(t.customerId, filter.customerId),
    filter.action === undefined ? undefined : like(t.action, `${escapeLike(filter.action)}%`),
    filter.areas === undefined ? undefined : inArray(t.area, [...filter.areas]),
    filter.from === undefined ? undefined : gte(t.occurredAt, filter.from),
    filter.to === undefined ? undefined : lt(t.occurredAt, filter.to),
    filter.after === undefined
      ? undefined
      : sql`(${t.occurredAt}, ${t.id}) < (${filter.after.occurredAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`,
  ];
  return db
    .select()
    .from(t)
    .where(scoped(t, scope, ...conditions))
    .orderBy(desc(t.occurredAt), desc(t.id))
    .limit(limit);
}

/**
 * Lets this transaction change audit rows: the triggers of migration 0002_audit_append_only refuse UPDATE, DELETE and
 * TRUNCATE otherwise. Only the maintenance commands call it, and they record themselves.
 */
export async function allowAuditMaintenance(tx: Tx): Promise<void> {
  await tx.execute(sql`set local partnerdesk.audit_maintenance = 'on'`);
}

async function countOf(tx: Tx, statement: SQL): Promise<number> {
  const [row] = await selectRows<{ count: number }>(
    tx,
    sql`with changed as (${statement} returning 1) select count(*)::int as count from changed`,
  );
  return row!.count;
}

/** Installation-wide retention: every partner's events before `cutoff`. */
export function deleteAuditEventsBefore(tx: Tx, cutoff: Date): Promise<number> {
  return countOf(
    tx,
    sql`delete from ${auditEvents} where ${auditEvents.occurredAt} < ${cutoff.toISOString()}::timestamptz`,
  );
}

/** Installation-wide erasure: the actor's label on every partner's events. */
export function relabelActor(tx: Tx, actorId: string, label: string): Promise<number> {
  return countOf(
    tx,
    sql`update ${auditEvents} set actor_label = ${label}
        where ${auditEvents.actorId} = ${actorId} and ${auditEvents.actorLabel} is distinct from ${label}`,
  );
}
