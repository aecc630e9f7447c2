import { Alert, Button, Loader, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../lib/i18n.tsx';
import { usePortalSubscriptions } from './api.ts';
import { byFamily, SubscriptionTable } from './subscription-table.tsx';

/** `/portal/subscriptions`: the customer's own subscriptions, to read; changes go through the partner. */
export function PortalSubscriptionsPage() {
  const { t } = useI18n();
  const subscriptions = usePortalSubscriptions();
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('subscriptions.portal.title')}</Title>
        <Text c="dimmed">{t('subscriptions.portal.intro')}</Text>
      </Stack>
      {subscriptions.isPending && <Loader aria-label={t('common.loading')} />}
      {subscriptions.isError && (
        <Alert color="red" role="alert" title={t('subscriptions.error.load')}>
          <Button variant="light" color="red" size="xs" onClick={() => subscriptions.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {subscriptions.data?.length === 0 && <Text c="dimmed">{t('subscriptions.empty')}</Text>}
      {subscriptions.data && subscriptions.data.length > 0 && (
        <SubscriptionTable groups={byFamily(subscriptions.data)} provider={null} showChanges={false} />
      )}
    </Stack>
  );
}
