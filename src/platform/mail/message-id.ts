import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { invalid } from '#platform/errors';

const messageIdPattern = /^<[^<>@\s]+@[^<>@\s]+>$/;

/**
 * A fresh RFC 5322 Message-ID (`<uuid@domain>`). The caller stores it with the mail before the first
 * attempt, so every redelivery carries the same id and receivers can drop the duplicate.
 */
export function makeMessageId(domain: string): string {
  const asciiDomain = domainToASCII(domain.trim());
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(asciiDomain)) {
    throw invalid('invalid-mail-domain', `"${domain}" is not a domain name a Message-ID can use`, {
      field: 'domain',
    });
  }
  return `<${randomUUID()}@${asciiDomain}>`;
}

export function assertMessageId(messageId: string): void {
  if (!messageIdPattern.test(messageId)) {
    throw invalid(
      'invalid-message-id',
      `Message-ID must look like <id@domain>, got ${JSON.stringify(messageId)}`,
      {
        field: 'messageId',
      },
    );
  }
}
