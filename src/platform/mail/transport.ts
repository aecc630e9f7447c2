import { createTransport } from 'nodemailer';
import { DomainError, invalid } from '#platform/errors';
import { assertMessageId } from './message-id.ts';

export interface MailAddress {
  name?: string;
  address: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface OutgoingMail {
  /** `<id@domain>`, chosen by the caller and kept across redeliveries (see makeMessageId). */
  messageId: string;
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  replyTo?: MailAddress;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface MailServer {
  host: string;
  port: number;
  secure: boolean;
}

export interface MailTransport {
  /** Where mail goes, without credentials: safe to log. */
  readonly server: MailServer;
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Connects (and authenticates) once, to check the configuration. */
  verify(): Promise<void>;
  close(): void;
}

/**
 * The SMTP server could not take the mail. `temporary` failures (4xx replies, a server that cannot be
 * reached) may succeed later; permanent ones (5xx replies) will get the same answer again.
 */
export class MailDeliveryError extends DomainError {
  readonly temporary: boolean;
  /** The server's own reply, e.g. `550 5.1.1 User unknown`, when it gave one. */
  readonly smtpResponse: string | undefined;

  constructor(message: string, temporary: boolean, smtpResponse: string | undefined, cause: unknown) {
    super('unavailable', temporary ? 'mail-temporary-failure' : 'mail-permanent-failure', message);
    this.name = 'MailDeliveryError';
    this.temporary = temporary;
    this.smtpResponse = smtpResponse;
    this.cause = cause;
  }
}

/** The delivery job retries only these; anything else (a rejection, a malformed mail) is final. */
export function isTemporaryMailFailure(error: unknown): boolean {
  return error instanceof MailDeliveryError && error.temporary;
}

// nodemailer's codes for failures before any SMTP reply: the server may well answer next time.
const connectionFailureCodes = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'EPROXY']);

const defaultPorts = { 'smtp:': 587, 'smtps:': 465 } as const;

function parseSmtpUrl(smtpUrl: string): MailServer {
  let url: URL;
  try {
    url = new URL(smtpUrl.trim());
  } catch {
    throw invalid(
      'invalid-smtp-url',
      'SMTP_URL is not a URL: use smtp://user:password@host:587 or smtps://host:465',
      {
        field: 'SMTP_URL',
      },
    );
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw invalid('invalid-smtp-url', `SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`, {
      field: 'SMTP_URL',
    });
  }
  if (url.hostname === '') {
    throw invalid('invalid-smtp-url', 'SMTP_URL names no host', { field: 'SMTP_URL' });
  }
  return {
    host: url.hostname,
    port: url.port === '' ? defaultPorts[url.protocol] : Number(url.port),
    secure: url.protocol === 'smtps:',
  };
}

/**
 * An SMTP transport for `SMTP_URL` (query parameters such as `?requireTLS=true` or
 * `?tls.rejectUnauthorized=false` reach nodemailer unchanged). Call it outside any database
 * transaction: a send waits on the network.
 */
export function createMailTransport(smtpUrl: string): MailTransport {
  const server = parseSmtpUrl(smtpUrl);
  const transporter = createTransport({
    url: smtpUrl.trim(),
    port: server.port,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  const where = `${server.host}:${server.port}`;

  return {
    server,
    async send(mail) {
      assertMessageId(mail.messageId);
      try {
        const info = await transporter.sendMail({
          messageId: mail.messageId,
          from: mail.from,
          to: mail.to,
          cc: mail.cc,
          replyTo: mail.replyTo,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
          attachments: mail.attachments?.map((attachment) => ({
            filename: attachment.filename,
            contentType: attachment.contentType,
            content: Buffer.from(
              attachment.content.buffer,
              attachment.content.byteOffset,
              attachment.content.byteLength,
            ),
          })),
        });
        return { messageId: info.messageId, accepted: info.accepted, rejected: info.rejected };
      } catch (error) {
        throw toDeliveryError(error, where);
      }
    },
    async verify() {
      try {
        await transporter.verify();
      } catch (error) {
        throw toDeliveryError(error, where);
      }
    },
    close() {
      transporter.close();
    },
  };
}

interface NodemailerFailure {
  message: string;
  code?: string;
  originalCode?: string;
  response?: string;
  permanent?: boolean;
  command?: string;
  rejectedErrors?: { recipient?: string; response?: string }[];
}

function toDeliveryError(error: unknown, where: string): MailDeliveryError {
  const failure = error as NodemailerFailure;
  if (failure.response !== undefined) {
    const temporary = failure.permanent === false;
    const answers = failure.rejectedErrors?.length
      ? failure.rejectedErrors.map((rejection) => `${rejection.recipient}: ${rejection.response}`).join('; ')
      : failure.response;
    const message = `SMTP server ${where} refused ${failure.command ?? 'the mail'} (${temporary ? 'temporary' : 'permanent'}): ${answers}`;
    return new MailDeliveryError(message, temporary, failure.response, error);
  }
  if (failure.code !== undefined && connectionFailureCodes.has(failure.code)) {
    const message = `Could not talk to SMTP server ${where} (${failure.originalCode ?? failure.code}): ${failure.message}`;
    return new MailDeliveryError(message, true, undefined, error);
  }
  return new MailDeliveryError(`Mail to ${where} failed: ${failure.message}`, false, undefined, error);
}

export type MailDelivery =
  | { mode: 'smtp'; transport: MailTransport; summary: string }
  | { mode: 'outbox-only'; summary: string };

/**
 * What start-up does with `SMTP_URL`: unset means mail stays in the outbox for admins to read, and the
 * summary says so; set but malformed stops start-up (invalid-smtp-url). Never a silent fallback.
 */
export function selectMailDelivery(smtpUrl: string | undefined): MailDelivery {
  if (smtpUrl === undefined || smtpUrl.trim() === '') {
    return {
      mode: 'outbox-only',
      summary: 'SMTP_URL is not set: mail is kept in the outbox for admins to read',
    };
  }
  const transport = createMailTransport(smtpUrl);
  const { host, port, secure } = transport.server;
  return {
    mode: 'smtp',
    transport,
    summary: `Mail is sent through ${secure ? 'smtps' : 'smtp'}://${host}:${port}`,
  };
}
