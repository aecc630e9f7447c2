import type { Changes } from './schema.ts';

/** Keys whose values never reach the audit log, at any depth. */
const SECRET_KEY = /password|secret|token|hash|recovery/i;
export const REDACTED = '[redacted]';

/** A value as the audit row stores it: JSON (Dates as ISO strings, money as decimal strings), absent as null. */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value, (_key, inner) => (typeof inner === 'bigint' ? inner.toString() : inner));
  return text === undefined ? null : JSON.parse(text);
}

/** Key order does not make two objects different. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Whether a value was set is kept; what it was is not. */
function hide(value: unknown): unknown {
  return value === null ? null : REDACTED;
}

function redactNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactNested);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? hide(inner) : redactNested(inner),
      ]),
    );
  }
  return value;
}

/**
 * `{ field: { before, after } }` for the fields whose values differ, secrets redacted (a changed
 * password is recorded as changed, never with its value). Null when the caller gave neither side.
 */
export function diffChanges(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
): Changes | null {
  if (before === undefined && after === undefined) return null;
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const changes: Changes = {};
  for (const field of fields) {
    const old = toJson(before?.[field]);
    const now = toJson(after?.[field]);
    if (canonical(old) === canonical(now)) continue;
    const secret = SECRET_KEY.test(field);
    changes[field] = {
      before: secret ? hide(old) : redactNested(old),
      after: secret ? hide(now) : redactNested(now),
    };
  }
  return changes;
}
