import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningApp } from '#platform/app';
import { withTransaction } from '#platform/db';
import { listMail } from '#platform/outbox';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { eventually, startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { type SmtpCapture, startSmtpCapture } from '#test/smtp';
import { notificationsModule, type SendNotificationInput, sendNotification } from './index.ts';

const at = new Date('2026-03-10T09:30:00Z');

const newSignIn = (
  partnerId: string,
  address: string,
  language?: string | null,
): SendNotificationInput<'new-sign-in'> => ({
  partnerId,
  template: 'new-sign-in',
  to: { address, name: 'Ирина Петрова', language },
  values: { at, ip: '203.0.113.7', userAgent: 'Firefox 140', method: 'password' },
});

for (const engine of engines()) {
  describe(`notifications on ${engine}`, () => {
    let smtp: SmtpCapture;
    let running: RunningApp;
    /** Writes its own sender and Taiwan's language; the other partner leaves both to the installation. */
    let taipei: string;
    let plain: string;

    const send = (input: SendNotificationInput<'new-sign-in'>) =>
      withTransaction(running.app.database, (tx) => sendNotification(tx, running.app, input));
    const arrivedWith = (messageId: string) => () =>
      Promise.resolve(smtp.messages.find((mail) => mail.messageId === messageId));

    before(async () => {
      smtp = await startSmtpCapture();
      running = await startTestApp({
        engine,
        modules: [notificationsModule],
        authenticator: headerAuthenticator,
        config: { smtpUrl: smtp.url, mailFrom: 'desk@installation.test' },
      });
      taipei = await createTestPartner(running.app, 'cloud-tw', {
        legalName: '雲端夥伴股份有限公司',
        displayName: '雲端夥伴',
        defaultLanguage: 'zh-Hant',
        timeZone: 'Asia/Taipei',
        senderName: '雲端夥伴客服',
        senderAddress: 'service@cloud-tw.test',
        supportEmail: 'help@cloud-tw.test',
      });
      plain = await createTestPartner(running.app, 'plain-partner', { legalName: 'Plain Partner Ltd' });
    });
    after(async () => {
      await running.close();
      await smtp.close();
    });

    it("committed › arrives over SMTP in the recipient's Russian and in the partner's Traditional Chinese", async () => {
      const [russian, chinese] = await withTransaction(running.app.database, async (tx) => [
        await sendNotification(tx, running.app, newSignIn(taipei, 'irina@customer.test', 'ru-RU')),
        await sendNotification(tx, running.app, newSignIn(taipei, 'mei@customer.test', null)),
      ]);
      assert.equal(russian!.locale, 'ru');
      assert.equal(chinese!.locale, 'zh-Hant');

      const inRussian = await eventually('the Russian mail', arrivedWith(russian!.messageId));
      assert.equal(inRussian.subject, 'Новый вход в учётную запись 雲端夥伴');
      assert.match(inRussian.text ?? '', /Время: 10 марта 2026 г\. в 17:30 \(Asia\/Taipei\)/);
      assert.match(String(inRussian.html), /<html lang="ru">/);
      assert.deepEqual(inRussian.envelope.to, ['irina@customer.test']);

      const inChinese = await eventually('the Chinese mail', arrivedWith(chinese!.messageId));
      assert.equal(inChinese.subject, '您的 雲端夥伴 帳戶有新的登入');
      assert.match(inChinese.text ?? '', /時間：2026年3月10日 下午5:30（Asia\/Taipei）/);
      assert.deepEqual(inChinese.from?.value, [{ name: '雲端夥伴客服', address: 'service@cloud-tw.test' }]);
      assert.deepEqual(inChinese.replyTo?.value, [{ name: '雲端夥伴', address: 'help@cloud-tw.test' }]);
      assert.match(chinese!.messageId, /@cloud-tw\.test>$/);
      assert.equal(inChinese.headers.get('auto-submitted'), 'auto-generated');
    });

    it('sender › without its own, a partner sends under its display name from MAIL_FROM', async () => {
      const queued = await send(newSignIn(plain, 'someone@customer.test'));
      assert.equal(queued.locale, 'en');
      const mail = await eventually('the mail', arrivedWith(queued.messageId));
      assert.deepEqual(mail.from?.value, [{ name: 'Plain Partner Ltd', address: 'desk@installation.test' }]);
      assert.match(queued.messageId, /@installation\.test>$/);
      assert.equal(mail.replyTo, undefined);
    });

    it('rolled back › the mail is never written nor sent', async () => {
      let messageId = '';
      await assert.rejects(
        withTransaction(running.app.database, async (tx) => {
          ({ messageId } = await sendNotification(tx, running.app, newSignIn(plain, 'never@customer.test')));
          throw new Error('the sign-in failed');
        }),
        /the sign-in failed/,
      );
      const marker = await send(newSignIn(plain, 'marker@customer.test'));
      await eventually('a later mail', arrivedWith(marker.messageId));
      assert.equal(
        smtp.messages.some((mail) => mail.messageId === messageId),
        false,
      );
      assert.equal(
        (await listMail(running.app, plain)).some((mail) => mail.messageId === messageId),
        false,
      );
    });

    it("delivery log › shows the actor's partner's mail only, with status and never the body", async () => {
      const queued = await send(newSignIn(taipei, 'log@customer.test', 'hu'));
      await eventually('the mail to be sent', arrivedWith(queued.messageId));
      const response = await eventually('the log to say sent', async () => {
        const current = await running.http.inject({
          url: '/api/v1/notifications/deliveries?status=sent',
          headers: staffHeader(taipei, ['partner.manage']),
        });
        return current.json().items.some((item: { id: string }) => item.id === queued.outboxId) && current;
      });
      assert.equal(response.statusCode, 200);
      const items: Record<string, unknown>[] = response.json().items;
      const mine = items.find((item) => item.id === queued.outboxId)!;
      assert.deepEqual(Object.keys(mine).sort(), [
        'attempts',
        'createdAt',
        'id',
        'lastError',
        'recipients',
        'sentAt',
        'status',
        'subject',
      ]);
      assert.equal(mine.recipients, 'log@customer.test');
      assert.equal(mine.subject, 'Új bejelentkezés a(z) 雲端夥伴 fiókjába');
      assert.equal(mine.status, 'sent');
      assert.equal(mine.attempts, 1);
      assert.doesNotMatch(response.body, /203\.0\.113\.7|Firefox/, 'no body text');
      const recipients = items.map((item) => item.recipients);
      assert.ok(!recipients.includes('someone@customer.test'), "the other partner's mail is not listed");

      const other = await running.http.inject({
        url: '/api/v1/notifications/deliveries?limit=200',
        headers: staffHeader(plain, ['partner.manage']),
      });
      const otherRecipients = other.json().items.map((item: { recipients: string }) => item.recipients);
      assert.ok(otherRecipients.includes('someone@customer.test'));
      assert.ok(!otherRecipients.includes('log@customer.test'));
    });

    it('delivery log › filters by status and limits the page', async () => {
      const held = await running.http.inject({
        url: '/api/v1/notifications/deliveries?status=failed',
        headers: staffHeader(taipei, ['partner.manage']),
      });
      assert.deepEqual(held.json().items, []);
      const one = await running.http.inject({
        url: '/api/v1/notifications/deliveries?limit=1',
        headers: staffHeader(taipei, ['partner.manage']),
      });
      assert.equal(one.json().items.length, 1);
      const bad = await running.http.inject({
        url: '/api/v1/notifications/deliveries?status=lost',
        headers: staffHeader(taipei, ['partner.manage']),
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().field ?? '', /status/);
    });

    it('delivery log › anonymous gets 401, staff without partner.manage 403, a customer user 404', async () => {
      const url = '/api/v1/notifications/deliveries';
      assert.equal((await running.http.inject(url)).statusCode, 401);
      const agent = await running.http.inject({ url, headers: staffHeader(taipei, ['customers.read']) });
      assert.equal(agent.statusCode, 403);
      const customer = await running.http.inject({
        url,
        headers: {
          'x-test-actor': JSON.stringify({
            kind: 'customer',
            id: 'customer-user',
            partnerId: taipei,
            customerId: '00000000-0000-4000-8000-0000000000c1',
            permissions: ['partner.manage'],
          }),
        },
      });
      assert.equal(customer.statusCode, 404);
    });
  });
}
