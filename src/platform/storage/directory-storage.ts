import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { conflict, notFound } from '#platform/errors';
import { assertStorageKey } from './storage-key.ts';

export interface StoredFile {
  key: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes stored. */
  sha256: string;
}

export interface FileInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

export type FileData = Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

export interface FileStorage {
  /** Stores the bytes under `key`, replacing what was there; readers see the old file or the new one. */
  put(key: string, data: FileData): Promise<StoredFile>;
  /** The file's bytes as a stream; a missing key is a not-found DomainError. */
  get(key: string): Promise<Readable>;
  stat(key: string): Promise<FileInfo>;
  /** Removing a key that holds nothing succeeds. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** A path that is not there, or is a folder rather than a file: the key holds nothing. */
const missingCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * Files under `rootDir`, one file per key. A put streams into a temporary file beside the target,
 * flushes it to disk and renames it over the key, so a crash or a failing source never leaves part of
 * a file under a key.
 */
export function createDirectoryStorage(rootDir: string): FileStorage {
  const root = resolve(rootDir);
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return join(root, key);
  };

  return {
    async put(key, data) {
      const path = pathOf(key);
      const folder = dirname(path);
      const temporary = join(folder, `.${randomUUID()}.tmp`);
      const hash = createHash('sha256');
      let size = 0;
      try {
        await mkdir(folder, { recursive: true });
        const chunks: Iterable<unknown> | AsyncIterable<unknown> = data instanceof Uint8Array ? [data] : data;
        async function* measured() {
          for await (const chunk of chunks) {
            if (!(chunk instanceof Uint8Array)) throw new TypeError(`File data for ${key} must be bytes`);
            hash.update(chunk);
            size += chunk.byteLength;
            yield chunk;
          }
        }
        // Opened before streaming, so that a failure midway always finds the file to remove (a stream
        // that opens lazily may create it after the cleanup ran).
        const handle = await open(temporary, 'wx');
        try {
          await pipeline(measured(), handle.createWriteStream({ flush: true }));
        } finally {
          await handle.close().catch(() => {});
        }
        await rename(temporary, path);
      } catch (error) {
        await removeFile(temporary);
        if (isClash(error))
          throw conflict('storage-key-clash', `Storage key "${key}" runs into an existing folder or file`);
        throw error;
      }
      await syncFolder(folder);
      return { key, size, sha256: hash.digest('hex') };
    },

    async get(key) {
      const path = pathOf(key);
      const file = await open(path, 'r').catch((error: unknown) => {
        throw isMissing(error) ? notFound(`File "${key}"`) : error;
      });
      if (!(await file.stat()).isFile()) {
        await file.close();
        throw notFound(`File "${key}"`);
      }
      return file.createReadStream();
    },

    async stat(key) {
      const info = await stat(pathOf(key)).catch((error: unknown) => {
        throw isMissing(error) ? notFound(`File "${key}"`) : error;
      });
      if (!info.isFile()) throw notFound(`File "${key}"`);
      return { key, size: info.size, modifiedAt: info.mtime };
    },

    async delete(key) {
      await removeFile(pathOf(key));
    },

    async exists(key) {
      const info = await stat(pathOf(key)).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      return info?.isFile() ?? false;
    },
  };
}

async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

function errorCode(error: unknown): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function isMissing(error: unknown): boolean {
  return missingCodes.has(errorCode(error) as string);
}

/** A key below an existing file (`a/b` then `a/b/c`), or a key naming an existing folder. */
function isClash(error: unknown): boolean {
  return ['EEXIST', 'ENOTDIR', 'EISDIR'].includes(errorCode(error) as string);
}

/** Makes the rename itself durable; Windows cannot open a folder for this and needs no such step. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
