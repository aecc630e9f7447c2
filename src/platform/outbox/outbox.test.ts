import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { RunningApp } from '#platform/app';
import { withTransaction } from '#platform/db';
import { translator } from '#platform/i18n';
import { makeMessageId, type OutgoingMail } from '#platform/mail';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { type SmtpCapture, startSmtpCapture } from '#test/smtp';
import { enqueueMail, listMail, outboxMail } from './index.ts';

const partnerA = '00000000-0000-4000-8000-00000000000a';
const sentAt = new Date('2026-03-10T09:30:00Z');

/** A test message as the platform's own template renders it, in the recipient's language. */
function testMail(locale: 'ru' | 'zh-Hans', to: string): OutgoingMail {
  const t = translator(locale, { timeZone: 'Europe/Budapest' });
  const partnerName = locale === 'ru' ? 'ООО «Облако»' : '云端伙伴有限公司';
  return {
    messageId: makeMessageId('partnerdesk.test'),
    from: { name: partnerName, address: 'billing@partner.test' },
    to: [{ name: locale === 'ru' ? 'Ирина Петрова' : '王小明', address: to }],
    subject: t('mail.test.subject', { partnerName }),
    text: `${t('mail.test.body', { sentAt })}\n\n${t('mail.footer', { partnerName, supportContact: 'support@partner.test' })}`,
  };
}

async function statusOf(app: RunningApp, id: string) {
  const [row] = await app.app.database.db.select().from(outboxMail).where(eq(outboxMail.id, id));
  return row!;
}

for (const engine of engines()) {
  describe(`outbox on ${engine} with SMTP`, () => {
    let smtp: SmtpCapture;
    let app: RunningApp;
    before(async () => {
      smtp = await startSmtpCapture();
      app = await startTestApp({ engine, config: { smtpUrl: smtp.url } });
    });
    after(async () => {
      await app.close();
      await smtp.close();
    });

    it('mail written in a committed transaction › arrives once over SMTP in Russian and Chinese, correctly encoded', async () => {
      const russian = testMail('ru', 'irina@customer.test');
      const chinese = testMail('zh-Hans', 'xiaoming@customer.test');
      const ids = await withTransaction(app.app.database, async (tx) => [
        await enqueueMail(tx, app.app.jobs, russian, partnerA),
        await enqueueMail(tx, app.app.jobs, chinese, partnerA),
      ]);
      const arrived = await smtp.waitFor(2, 15_000);
      const bySubject = new Map(arrived.map((mail) => [mail.subject, mail]));
      for (const sent of [russian, chinese]) {
        const received = bySubject.get(sent.subject);
        assert.ok(received, `"${sent.subject}" arrived`);
        assert.equal(received.text?.trim(), sent.text.trim());
        assert.equal(received.from?.value[0]?.name, sent.from.name);
        assert.equal(received.messageId, sent.messageId);
        // The Subject header itself is RFC 2047 encoded ASCII, not raw 8-bit.
        const subjectHeader =
          received.raw.toString('latin1').match(/^Subject: (.*(?:\r\n[ \t].*)*)/m)?.[1] ?? '';
        assert.match(subjectHeader, /=\?UTF-8\?/i);
        assert.ok(
          Buffer.from(subjectHeader, 'latin1').every((byte) => byte < 0x80),
          'Subject header is 7-bit',
        );
      }
      assert.match(russian.subject, /Тестовое|тест/i);
      for (const id of ids) {
        await eventually(
          'the outbox row to be marked sent',
          async () => (await statusOf(app, id)).status === 'sent',
        );
      }
      assert.equal(smtp.messages.length, 2);
    });

    it('mail from a rolled-back transaction › is never sent', async () => {
      const mail = testMail('ru', 'never@customer.test');
      await assert.rejects(
        withTransaction(app.app.database, async (tx) => {
          await enqueueMail(tx, app.app.jobs, mail, partnerA);
          throw new Error('the change failed');
        }),
      );
      const marker = testMail('zh-Hans', 'marker@customer.test');
      const markerId = await withTransaction(app.app.database, (tx) =>
        enqueueMail(tx, app.app.jobs, marker, partnerA),
      );
      await eventually('the later mail', async () => (await statusOf(app, markerId)).status === 'sent');
      assert.equal(
        smtp.messages.some((received) => received.messageId === mail.messageId),
        false,
      );
      assert.equal(
        (await listMail(app.app, partnerA)).some((row) => row.messageId === mail.messageId),
        false,
      );
    });

    it('a recipient the server refuses for good › is marked failed with the server answer, not retried', async () => {
      smtp.rejectRecipients(/refused@/, 550);
      const mail = testMail('ru', 'refused@customer.test');
      const id = await withTransaction(app.app.database, (tx) =>
        enqueueMail(tx, app.app.jobs, mail, partnerA),
      );
      const row = await eventually('the failure to be recorded', async () => {
        const current = await statusOf(app, id);
        return current.status === 'failed' && current;
      });
      assert.match(row.lastError ?? '', /550/);
      assert.equal(row.attempts, 1);
    });
  });

  describe(`outbox on ${engine} without SMTP`, () => {
    let app: RunningApp;
    before(async () => {
      app = await startTestApp({ engine });
    });
    after(() => app.close());

    it('mail › is held in the outbox where admins can read it, saying why', async () => {
      assert.equal(app.app.mail.mode, 'outbox-only');
      const mail = testMail('zh-Hans', 'held@customer.test');
      const id = await withTransaction(app.app.database, (tx) =>
        enqueueMail(tx, app.app.jobs, mail, partnerA),
      );
      const row = await eventually('the mail to be held', async () => {
        const current = await statusOf(app, id);
        return current.status === 'held' && current;
      });
      assert.match(row.lastError ?? '', /SMTP_URL is not set/);
      const held = await listMail(app.app, partnerA, 'held');
      assert.deepEqual(
        held.map((entry) => entry.subject),
        [mail.subject],
      );
      assert.deepEqual(await listMail(app.app, '00000000-0000-4000-8000-00000000000b'), []);
    });
  });
}
