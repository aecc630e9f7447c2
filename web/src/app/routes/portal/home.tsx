import { Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';

// The greeting by customer name (home.portal.title) waits for portal sign-in.
export function PortalHome() {
  const { t } = useI18n();
  return (
    <Stack gap="sm" maw={720}>
      <Title order={1}>{t('shell.customerPortal')}</Title>
      <Text>{t('home.portal.body')}</Text>
    </Stack>
  );
}
