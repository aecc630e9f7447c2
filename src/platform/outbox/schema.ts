import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Mail written in the same transaction as the change that caused it, delivered after commit by a job.
 * Without SMTP it stays here as `held`, which is where admins read it.
 */
export const outboxMail = pgTable(
  'outbox_mail',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The partner it is sent for; null for installation-wide mail. */
    partnerId: uuid('partner_id'),
    messageId: text('message_id').notNull().unique(),
    recipients: text('recipients').notNull(),
    subject: text('subject').notNull(),
    /** The whole message as OutgoingMail, attachments in base64. */
    message: jsonb('message').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'held', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_mail_partner_created').on(t.partnerId, t.createdAt)],
);
