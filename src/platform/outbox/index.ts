export { deliverMail, deliverMailHandler, enqueueMail, listMail, type OutboxMail } from './outbox.ts';
export { outboxMail } from './schema.ts';
