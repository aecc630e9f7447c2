export type { FileData, FileInfo, FileStorage, StoredFile } from './directory-storage.ts';
export { createDirectoryStorage } from './directory-storage.ts';
export { assertStorageKey } from './storage-key.ts';
