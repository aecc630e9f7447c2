import Type, { type Static } from 'typebox';
import type { OutboxMail } from '#platform/outbox';
import { deliveryStatuses } from './deliveries.ts';

/** One mail in the delivery log: who, what and how it went, never the body. */
export const DeliveryResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  recipients: Type.String(),
  subject: Type.String(),
  status: Type.Enum(deliveryStatuses),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type DeliveryResponse = Static<typeof DeliveryResponse>;

export function presentDelivery(mail: OutboxMail): DeliveryResponse {
  return {
    id: mail.id,
    recipients: mail.recipients,
    subject: mail.subject,
    status: mail.status,
    attempts: mail.attempts,
    lastError: mail.lastError,
    createdAt: mail.createdAt.toISOString(),
    sentAt: mail.sentAt?.toISOString() ?? null,
  };
}
