import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useI18n } from '../../lib/i18n.tsx';
import type { AccessAction, Subscription } from './api.ts';
import { RequestProblem } from './change-outcome.tsx';
import { useCalendarDate } from './format.ts';

interface AccessDialogProps {
  action: AccessAction;
  /** The subscriptions the change applies to (already narrowed to those it can change). */
  subscriptions: readonly Subscription[];
  /** What was chosen: one subscription, a service family, or the whole customer. */
  scope: string;
  /** Set for a reseller's customer: the provider carries the change out. */
  provider: string | null;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  error: unknown;
}

/** Suspending does not stop Microsoft's charges for new commerce: said plainly, with the date, before asking. */
function SuspendFacts({ subscriptions }: { subscriptions: readonly Subscription[] }) {
  const { t } = useI18n();
  const calendarDate = useCalendarDate();
  const newCommerce = subscriptions.filter((subscription) => subscription.kind === 'new_commerce');
  const azurePlans = subscriptions.filter((subscription) => subscription.kind === 'azure_plan');
  const legacy = subscriptions.filter((subscription) => subscription.kind === 'legacy');
  const billedUntil = (subscription: Subscription) =>
    subscription.commitmentEndDate === null
      ? t('subscriptions.suspend.billedUntilTermEnd', { name: subscription.friendlyName })
      : t('subscriptions.suspend.billedUntil', {
          name: subscription.friendlyName,
          date: calendarDate(subscription.commitmentEndDate),
        });
  return (
    <Stack gap="sm">
      <Text size="sm">{t('subscriptions.suspend.access')}</Text>
      {newCommerce.length > 0 && (
        <Alert color="yellow" title={t('subscriptions.suspend.billingTitle')} data-testid="billing-warning">
          <Stack gap="xs">
            <Text size="sm">{t('subscriptions.suspend.billing')}</Text>
            <List size="sm" spacing={2}>
              {newCommerce.map((subscription) => (
                <List.Item key={subscription.id}>{billedUntil(subscription)}</List.Item>
              ))}
            </List>
            <Text size="sm">{t('subscriptions.suspend.saved')}</Text>
            <Text size="sm">{t('subscriptions.suspend.termEnd')}</Text>
          </Stack>
        </Alert>
      )}
      {azurePlans.length > 0 && (
        <Alert color="blue" title={t('subscriptions.suspend.azurePlanTitle')} data-testid="azure-plan-note">
          <Text size="sm">{t('subscriptions.suspend.azurePlan')}</Text>
        </Alert>
      )}
      {legacy.length > 0 && (
        <Alert color="blue" title={t('subscriptions.suspend.legacyTitle')}>
          <Text size="sm">{t('subscriptions.suspend.legacy')}</Text>
        </Alert>
      )}
    </Stack>
  );
}

function ReactivateFacts({ subscriptions }: { subscriptions: readonly Subscription[] }) {
  const { t } = useI18n();
  const restored = subscriptions.filter(
    (subscription) => subscription.savedAutoRenew !== null || subscription.savedScheduledChanges !== null,
  );
  return (
    <Stack gap="sm">
      <Text size="sm">{t('subscriptions.reactivate.access')}</Text>
      {restored.length > 0 && (
        <List size="sm" spacing={2} data-testid="restore-list">
          {restored.map((subscription) => (
            <List.Item key={subscription.id}>
              {t('subscriptions.reactivate.restores', {
                name: subscription.friendlyName,
                autoRenew:
                  subscription.savedAutoRenew === null ? 'unset' : String(subscription.savedAutoRenew),
                scheduled: String(subscription.savedScheduledChanges !== null),
              })}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** Asks before switching access off or on, saying what follows for each kind of subscription. */
export function AccessDialog(props: AccessDialogProps) {
  const { t } = useI18n();
  const { action, subscriptions } = props;
  const one = subscriptions.length === 1 ? subscriptions[0] : undefined;
  const title = one
    ? t('subscriptions.confirm.titleOne', { action, name: one.friendlyName })
    : t('subscriptions.confirm.titleMany', { action, count: subscriptions.length });
  return (
    <Modal opened onClose={props.onClose} title={title} centered size="lg" data-testid="access-dialog">
      <Stack gap="md">
        {!one && <Text size="sm">{props.scope}</Text>}
        {action === 'suspend' ? (
          <SuspendFacts subscriptions={subscriptions} />
        ) : (
          <ReactivateFacts subscriptions={subscriptions} />
        )}
        {props.provider !== null && (
          <Text size="sm" c="dimmed">
            {t('subscriptions.confirm.viaProvider', { provider: props.provider })}
          </Text>
        )}
        <RequestProblem error={props.error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onClose}>
            {t('subscriptions.action.back')}
          </Button>
          <Button
            color={action === 'suspend' ? 'red' : 'teal'}
            loading={props.pending}
            onClick={props.onConfirm}
            data-testid="access-confirm"
          >
            {t('subscriptions.action.do', { action })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
