import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '#platform/errors';

/**
 * Secrets at rest (OIDC client secrets, TOTP secrets, Partner Center refresh tokens) are sealed with
 * AES-256-GCM. A ciphertext names the key that sealed it, so keys can be rotated: the keyring seals with
 * its current key and opens with any key it holds.
 */
export interface Keyring {
  /** The id of the key new ciphertexts are sealed with. */
  readonly currentKeyId: string;
  /** Where the keys come from, for start-up messages (never the key itself). */
  readonly description: string;
  /**
   * `v1:<keyId>:<iv>:<ciphertext+tag>` (base64url). `associatedData` binds the ciphertext to its place
   * (e.g. `oidc:<partnerId>`): opening it with other associated data fails.
   */
  encrypt(plaintext: string, associatedData?: string): string;
  /** The plaintext, or a SecretError: never garbage. */
  decrypt(ciphertext: string, associatedData?: string): string;
  /**
   * Generates a new current key and saves it beside the old ones, which keep opening old ciphertexts.
   * Only for generated keys: a key from PARTNERDESK_SECRET_KEY is rotated by whoever sets it.
   */
  rotate(): Promise<string>;
}

export type SecretErrorReason = 'malformed' | 'unknown-key' | 'tampered';

/** A ciphertext that cannot be opened: a server fault (wrong key, altered data), never user input. */
export class SecretError extends Error {
  readonly reason: SecretErrorReason;

  constructor(reason: SecretErrorReason, message: string) {
    super(message);
    this.name = 'SecretError';
    this.reason = reason;
  }
}

export interface KeyringOptions {
  /** PARTNERDESK_SECRET_KEY: base64 of 32 bytes. */
  secretKey: string | undefined;
  dataDir: string;
}

export const KEY_FILE = 'secret-keys.json';
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface KeyFile {
  version: 1;
  current: string;
  keys: { id: string; key: string; createdAt: string }[];
}

/**
 * The id is derived from the key, so the same key has the same id wherever it is configured: a
 * generated key later moved into PARTNERDESK_SECRET_KEY still opens what it sealed.
 */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('partnerdesk secret key id\0').update(key).digest('hex').slice(0, 16);
}

