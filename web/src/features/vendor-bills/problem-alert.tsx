import { Alert } from '@mantine/core';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';

/**
 * A refused request: its title in the page's language, the server's detail (which names the field or
 * file line) below it. Server errors say only that something went wrong.
 */
export function ProblemAlert({ error, title }: { error: unknown; title: string }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={title} data-testid="problem">
      {isProblem(error) && error.status > 0 && error.status < 500 ? error.detail : t('common.error')}
    </Alert>
  );
}
