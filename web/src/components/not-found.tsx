import { Title } from '@mantine/core';
import { useI18n } from '../lib/i18n.tsx';

/** What a path without a page shows, including navigation items whose pages are not built yet. */
export function NotFound() {
  const { t } = useI18n();
  return (
    <Title order={1} data-testid="not-found">
      {t('common.notFound')}
    </Title>
  );
}
