import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import Type from 'typebox';
import type { AppContext } from '#platform/app';
import type { Tx } from '#platform/db';
import { defineJob, handleJob, type Jobs } from '#platform/jobs';
import { isTemporaryMailFailure, type MailAttachment, type OutgoingMail } from '#platform/mail';
import { outboxMail } from './schema.ts';

export const deliverMail = defineJob({
  name: 'outbox.deliver-mail',
  version: 1,
  payload: Type.Object({ id: Type.String({ format: 'uuid' }) }),
  retryLimit: 8,
  retryDelaySeconds: 30,
});

type StoredMail = Omit<OutgoingMail, 'attachments'> & {
  attachments?: (Omit<MailAttachment, 'content'> & { contentBase64: string })[];
};

export type OutboxMail = typeof outboxMail.$inferSelect;

/**
 * Queues a mail inside the caller's transaction: it is sent only if the transaction commits, and sent
 * at most once per Message-ID even if the delivery job runs twice.
 */
export async function enqueueMail(
  tx: Tx,
  jobs: Jobs,
  mail: OutgoingMail,
  partnerId?: string,
): Promise<string> {
  const { attachments, ...rest } = mail;
  const stored: StoredMail = {
    ...rest,
    ...(attachments
      ? {
          attachments: attachments.map(({ content, ...rest }) => ({
            ...rest,
            contentBase64: Buffer.from(content).toString('base64'),
          })),
        }
      : {}),
  };
  const [row] = await tx
    .insert(outboxMail)
    .values({
      partnerId: partnerId ?? null,
      messageId: mail.messageId,
      recipients: mail.to.map((to) => to.address).join(', '),
      subject: mail.subject,
      message: stored,
    })
    .returning({ id: outboxMail.id });
  const id = row!.id;
  await jobs.send(tx, deliverMail, { id }, partnerId ? { partnerId } : {});
  return id;
}

function toOutgoing(stored: StoredMail): OutgoingMail {
  const { attachments, ...rest } = stored;
  return {
    ...rest,
    ...(attachments
      ? {
          attachments: attachments.map(({ contentBase64, ...attachment }) => ({
            ...attachment,
            content: new Uint8Array(Buffer.from(contentBase64, 'base64')),
          })),
        }
      : {}),
  };
}

/**
 * Sends one queued mail. SMTP is called outside any transaction; a crash between sending and
 * recording it re-sends with the same Message-ID, which receivers treat as the same message.
 */
export const deliverMailHandler = handleJob(deliverMail, async ({ id }, run, app: AppContext) => {
  const db = app.database.db;
  const [row] = await db.select().from(outboxMail).where(eq(outboxMail.id, id));
  if (!row || row.status === 'sent' || row.status === 'failed') return;
  if (app.mail.mode === 'outbox-only') {
    await db
      .update(outboxMail)
      .set({ status: 'held', lastError: app.mail.summary })
      .where(eq(outboxMail.id, id));
    return;
  }
  try {
    await app.mail.transport.send(toOutgoing(row.message as StoredMail));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const temporary = isTemporaryMailFailure(error);
    await db
      .update(outboxMail)
      .set({ attempts: row.attempts + 1, lastError: message, status: temporary ? 'pending' : 'failed' })
      .where(eq(outboxMail.id, id));
    run.log.warn({ outboxId: id, temporary }, 'mail delivery failed');
    if (temporary) throw error;
    return;
  }
  await db
    .update(outboxMail)
    .set({ status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
    .where(eq(outboxMail.id, id));
});

/** Mail of one partner (or, with `null`, installation-wide mail), newest first, for admins. */
export async function listMail(
  app: AppContext,
  partnerId: string | null,
  status?: OutboxMail['status'],
  limit = 50,
) {
  const conditions: SQL[] = [
    partnerId === null ? isNull(outboxMail.partnerId) : eq(outboxMail.partnerId, partnerId),
  ];
  if (status) conditions.push(eq(outboxMail.status, status));
  return app.database.db
    .select()
    .from(outboxMail)
    .where(and(...conditions))
    .orderBy(desc(outboxMail.createdAt))
    .limit(limit);
}
