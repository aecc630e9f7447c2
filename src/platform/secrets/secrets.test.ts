import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDomainError } from '#platform/errors';
import { KEY_FILE, loadKeyring, SecretError } from './index.ts';

const envKey = randomBytes(32).toString('base64');

/** Flips one bit of the sealed part of a ciphertext. */
function tamper(ciphertext: string): string {
  const parts = ciphertext.split(':');
  const sealed = Buffer.from(parts[3]!, 'base64url');
  sealed[0] = sealed[0]! ^ 1;
  parts[3] = sealed.toString('base64url');
  return parts.join(':');
}

function failsWith(reason: SecretError['reason']) {
  return (error: unknown) => error instanceof SecretError && error.reason === reason;
}

describe('secrets › keyring', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-secrets-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));
  const freshDir = () => mkdtemp(join(dataDir, 'case-'));

  it('round trip › what is sealed opens to the same text, in the v1:<key>:<iv>:<data> format', async () => {
    const { keyring } = await loadKeyring({ secretKey: envKey, dataDir: await freshDir() });
    const ciphertext = keyring.encrypt('JBSWY3DPEHPK3PXP ünïcödé 秘密', 'totp:user-1');
    assert.match(ciphertext, /^v1:[0-9a-f]{16}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    assert.equal(ciphertext.split(':')[1], keyring.currentKeyId);
    assert.doesNotMatch(ciphertext, /JBSWY3DP/);
    assert.equal(keyring.decrypt(ciphertext, 'totp:user-1'), 'JBSWY3DPEHPK3PXP ünïcödé 秘密');
    assert.notEqual(keyring.encrypt('same'), keyring.encrypt('same'), 'a fresh IV every time');
  });

  it('tampering › any changed bit, relabelled key id or broken format is an error, never garbage', async () => {
    const { keyring } = await loadKeyring({ secretKey: envKey, dataDir: await freshDir() });
    const ciphertext = keyring.encrypt('client-secret');
    assert.throws(() => keyring.decrypt(tamper(ciphertext)), failsWith('tampered'));
    const [, , iv, sealed] = ciphertext.split(':');
    assert.throws(() => keyring.decrypt(`v1:0000000000000000:${iv}:${sealed}`), failsWith('unknown-key'));
    for (const broken of ['', 'plain text', 'v2:a:b:c', ciphertext.slice(0, 30), `${ciphertext}:extra`]) {
      assert.throws(() => keyring.decrypt(broken), failsWith('malformed'), broken);
    }
  });

  it('associated data › a ciphertext opened with other associated data fails', async () => {
    const { keyring } = await loadKeyring({ secretKey: envKey, dataDir: await freshDir() });
    const ciphertext = keyring.encrypt('refresh-token', 'partner-a');
    assert.throws(() => keyring.decrypt(ciphertext, 'partner-b'), failsWith('tampered'));
    assert.throws(() => keyring.decrypt(ciphertext), failsWith('tampered'));
    assert.equal(keyring.decrypt(ciphertext, 'partner-a'), 'refresh-token');
  });

  it('wrong key › another installation cannot open the secret and says which key it needs', async () => {
    const { keyring: ours } = await loadKeyring({ secretKey: envKey, dataDir: await freshDir() });
    const { keyring: theirs } = await loadKeyring({
      secretKey: randomBytes(32).toString('base64'),
      dataDir: await freshDir(),
    });
    assert.throws(
      () => theirs.decrypt(ours.encrypt('secret')),
      (error: unknown) => failsWith('unknown-key')(error) && String(error).includes(ours.currentKeyId),
    );
  });

  it('environment key › its id is derived from the key, so it is the same on every start', async () => {
    const first = await loadKeyring({ secretKey: envKey, dataDir: await freshDir() });
    const second = await loadKeyring({ secretKey: envKey, dataDir: await freshDir() });
    assert.equal(first.generated, false);
    assert.equal(first.keyring.currentKeyId, second.keyring.currentKeyId);
    assert.equal(second.keyring.decrypt(first.keyring.encrypt('x', 'ad'), 'ad'), 'x');
  });

  it('environment key › a key that is not 32 bytes of base64 is refused, naming the variable', async () => {
    await assert.rejects(
      loadKeyring({ secretKey: randomBytes(16).toString('base64'), dataDir: await freshDir() }),
      (error: unknown) => isDomainError(error) && error.location.field === 'PARTNERDESK_SECRET_KEY',
    );
  });

  it('generated key › written once with mode 0600, reused on the next start, and said so once', async () => {
    const dir = await freshDir();
    const first = await loadKeyring({ secretKey: undefined, dataDir: dir });
    assert.equal(first.generated, true);
    const mode = (await stat(join(dir, KEY_FILE))).mode & 0o777;
    assert.equal(mode.toString(8), '600');
    const ciphertext = first.keyring.encrypt('oidc-client-secret', 'oidc:partner-a');

    const second = await loadKeyring({ secretKey: undefined, dataDir: dir });
    assert.equal(second.generated, false);
    assert.equal(second.keyring.currentKeyId, first.keyring.currentKeyId);
    assert.equal(second.keyring.decrypt(ciphertext, 'oidc:partner-a'), 'oidc-client-secret');
  });

  it('generated key › two processes starting at once on one folder end up with the same key', async () => {
    const dir = await freshDir();
    const [a, b] = await Promise.all([
      loadKeyring({ secretKey: undefined, dataDir: dir }),
      loadKeyring({ secretKey: undefined, dataDir: dir }),
    ]);
    assert.equal(a.keyring.currentKeyId, b.keyring.currentKeyId);
    assert.equal([a.generated, b.generated].filter(Boolean).length, 1);
  });

  it('generated key › a damaged key file stops start-up naming the file', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, KEY_FILE), '{"version":1,"current":"x","keys":[]}');
    await assert.rejects(
      loadKeyring({ secretKey: undefined, dataDir: dir }),
      (error: unknown) => isDomainError(error) && error.location.file === join(dir, KEY_FILE),
    );
  });

  it('rotation › a new current key seals; the old key still opens what it sealed, after a restart too', async () => {
    const dir = await freshDir();
    const { keyring } = await loadKeyring({ secretKey: undefined, dataDir: dir });
    const oldId = keyring.currentKeyId;
    const old = keyring.encrypt('sealed before rotation', 'ad');
    const newId = await keyring.rotate();
    assert.notEqual(newId, oldId);
    assert.equal(keyring.currentKeyId, newId);
    const fresh = keyring.encrypt('sealed after rotation', 'ad');
    assert.equal(fresh.split(':')[1], newId);
    assert.equal(keyring.decrypt(old, 'ad'), 'sealed before rotation');

    const restarted = await loadKeyring({ secretKey: undefined, dataDir: dir });
    assert.equal(restarted.keyring.currentKeyId, newId);
    assert.equal(restarted.keyring.decrypt(old, 'ad'), 'sealed before rotation');
    assert.equal(restarted.keyring.decrypt(fresh, 'ad'), 'sealed after rotation');
    assert.equal((await stat(join(dir, KEY_FILE))).mode & 0o777, 0o600);
  });

  it('moving to an environment key › secrets sealed by the generated key still open', async () => {
    const dir = await freshDir();
    const { keyring: generated } = await loadKeyring({ secretKey: undefined, dataDir: dir });
    const old = generated.encrypt('sealed by the generated key');
    const { keyring } = await loadKeyring({ secretKey: envKey, dataDir: dir });
    assert.notEqual(keyring.currentKeyId, generated.currentKeyId);
    assert.equal(keyring.encrypt('new').split(':')[1], keyring.currentKeyId);
    assert.equal(keyring.decrypt(old), 'sealed by the generated key');
    await assert.rejects(keyring.rotate(), /PARTNERDESK_SECRET_KEY/);
  });

  it('generated key › the file never holds an environment key', async () => {
    const dir = await freshDir();
    await loadKeyring({ secretKey: undefined, dataDir: dir });
    await loadKeyring({ secretKey: envKey, dataDir: dir });
    assert.equal((await readFile(join(dir, KEY_FILE), 'utf8')).includes(envKey), false);
  });
});
