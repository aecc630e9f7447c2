import { DateTime } from 'luxon';
import { invalid } from '#platform/errors';

// The time part must end in Z or an offset: a bare local time would silently take the server's zone.
const timeWithOffset = /T[^T]*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Reads an ISO 8601 date-time that says its offset (`Z`, `+01:00`, `-0500`) as a UTC instant. */
export function parseInstant(iso: string, field: string): Date {
  if (typeof iso === 'string' && timeWithOffset.test(iso)) {
    const parsed = DateTime.fromISO(iso, { setZone: true });
    if (parsed.isValid) return parsed.toJSDate();
  }
  throw invalid(
    'invalid-instant',
    `${field} must be an ISO 8601 date and time with an offset or Z, such as 2026-03-01T09:00:00Z`,
    { field },
  );
}

/** The instant in UTC: `2026-03-01T09:00:00.000Z`. */
export function toIso(instant: Date): string {
  return instant.toISOString();
}
