export { assertMessageId, makeMessageId } from './message-id.ts';
export type {
  MailAddress,
  MailAttachment,
  MailDelivery,
  MailServer,
  MailTransport,
  OutgoingMail,
  SentMail,
} from './transport.ts';
export {
  createMailTransport,
  isTemporaryMailFailure,
  MailDeliveryError,
  selectMailDelivery,
} from './transport.ts';
