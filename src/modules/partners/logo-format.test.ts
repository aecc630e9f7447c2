import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDomainError } from '#platform/errors';
import { logoContentType, logoFormat, logoMaxBytes } from './logo-format.ts';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

function refuses(contentType: string, bytes: Uint8Array, code: string) {
  assert.throws(
    () => logoFormat(contentType, bytes),
    (error) => isDomainError(error) && error.code === code && error.location.field === 'logo',
  );
}

describe('partners › logo format', () => {
  it('accepts PNG and JPEG whose bytes match the declared type', () => {
    assert.equal(logoFormat('image/png', png).extension, 'png');
    assert.equal(logoFormat('IMAGE/JPEG; charset=binary', jpeg).extension, 'jpg');
  });

  it('refuses SVG, GIF and a file whose bytes are not what its type says', () => {
    refuses('image/svg+xml', new TextEncoder().encode('<svg onload="alert(1)"/>'), 'unsupported-logo-type');
    refuses('image/gif', Uint8Array.from([0x47, 0x49, 0x46, 0x38]), 'unsupported-logo-type');
    refuses('image/png', jpeg, 'logo-not-image');
    refuses('image/jpeg', new TextEncoder().encode('<html>'), 'logo-not-image');
  });

  it('refuses an empty logo and one above 512 KB', () => {
    refuses('image/png', new Uint8Array(0), 'empty-logo');
    const large = new Uint8Array(logoMaxBytes + 1);
    large.set(png);
    refuses('image/png', large, 'logo-too-large');
    const exact = new Uint8Array(logoMaxBytes);
    exact.set(png);
    assert.equal(logoFormat('image/png', exact).extension, 'png');
  });

  it('serves a stored logo with the type of its extension', () => {
    assert.equal(logoContentType('partners/x/logo.png'), 'image/png');
    assert.equal(logoContentType('partners/x/logo.jpg'), 'image/jpeg');
  });
});
