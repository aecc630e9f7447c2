import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AddressObject } from 'mailparser';
import { isDomainError } from '#platform/errors';
import { type CapturedMail, type SmtpCapture, startSmtpCapture } from '#test/smtp';
import {
  createMailTransport,
  isTemporaryMailFailure,
  MailDeliveryError,
  type MailTransport,
  makeMessageId,
  type OutgoingMail,
  selectMailDelivery,
} from './index.ts';

const sender = { name: 'Contoso Billing', address: 'billing@contoso.example' };

function mailTo(address: string, overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    messageId: makeMessageId('contoso.example'),
    from: sender,
    to: [{ address }],
    subject: 'Invoice INV-42',
    text: 'Your invoice is ready.',
    ...overrides,
  };
}

function headerLine(mail: CapturedMail, key: string): string {
  const found = mail.headerLines.find((line) => line.key === key);
  assert.ok(found, `the mail has a ${key} header`);
  return found.line;
}

function firstAddress(header: AddressObject | AddressObject[] | undefined) {
  const object = Array.isArray(header) ? header[0] : header;
  return object?.value[0];
}

async function deadPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

async function deliveryFailure(promise: Promise<unknown>): Promise<MailDeliveryError> {
  const error = await promise.then(
    () => assert.fail('the send should have failed'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof MailDeliveryError, `a MailDeliveryError, got ${String(error)}`);
  return error;
}

describe('mail', () => {
  let capture: SmtpCapture;
  let transport: MailTransport;

  before(async () => {
    capture = await startSmtpCapture();
    transport = createMailTransport(capture.url);
  });
  after(async () => {
    transport.close();
    await capture.close();
  });

  it('mail › Russian mail › subject, sender name and body arrive as sent, headers RFC 2047 encoded', async () => {
    const mail = mailTo('client@tenant.example', {
      from: { name: 'Ирина Петрова', address: 'billing@contoso.example' },
      to: [{ name: 'Алексей Смирнов', address: 'client@tenant.example' }],
      subject: 'Счёт № 42 выставлен',
      text: 'Здравствуйте!\nСчёт № 42 на сумму 12 500,00 ₽ выставлен. Оплатите его до 15 марта.',
    });

    const sent = await transport.send(mail);

    assert.equal(sent.messageId, mail.messageId);
    assert.deepEqual(sent.accepted, ['client@tenant.example']);
    assert.deepEqual(sent.rejected, []);
    const received = capture.messages.find((message) => message.messageId === mail.messageId);
    assert.ok(received, 'the server received the mail');
    assert.equal(received.subject, 'Счёт № 42 выставлен');
    assert.deepEqual(firstAddress(received.from), {
      name: 'Ирина Петрова',
      address: 'billing@contoso.example',
    });
    assert.deepEqual(firstAddress(received.to), {
      name: 'Алексей Смирнов',
      address: 'client@tenant.example',
    });
    assert.equal(received.text?.trim(), mail.text);
    assert.deepEqual(received.envelope, { from: 'billing@contoso.example', to: ['client@tenant.example'] });

    assert.match(headerLine(received, 'subject'), /^Subject: =\?UTF-8\?[BQ]\?/i);
    assert.match(headerLine(received, 'from'), /^From: =\?UTF-8\?[BQ]\?/i);
    assert.ok(
      received.raw.every((byte) => byte < 0x80),
      'no raw 8-bit byte anywhere in the message',
    );
    assert.match(received.raw.toString('latin1'), /Content-Type: text\/plain; charset=utf-8/i);
  });

  it('mail › Simplified Chinese mail with HTML and an attachment › every part arrives byte for byte', async () => {
    const attachment = Uint8Array.from({ length: 256 }, (_, index) => index);
    const mail = mailTo('finance@tenant.example', {
      from: { name: '康托索账务部', address: 'billing@contoso.example' },
      subject: '您的发票已开具',
      text: '您好！\n您的发票 INV-42 已开具，金额：¥1,280.00，请于 30 天内付款。中文内容。',
      html: '<p>您好！</p><p>您的发票 <b>INV-42</b> 已开具，金额：<b>¥1,280.00</b>。</p>',
      attachments: [
        { filename: '发票-INV-42.bin', contentType: 'application/octet-stream', content: attachment },
      ],
    });

    const arrivedBefore = capture.messages.length;

    await transport.send(mail);

    const received = (await capture.waitFor(arrivedBefore + 1)).at(-1);
    assert.ok(received, 'the server received the mail');
    assert.equal(received.messageId, mail.messageId);
    assert.equal(received.subject, '您的发票已开具');
    assert.equal(firstAddress(received.from)?.name, '康托索账务部');
    assert.equal(received.text?.trim(), mail.text);
    assert.equal(received.html, mail.html);
    assert.equal(received.attachments.length, 1);
    assert.equal(received.attachments[0]?.filename, '发票-INV-42.bin');
    assert.equal(received.attachments[0]?.contentType, 'application/octet-stream');
    assert.deepEqual(new Uint8Array(received.attachments[0]!.content), attachment);
    const subjectLine = headerLine(received, 'subject');
    assert.match(subjectLine, /^Subject: =\?UTF-8\?[BQ]\?/i);
    assert.match(subjectLine, /^[\x20-\x7e\r\n\t]*$/, 'the Subject header is 7-bit ASCII');
  });

  it('mail › redelivery with the same Message-ID › the receiver sees the same id twice', async () => {
    const mail = mailTo('twice@tenant.example');

    await transport.send(mail);
    await transport.send(mail);

    const copies = capture.messages.filter((message) => message.messageId === mail.messageId);
    assert.equal(copies.length, 2);
  });

  it('mail › recipient refused with 550 › permanent failure quoting the server', async () => {
    capture.rejectRecipients('gone@tenant.example', 550);

    const error = await deliveryFailure(transport.send(mailTo('gone@tenant.example')));

    assert.equal(isTemporaryMailFailure(error), false);
    assert.equal(error.code, 'mail-permanent-failure');
    assert.match(error.smtpResponse ?? '', /^550 /);
    assert.match(error.message, /gone@tenant\.example: 550 .*mailbox unavailable/);
  });

  it('mail › recipient refused with 451 › temporary failure quoting the server', async () => {
    capture.rejectRecipients(/^busy@/, 451);

    const error = await deliveryFailure(transport.send(mailTo('busy@tenant.example')));

    assert.equal(isTemporaryMailFailure(error), true);
    assert.equal(error.code, 'mail-temporary-failure');
    assert.match(error.message, /busy@tenant\.example: 451 .*try again later/);
  });

  it('mail › one of two recipients refused › sent to the other, the refused one listed', async () => {
    capture.rejectRecipients('left@tenant.example', 550);
    const mail = mailTo('stays@tenant.example', {
      to: [{ address: 'stays@tenant.example' }, { address: 'left@tenant.example' }],
    });

    const sent = await transport.send(mail);

    assert.deepEqual(sent.accepted, ['stays@tenant.example']);
    assert.deepEqual(sent.rejected, ['left@tenant.example']);
    const received = capture.messages.find((message) => message.messageId === mail.messageId);
    assert.deepEqual(received?.envelope.to, ['stays@tenant.example']);
  });

  it('mail › server not listening › temporary failure naming host and port', async () => {
    const port = await deadPort();
    const unreachable = createMailTransport(`smtp://127.0.0.1:${port}`);
    try {
      const sendError = await deliveryFailure(unreachable.send(mailTo('client@tenant.example')));
      assert.equal(isTemporaryMailFailure(sendError), true);
      assert.match(sendError.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(sendError.message, /ECONNREFUSED/);

      const verifyError = await deliveryFailure(unreachable.verify());
      assert.equal(isTemporaryMailFailure(verifyError), true);
    } finally {
      unreachable.close();
    }
  });

  it('mail › verify against a listening server › resolves', async () => {
    await transport.verify();
  });

  it('mail › malformed Message-ID › invalid-message-id, nothing sent', async () => {
    const before = capture.messages.length;

    await assert.rejects(
      transport.send(mailTo('client@tenant.example', { messageId: 'no-brackets@x' })),
      (error) => {
        assert.ok(isDomainError(error));
        assert.equal(error.code, 'invalid-message-id');
        assert.equal(error.location.field, 'messageId');
        assert.equal(isTemporaryMailFailure(error), false);
        return true;
      },
    );
    assert.equal(capture.messages.length, before);
  });
});

describe('mail configuration', () => {
  for (const [url, why] of [
    ['http://mail.example.com', 'another scheme'],
    ['mail.example.com:587', 'no scheme'],
    ['smtp://', 'no host'],
    ['not a url', 'not a URL'],
  ] as const) {
    it(`mail › SMTP_URL with ${why} › invalid-smtp-url naming SMTP_URL`, () => {
      assert.throws(
        () => createMailTransport(url),
        (error) => {
          assert.ok(isDomainError(error));
          assert.equal(error.code, 'invalid-smtp-url');
          assert.equal(error.location.field, 'SMTP_URL');
          return true;
        },
      );
    });
  }

  it('mail › SMTP_URL with credentials › the password never appears in the server or summary', () => {
    const delivery = selectMailDelivery('smtps://billing%40contoso.example:s3cret@smtp.contoso.example');
    assert.equal(delivery.mode, 'smtp');
    try {
      assert.deepEqual(delivery.transport.server, { host: 'smtp.contoso.example', port: 465, secure: true });
      assert.equal(delivery.summary, 'Mail is sent through smtps://smtp.contoso.example:465');
    } finally {
      delivery.transport.close();
    }
  });

  it('mail › SMTP_URL unset or blank › outbox-only delivery, said explicitly', () => {
    for (const unset of [undefined, '', '  ']) {
      const delivery = selectMailDelivery(unset);
      assert.equal(delivery.mode, 'outbox-only');
      assert.match(delivery.summary, /SMTP_URL is not set/);
    }
  });

  it('mail › makeMessageId › a fresh RFC 5322 id on the given domain, IDN in ASCII form', () => {
    const first = makeMessageId('contoso.example');
    assert.match(first, /^<[0-9a-f-]{36}@contoso\.example>$/);
    assert.notEqual(makeMessageId('contoso.example'), first);
    assert.match(makeMessageId('пример.рф'), /@xn--e1afmkfd\.xn--p1ai>$/);
    assert.throws(() => makeMessageId('bad domain'), { code: 'invalid-mail-domain' });
  });
});
