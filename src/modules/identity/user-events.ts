import { recordAudit } from '#modules/audit';
import { type NotificationTemplate, type NotificationValues, sendNotification } from '#modules/notifications';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import type { Tx } from '#platform/db';
import type { User } from './queries.ts';

/** Records something done to (or by) a user, filed under their customer when they have one. */
export function auditUser(
  tx: Tx,
  caller: Caller,
  user: Pick<User, 'partnerId' | 'id' | 'customerId'>,
  action: string,
  changes: { before?: Record<string, unknown>; after?: Record<string, unknown> } = {},
) {
  return recordAudit(tx, caller, {
    partnerId: user.partnerId,
    ...(user.customerId ? { customerId: user.customerId } : {}),
    action,
    target: { type: 'user', id: user.id },
    ...changes,
  });
}

/** Mails a user in their own language (else their partner's), inside the caller's transaction. */
export function notifyUser<T extends NotificationTemplate>(
  tx: Tx,
  app: AppContext,
  user: Pick<User, 'partnerId' | 'customerId' | 'email' | 'name' | 'language'>,
  template: T,
  values: NotificationValues[T],
) {
  return sendNotification(tx, app, {
    partnerId: user.partnerId,
    ...(user.customerId ? { customerId: user.customerId } : {}),
    template,
    to: { address: user.email, name: user.name, language: user.language ?? undefined },
    values,
  });
}
