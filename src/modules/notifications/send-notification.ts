import { getPartnerBranding } from '#modules/partners';
import type { AppContext } from '#platform/app';
import type { Tx } from '#platform/db';
import { DEFAULT_LOCALE, type Locale, normalizeLocale } from '#platform/i18n';
import { type MailAddress, makeMessageId, type OutgoingMail } from '#platform/mail';
import { enqueueMail } from '#platform/outbox';
import { renderNotification } from './render.ts';
import type { NotificationTemplate, NotificationValues } from './templates.ts';

export interface NotificationRecipient {
  address: string;
  name?: string | undefined;
  /** The recipient's own language setting, if they have one. */
  language?: string | null | undefined;
}

export interface SendNotificationInput<T extends NotificationTemplate> {
  partnerId: string;
  /** Set when the recipient is a customer's user, for the log line. */
  customerId?: string | undefined;
  template: T;
  to: NotificationRecipient;
  values: NotificationValues[T];
}

export interface QueuedNotification {
  /** The outbox row, as the delivery log lists it. */
  outboxId: string;
  messageId: string;
  locale: Locale;
}

/**
 * Renders a template in the recipient's language with the partner's branding and writes it to the
 * outbox inside `tx`: it goes out only if the caller's transaction commits.
 */
export async function sendNotification<T extends NotificationTemplate>(
  tx: Tx,
  app: AppContext,
  input: SendNotificationInput<T>,
): Promise<QueuedNotification> {
  const branding = await getPartnerBranding(tx, input.partnerId);
  const locale =
    normalizeLocale(input.to.language) ?? normalizeLocale(branding.defaultLanguage) ?? DEFAULT_LOCALE;
  const rendered = renderNotification({
    template: input.template,
    values: input.values,
    branding,
    locale,
    recipientName: input.to.name,
  });
  // The partner's own sender when set; otherwise its display name on the installation's MAIL_FROM.
  const from: MailAddress = {
    name: branding.senderName ?? branding.displayName,
    address: branding.senderAddress ?? app.config.mailFrom,
  };
  const mail: OutgoingMail = {
    messageId: makeMessageId(from.address.slice(from.address.lastIndexOf('@') + 1)),
    from,
    to: [{ address: input.to.address, ...(input.to.name ? { name: input.to.name } : {}) }],
    ...(branding.supportEmail
      ? { replyTo: { name: branding.displayName, address: branding.supportEmail } }
      : {}),
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    // RFC 3834: out-of-office replies and other robots should not answer a notification.
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  };
  const outboxId = await enqueueMail(tx, app.jobs, mail, input.partnerId);
  app.log.debug(
    { partnerId: input.partnerId, customerId: input.customerId, template: input.template, locale, outboxId },
    'notification queued',
  );
  return { outboxId, messageId: mail.messageId, locale };
}
