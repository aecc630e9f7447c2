import { invalid } from '#platform/errors';

export const logoMaxBytes = 512 * 1024;

/** PNG and JPEG only: SVG can carry scripts, and the logo is served from our own origin. */
const formats = [
  {
    name: 'PNG',
    extension: 'png',
    contentType: 'image/png',
    magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  },
  { name: 'JPEG', extension: 'jpg', contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
] as const;

export type LogoFormat = (typeof formats)[number];

/**
 * The format of an uploaded logo. The bytes must start as the declared type says, so a file cannot
 * pass as an image by its label alone.
 */
export function logoFormat(contentType: string, bytes: Uint8Array): LogoFormat {
  const declared = contentType.split(';')[0]?.trim().toLowerCase();
  const format = formats.find((candidate) => candidate.contentType === declared);
  if (!format) throw invalid('unsupported-logo-type', 'logo must be a PNG or JPEG image', { field: 'logo' });
  if (bytes.byteLength === 0) throw invalid('empty-logo', 'logo is empty', { field: 'logo' });
  if (bytes.byteLength > logoMaxBytes) {
    throw invalid('logo-too-large', `logo must be at most ${logoMaxBytes / 1024} KB`, { field: 'logo' });
  }
  if (!format.magic.every((byte, index) => bytes[index] === byte)) {
    throw invalid('logo-not-image', `logo is not a ${format.name} image`, {
      field: 'logo',
    });
  }
  return format;
}

/** The content type to serve a stored logo with, from its key's extension. */
export function logoContentType(key: string): string {
  const format = formats.find((candidate) => key.endsWith(`.${candidate.extension}`));
  return format?.contentType ?? 'application/octet-stream';
}
