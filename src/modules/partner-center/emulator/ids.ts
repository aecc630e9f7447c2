import { createHash } from 'node:crypto';

/** A GUID derived from the seed string and a name: the same seed gives the same ids on every run. */
export function guidFrom(seed: string, name: string): string {
  const hex = createHash('sha256').update(`${seed}:${name}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A deterministic opaque secret (client secrets, seeded refresh tokens). */
export function secretFrom(seed: string, name: string): string {
  return createHash('sha256').update(`${seed}:secret:${name}`).digest('base64url').slice(0, 40);
}
