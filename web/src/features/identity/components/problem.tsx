import { Alert } from '@mantine/core';
import { isProblem } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n.tsx';

type Translate = ReturnType<typeof useI18n>['t'];

/** Problems the catalog words itself; for others the server's detail is the best there is. */
const WORDED = new Set([
  'cannot-change-self',
  'csrf-token-invalid',
  'email-unavailable',
  'forbidden',
  'global-admin-only',
  'invalid-credentials',
  'invalid-mfa-code',
  'invalid-request',
  'invalid-token',
  'mfa-locked',
  'mfa-required',
  'not-found',
  'not-invited',
  'sign-in-locked',
  'unauthenticated',
  'weak-password',
  'wrong-password',
]);

/** Worded problems whose detail still says something more: when to retry, which rule, why not. */
const DETAILED = new Set(['forbidden', 'mfa-locked', 'sign-in-locked']);

/** One line for an error, in the page's language where the catalog words it. */
export function problemText(t: Translate, error: unknown): string {
  if (isProblem(error) && WORDED.has(error.code)) return t(`identity.problem.${error.code}`);
  if (isProblem(error) && error.status < 500 && error.detail) return error.detail;
  return t('common.error');
}

/** The error text for one form field, when the problem names it (`body.email` names `email`). */
export function fieldError(t: Translate, error: unknown, field: string): string | undefined {
  if (!isProblem(error) || error.field?.replace(/^body\./, '') !== field) return undefined;
  return problemText(t, error);
}

/**
 * A failed request, above a form. Pass the form's `fields` whose errors show beside their input
 * instead, so no error is said twice.
 */
export function ProblemAlert({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  const { t } = useI18n();
  if (!error || fields.some((field) => fieldError(t, error, field) !== undefined)) return null;
  const detail = isProblem(error) && DETAILED.has(error.code) ? error.detail : undefined;
  return (
    <Alert color="red" role="alert" title={problemText(t, error)} data-testid="problem">
      {detail}
    </Alert>
  );
}
