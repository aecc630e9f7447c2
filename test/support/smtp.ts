import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/** A message as the listener received it: parsed, with the SMTP envelope and the raw bytes. */
export type CapturedMail = ParsedMail & { envelope: { from: string; to: string[] }; raw: Buffer };

export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`, ready for createMailTransport. */
  url: string;
  messages: CapturedMail[];
  /** Resolves once `count` messages have arrived; rejects after `timeoutMs` saying how many did. */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  /** Answers RCPT TO for matching addresses with `code` (e.g. 550 permanent, 451 temporary). */
  rejectRecipients(pattern: RegExp | string, code: number): void;
  close(): Promise<void>;
}

/**
 * A real SMTP listener on 127.0.0.1 with a free port and no authentication, for tests of code that
 * sends mail. A message is parsed before the server accepts it, so after a send resolves it is in
 * `messages` already.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const rejections: { pattern: RegExp | string; code: number }[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const rule = rejections.find(({ pattern }) =>
        typeof pattern === 'string'
          ? pattern.toLowerCase() === address.address.toLowerCase()
          : pattern.test(address.address),
      );
      if (rule === undefined) return callback();
      const error: SMTPServerError = new Error(
        rule.code >= 500
          ? `<${address.address}>: mailbox unavailable`
          : `<${address.address}>: try again later`,
      );
      error.responseCode = rule.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((recipient) => recipient.address),
      };
      buffer(stream)
        .then(async (raw) => Object.assign(await simpleParser(raw), { envelope, raw }))
        .then(
          (mail) => {
            messages.push(mail);
            for (const wake of waiters) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} mail(s) within ${timeoutMs} ms, ${messages.length} arrived`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    rejectRecipients(pattern, code) {
      rejections.push({ pattern, code });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function buffer(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
