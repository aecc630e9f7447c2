import { Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { holdsAny, useSignedIn } from '../../../features/identity/index.ts';
import { useI18n } from '../../../lib/i18n.tsx';

// Loaded only for those who may see payables, so the dashboard does not wait for the vendor-bills screens.
const PayablesCard = lazy(() =>
  import('../../../features/vendor-bills/index.ts').then((feature) => ({ default: feature.PayablesCard })),
);

export function StaffDashboard() {
  const { t } = useI18n();
  const me = useSignedIn();
  return (
    <Stack gap="sm" maw={720}>
      <Title order={1}>{t('home.staff.title')}</Title>
      <Text>{t('home.staff.body')}</Text>
      {holdsAny(me, ['costs.manage']) && (
        <Suspense fallback={null}>
          <PayablesCard />
        </Suspense>
      )}
    </Stack>
  );
}
