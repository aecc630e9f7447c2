import { partnerStaff, requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { listMail, type OutboxMail } from '#platform/outbox';

export const deliveryStatuses = [
  'pending',
  'sent',
  'held',
  'failed',
] as const satisfies readonly OutboxMail['status'][];
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface DeliveryQuery {
  status?: DeliveryStatus | undefined;
  limit?: number | undefined;
}

/** The partner's mail as the outbox records it, newest first, for its Global admins. */
export async function listDeliveries(
  app: AppContext,
  caller: Caller,
  query: DeliveryQuery = {},
): Promise<OutboxMail[]> {
  requirePermission(caller, 'partner.manage');
  // Partner mail goes to every customer: to a customer user the log does not exist.
  const actor = partnerStaff(caller, 'Delivery log');
  return listMail(app, actor.partnerId, query.status, query.limit);
}
