import { invalid } from '#platform/errors';

const maxKeyLength = 1024;
const maxSegmentBytes = 255;

/**
 * A key is a relative path such as `partners/<uuid>/invoices/2026/INV-1.pdf`. Anything that could
 * reach outside the storage root, or mean different things on different file systems, is refused:
 * absolute paths, backslashes, `:`, control characters, empty segments and segments starting with
 * `.` (which covers `.` and `..`, and keeps the storage's own temporary files out of reach).
 */
export function assertStorageKey(key: string): void {
  const problem = storageKeyProblem(key);
  if (problem !== undefined) {
    throw invalid('invalid-storage-key', `Storage key ${JSON.stringify(key)} ${problem}`, { field: 'key' });
  }
}

function storageKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'is empty';
  if (key.length > maxKeyLength) return `is longer than ${maxKeyLength} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'contains a control character';
  if (key.includes('\\')) return 'contains a backslash';
  if (key.includes(':')) return 'contains ":"';
  if (key.startsWith('/')) return 'is absolute';
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty segment';
    if (segment.startsWith('.')) return `has a segment starting with "." (${JSON.stringify(segment)})`;
    if (Buffer.byteLength(segment) > maxSegmentBytes)
      return `has a segment longer than ${maxSegmentBytes} bytes`;
  }
  return undefined;
}
