import { createHash } from 'node:crypto';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { withTransaction } from '#platform/db';
import { invalid } from '#platform/errors';
import { allowAuditMaintenance, deleteAuditEventsBefore, relabelActor } from './queries.ts';
import { INSTALLATION, recordAudit } from './record.ts';

/**
 * The only ways audit rows change: retention by month and the erasure of a person. Each runs in one
 * transaction that lifts the database's append-only guard for itself and records what it did.
 */
function operator(name: string): Caller {
  return { actor: { kind: 'operator', name } };
}

/** The first instant of a `YYYY-MM` month, in UTC. */
function startOfMonth(month: string): Date {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const monthNumber = Number(match?.[2]);
  if (!match || monthNumber < 1 || monthNumber > 12) {
    throw invalid('invalid-month', `"${month}" is not a month written YYYY-MM, e.g. 2025-01`, {
      field: 'before',
    });
  }
  return new Date(Date.UTC(Number(match[1]), monthNumber - 1, 1));
}

/**
 * Deletes every partner's events from before the start of `month` (UTC) and records `audit.pruned`
 * with how many went. A month after the current one is refused: it would delete recent history.
 */
export async function pruneAuditBefore(
  app: AppContext,
  operatorName: string,
  month: string,
): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = startOfMonth(month);
  const now = app.clock.now();
  if (cutoff.getTime() > Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) {
    throw invalid('month-in-future', `${month} has not begun: keep at least the current month`, {
      field: 'before',
    });
  }
  return withTransaction(app.database, async (tx) => {
    await allowAuditMaintenance(tx);
    const deleted = await deleteAuditEventsBefore(tx, cutoff);
    await recordAudit(tx, operator(operatorName), {
      partnerId: INSTALLATION,
      action: 'audit.pruned',
      target: { type: 'audit_log' },
      after: { olderThan: cutoff.toISOString(), deleted },
    });
    return { deleted, cutoff };
  });
}

/** The same actor always gets the same pseudonym, so their events still read as one person's. */
export function pseudonymOf(actorId: string): string {
  return `erased-${createHash('sha256').update(actorId).digest('hex').slice(0, 12)}`;
}

/**
 * Replaces the label (e.g. the e-mail) on every event of an erased person with a pseudonym and records
 * `audit.actor_pseudonymised`. Ids stay: they name nobody once the person's record is gone.
 */
export async function pseudonymiseActor(
  app: AppContext,
  operatorName: string,
  actorId: string,
): Promise<{ pseudonym: string; updated: number }> {
  if (actorId.trim() === '')
    throw invalid('invalid-actor', 'Name the actor id to pseudonymise', { field: 'actor' });
  const pseudonym = pseudonymOf(actorId);
  return withTransaction(app.database, async (tx) => {
    await allowAuditMaintenance(tx);
    const updated = await relabelActor(tx, actorId, pseudonym);
    await recordAudit(tx, operator(operatorName), {
      partnerId: INSTALLATION,
      action: 'audit.actor_pseudonymised',
      target: { type: 'actor', id: actorId },
      after: { label: pseudonym, updated },
    });
    return { pseudonym, updated };
  });
}
