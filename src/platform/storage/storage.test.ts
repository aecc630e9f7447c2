import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { isDomainError } from '#platform/errors';
import { assertStorageKey, createDirectoryStorage, type FileStorage } from './index.ts';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every file below `dir`, temporary ones included, as paths relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

function assertNotFound(error: unknown): true {
  assert.ok(isDomainError(error), `a DomainError, got ${String(error)}`);
  assert.equal(error.code, 'not-found');
  return true;
}

const invoiceKey = 'partners/6f1c1d5e-4b7a-4c1e-9a57-0d6f3b0c2a11/invoices/2026/INV-1.pdf';

describe('storage', () => {
  let workDir: string;
  let root: string;
  let storage: FileStorage;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'partnerdesk-storage-'));
    root = join(workDir, 'files');
    storage = createDirectoryStorage(root);
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('storage › put bytes then get › the same bytes come back, with size and sha256', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 Счёт № 42 · 发票 ¥1,280.00');

    const stored = await storage.put(invoiceKey, bytes);

    assert.deepEqual(stored, { key: invoiceKey, size: bytes.byteLength, sha256: sha256(bytes) });
    assert.deepEqual(new Uint8Array(await readAll(await storage.get(invoiceKey))), bytes);
    assert.deepEqual(await readFile(join(root, invoiceKey)), Buffer.from(bytes));
  });

  it('storage › put a 6 MB stream then get › round trip with the right size and sha256', async () => {
    const expected = createHash('sha256');
    let expectedSize = 0;
    const source = Readable.from(
      (function* () {
        for (let index = 0; index < 96; index++) {
          const chunk = randomBytes(64 * 1024);
          expected.update(chunk);
          expectedSize += chunk.byteLength;
          yield chunk;
        }
      })(),
    );

    const stored = await storage.put('exports/usage-2026-01.csv', source);

    const expectedSha256 = expected.digest('hex');
    assert.equal(stored.size, 6 * 1024 * 1024);
    assert.equal(stored.size, expectedSize);
    assert.equal(stored.sha256, expectedSha256);
    const readBack = createHash('sha256');
    let readSize = 0;
    for await (const chunk of await storage.get('exports/usage-2026-01.csv')) {
      readBack.update(chunk);
      readSize += chunk.byteLength;
    }
    assert.equal(readSize, expectedSize);
    assert.equal(readBack.digest('hex'), expectedSha256);
  });

  it('storage › put over an existing key › replaces it, and a reader already streaming keeps the old file whole', async () => {
    const oldBytes = randomBytes(256 * 1024);
    const newBytes = randomBytes(1000);
    await storage.put('branding/logo.png', oldBytes);
    const reader = await storage.get('branding/logo.png');

    await storage.put('branding/logo.png', newBytes);

    assert.deepEqual(await readAll(reader), oldBytes);
    assert.deepEqual(await readAll(await storage.get('branding/logo.png')), newBytes);
    assert.equal((await storage.stat('branding/logo.png')).size, 1000);
  });

  it('storage › a source that fails midway › put rejects, nothing is under the key and no temporary file is left', async () => {
    async function* failing() {
      yield randomBytes(64 * 1024);
      yield randomBytes(64 * 1024);
      throw new Error('upload connection dropped');
    }
    const before = await filesBelow(root);

    await assert.rejects(storage.put('uploads/broken.bin', failing()), /upload connection dropped/);

    assert.equal(await storage.exists('uploads/broken.bin'), false);
    assert.deepEqual(await filesBelow(root), before);
  });

  it('storage › a failed overwrite › the previous file is still there, unchanged', async () => {
    const original = randomBytes(4096);
    await storage.put('uploads/contract.pdf', original);
    const failing = new Readable({
      read() {
        this.push(randomBytes(1024));
        this.destroy(new Error('client went away'));
      },
    });

    await assert.rejects(storage.put('uploads/contract.pdf', failing), /client went away/);

    assert.deepEqual(await readAll(await storage.get('uploads/contract.pdf')), original);
    assert.deepEqual(
      (await filesBelow(join(root, 'uploads'))).filter((name) => name.startsWith('.')),
      [],
      'no temporary file left beside it',
    );
  });

  it('storage › stat › size and modification time of the file', async () => {
    const started = Date.now();
    await storage.put('notes/stat.txt', new Uint8Array(321));

    const info = await storage.stat('notes/stat.txt');

    assert.equal(info.key, 'notes/stat.txt');
    assert.equal(info.size, 321);
    assert.ok(info.modifiedAt.getTime() >= started - 1000);
  });

  it('storage › a key that holds nothing › get and stat are not-found, exists is false', async () => {
    await storage.put('partners/p1/tickets/t1/a.txt', new Uint8Array([1]));

    for (const key of [
      'partners/p1/missing.pdf',
      'partners/p1/tickets',
      'partners/p1/tickets/t1/a.txt/below',
    ]) {
      await assert.rejects(storage.get(key), assertNotFound);
      await assert.rejects(storage.stat(key), assertNotFound);
      assert.equal(await storage.exists(key), false, `exists(${key})`);
    }
  });

  it('storage › delete › removes the file, and deleting again or deleting nothing succeeds', async () => {
    await storage.put('uploads/delete-me.txt', new Uint8Array([1, 2, 3]));
    assert.equal(await storage.exists('uploads/delete-me.txt'), true);

    await storage.delete('uploads/delete-me.txt');
    await storage.delete('uploads/delete-me.txt');
    await storage.delete('never/stored.txt');

    assert.equal(await storage.exists('uploads/delete-me.txt'), false);
    await assert.rejects(storage.get('uploads/delete-me.txt'), assertNotFound);
  });

  it('storage › a key below an existing file › storage-key-clash, the file is kept', async () => {
    await storage.put('reports/summary', new Uint8Array([7]));

    await assert.rejects(storage.put('reports/summary/detail.csv', new Uint8Array([8])), {
      code: 'storage-key-clash',
    });
    await assert.rejects(storage.put('reports', new Uint8Array([9])), { code: 'storage-key-clash' });

    assert.deepEqual(await readAll(await storage.get('reports/summary')), Buffer.from([7]));
  });

  const refusedKeys = [
    ['../escaped.txt', 'a parent segment'],
    ['partners/../../escaped.txt', 'a parent segment inside'],
    ['partners/./x.txt', 'a current-folder segment'],
    ['/etc/escaped.txt', 'an absolute path'],
    ['C:/escaped.txt', 'a drive letter'],
    ['partners\\..\\escaped.txt', 'backslashes'],
    ['partners//x.txt', 'an empty segment'],
    ['partners/x/', 'a trailing slash'],
    ['', 'nothing'],
    ['partners/x\u0000.txt', 'a NUL byte'],
    ['partners/.x.tmp', 'a hidden segment'],
    [`partners/${'a'.repeat(256)}`, 'a segment too long for a file system'],
  ] as const;

  for (const [key, what] of refusedKeys) {
    it(`storage › a key with ${what} › every operation refuses it with invalid-storage-key naming key`, async () => {
      const refused = (error: unknown) => {
        assert.ok(isDomainError(error), `a DomainError, got ${String(error)}`);
        assert.equal(error.code, 'invalid-storage-key');
        assert.equal(error.location.field, 'key');
        return true;
      };
      const before = await filesBelow(workDir);

      await assert.rejects(storage.put(key, new Uint8Array([1])), refused);
      await assert.rejects(storage.get(key), refused);
      await assert.rejects(storage.stat(key), refused);
      await assert.rejects(storage.exists(key), refused);
      await assert.rejects(storage.delete(key), refused);

      assert.deepEqual(await filesBelow(workDir), before, 'nothing written anywhere');
    });
  }

  it('storage › ordinary keys › accepted, Unicode file names included', () => {
    for (const key of [invoiceKey, 'INV-1.pdf', 'attachments/t-1/发票 2026.pdf', 'a/b/c.d.e']) {
      assert.doesNotThrow(() => assertStorageKey(key), key);
    }
  });
});
