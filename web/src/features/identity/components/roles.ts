import type { useI18n } from '../../../lib/i18n.tsx';
import { CUSTOMER_ROLES, STAFF_ROLES } from '../types.ts';

type Translate = ReturnType<typeof useI18n>['t'];

const KNOWN_ROLES: ReadonlySet<string> = new Set([...STAFF_ROLES, ...CUSTOMER_ROLES]);

/** A role's name in the page's language; a role this web app does not know yet keeps its code. */
export function roleLabel(t: Translate, role: string): string {
  return KNOWN_ROLES.has(role) ? t(`identity.role.${role}`) : role;
}

/** Whether `value` is one of `values` (a role, a status), narrowed to it. */
export function isOneOf<T extends string>(values: readonly T[], value: string | null): value is T {
  return values.some((known) => known === value);
}
