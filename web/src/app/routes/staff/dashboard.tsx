import { Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';

export function StaffDashboard() {
  const { t } = useI18n();
  return (
    <Stack gap="sm" maw={720}>
      <Title order={1}>{t('home.staff.title')}</Title>
      <Text>{t('home.staff.body')}</Text>
    </Stack>
  );
}
