import { IANAZone } from 'luxon';
import { invalid } from '#platform/errors';

/** True for an IANA zone name such as `Europe/Budapest` or `UTC`; false for "local" or offsets. */
export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && IANAZone.isValidZone(zone);
}

export function assertZone(zone: unknown, field: string): string {
  if (!isValidZone(zone)) {
    throw invalid('invalid-zone', `${field} must be an IANA time zone such as Europe/Budapest`, { field });
  }
  return zone;
}