/** The key id and version are authenticated too, so a ciphertext cannot be relabelled. */
function aadOf(keyId: string, associatedData: string | undefined): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${associatedData ?? ''}`, 'utf8');
}

function decodeKey(base64: string, where: { field?: string; file?: string }): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) {
    throw invalid('invalid-secret-key', `The secret key must be ${KEY_BYTES} bytes written in base64`, where);
  }
  return key;
}

function createKeyring(
  keys: ReadonlyMap<string, Buffer>,
  initialKeyId: string,
  description: string,
  newKey: () => Promise<string>,
): Keyring {
  let currentKeyId = initialKeyId;
  return {
    get currentKeyId() {
      return currentKeyId;
    },
    description,
    encrypt(plaintext, associatedData) {
      const keyId = currentKeyId;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadOf(keyId, associatedData));
      const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}:${keyId}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
    },
    decrypt(ciphertext, associatedData) {
      const parts = ciphertext.split(':');
      const [version, keyId = '', ivText = '', sealedText = ''] = parts;
      const iv = Buffer.from(ivText, 'base64url');
      const sealed = Buffer.from(sealedText, 'base64url');
      if (parts.length !== 4 || version !== VERSION || iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
        throw new SecretError('malformed', 'Not a partnerdesk ciphertext (expected v1:<key>:<iv>:<data>)');
      }
      const key = keys.get(keyId);
      if (!key) {
        throw new SecretError(
          'unknown-key',
          `The secret was sealed with key ${keyId}, which this installation does not hold: ` +
            `set PARTNERDESK_SECRET_KEY to that key or restore ${KEY_FILE}`,
        );
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadOf(keyId, associatedData));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      try {
        const opened = Buffer.concat([
          decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return opened.toString('utf8');
      } catch {
        throw new SecretError(
          'tampered',
          'The secret does not authenticate: it was altered, or belongs to another record',
        );
      }
    },
    async rotate() {
      currentKeyId = await newKey();
      return currentKeyId;
    },
  };
}

interface StoredKeys {
  keys: Map<string, Buffer>;
  current: string;
  createdAt: Map<string, string>;
}

function parseKeyFile(text: string, path: string): StoredKeys {
  const bad = (why: string) => invalid('invalid-secret-keys', `${path}: ${why}`, { file: path });
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(text) as KeyFile;
  } catch {
    throw bad('not valid JSON');
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.keys)) throw bad('not a version 1 key file');
  const keys = new Map<string, Buffer>();
  const createdAt = new Map<string, string>();
  for (const entry of parsed.keys) {
    const key = decodeKey(String(entry?.key), { file: path });
    if (keyIdOf(key) !== entry.id) throw bad(`key ${entry.id} does not match its id`);
    keys.set(entry.id, key);
    createdAt.set(entry.id, String(entry.createdAt));
  }
  if (!keys.has(parsed.current)) throw bad(`the current key ${parsed.current} is not in the file`);
  return { keys, current: parsed.current, createdAt };
}

function keyFileText({ keys, current, createdAt }: StoredKeys): string {
  const file: KeyFile = {
    version: 1,
    current,
    keys: [...keys].map(([id, key]) => ({ id, key: key.toString('base64'), createdAt: createdAt.get(id)! })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

async function readKeyFile(path: string): Promise<StoredKeys | undefined> {
  try {
    return parseKeyFile(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Adds a fresh key to `stored` and makes it current. */
function addKey(stored: StoredKeys): string {
  const key = randomBytes(KEY_BYTES);
  const id = keyIdOf(key);
  stored.keys.set(id, key);
  stored.createdAt.set(id, new Date().toISOString());
  stored.current = id;
  return id;
}

/**
 * Writes beside the target with mode 0600 (chmod as well: a umask must not widen it), then moves it in.
 * Without `replace`, an existing file wins and false is returned: of two processes starting at once
 * on one data folder, both end up with the same key.
 */
async function writePrivate(path: string, text: string, replace: boolean): Promise<boolean> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temporary, 0o600);
    if (replace) await rename(temporary, path);
    else await link(temporary, path);
    return true;
  } catch (error) {
    if (!replace && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

/**
 * The installation's keyring: the PARTNERDESK_SECRET_KEY key when set, else the keys in
 * `<dataDir>/secret-keys.json`, generated on first start (`generated` says so, for start-up to tell).
 * With an environment key, keys in that file still open what they sealed earlier.
 */
export async function loadKeyring(
  options: KeyringOptions,
): Promise<{ keyring: Keyring; generated: boolean }> {
  const path = join(options.dataDir, KEY_FILE);
  const stored = await readKeyFile(path);

  if (options.secretKey !== undefined) {
    const key = decodeKey(options.secretKey, { field: 'PARTNERDESK_SECRET_KEY' });
    const id = keyIdOf(key);
    const keys = new Map(stored?.keys ?? []).set(id, key);
    const keyring = createKeyring(keys, id, `PARTNERDESK_SECRET_KEY (key ${id})`, async () => {
      throw new Error('The key comes from PARTNERDESK_SECRET_KEY: rotate it by setting a new one');
    });
    return { keyring, generated: false };
  }

  let generated = false;
  let keys = stored;
  if (!keys) {
    const fresh: StoredKeys = { keys: new Map(), current: '', createdAt: new Map() };
    addKey(fresh);
    await mkdir(options.dataDir, { recursive: true });
    generated = await writePrivate(path, keyFileText(fresh), false);
    keys = generated ? fresh : await readKeyFile(path);
    if (!keys) throw new Error(`${path} vanished while it was being created`);
  }
  const file = keys;
  const keyring = createKeyring(file.keys, file.current, `generated key in ${path}`, async () => {
    const next: StoredKeys = {
      keys: new Map(file.keys),
      current: file.current,
      createdAt: new Map(file.createdAt),
    };
    const id = addKey(next);
    await writePrivate(path, keyFileText(next), true);
    file.keys.set(id, next.keys.get(id)!);
    file.createdAt.set(id, next.createdAt.get(id)!);
    file.current = id;
    return id;
  });
  return { keyring, generated };
}
