import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { invalid } from '#platform/errors';

export const MINIMUM_PASSWORD_LENGTH = 12;

/** Lists of the passwords people pick most, lower-cased: none of them is accepted. */
const commonPasswords = new Set<string>(
  (dictionary as unknown as Record<'passwords-common', string[]>)['passwords-common'].map((word) =>
    word.toLowerCase(),
  ),
);

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash of nothing, verified when no account matches so that timing does not tell. */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<void> {
  decoyHash ??= hash('partnerdesk decoy password that never matches');
  await verifyPassword(await decoyHash, password);
}

/** Refuses passwords that are short, common, or built from the person's own e-mail or name. */
export function assertStrongPassword(
  password: string,
  person: { email: string; name?: string },
  field = 'password',
) {
  if ([...password].length < MINIMUM_PASSWORD_LENGTH) {
    throw invalid('weak-password', `The password must have at least ${MINIMUM_PASSWORD_LENGTH} characters`, {
      field,
    });
  }
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) {
    throw invalid(
      'weak-password',
      'This password is on the list of the most common passwords; choose another',
      { field },
    );
  }
  const localPart = person.email.split('@')[0]?.toLowerCase() ?? '';
  const nameParts = (person.name ?? '').toLowerCase().split(/\s+/);
  if ([localPart, ...nameParts].some((part) => part.length >= 4 && lowered.includes(part))) {
    throw invalid('weak-password', 'The password must not contain your name or e-mail address', { field });
  }
}
