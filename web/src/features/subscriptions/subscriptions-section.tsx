import { Alert, Button, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useI18n } from '../../lib/i18n.tsx';
import { AccessDialog } from './access-dialog.tsx';
import {
  type AccessAction,
  type AccessAnswer,
  type AccessRequest,
  type ServiceFamily,
  type Subscription,
  useRequestAccessChange,
  useSubscriptions,
} from './api.ts';
import { BatchResult } from './batch-result.tsx';
import { ChangeOutcome } from './change-outcome.tsx';
import { byFamily, SubscriptionTable } from './subscription-table.tsx';

type Scope =
  | { kind: 'one'; subscription: Subscription }
  | { kind: 'family'; family: ServiceFamily }
  | { kind: 'customer' };

interface Asking {
  action: AccessAction;
  scope: Scope;
}

/** Suspending applies to active subscriptions, reactivating to suspended ones. */
const applies = (action: AccessAction, subscription: Subscription) =>
  subscription.status === (action === 'suspend' ? 'active' : 'suspended');

/** A change already on its way: asking again would only find it. */
const inFlight = (subscription: Subscription) =>
  subscription.latestChange !== null &&
  ['requested', 'pending', 'waiting'].includes(subscription.latestChange.status);

function targetsOf({ action, scope }: Asking, subscriptions: readonly Subscription[]): Subscription[] {
  if (scope.kind === 'one') return [scope.subscription];
  return subscriptions.filter(
    (subscription) =>
      applies(action, subscription) &&
      !inFlight(subscription) &&
      (scope.kind === 'customer' || subscription.serviceFamily === scope.family),
  );
}

function requestOf({ action, scope }: Asking): AccessRequest {
  if (scope.kind === 'one') return { action, subscriptionIds: [scope.subscription.id] };
  if (scope.kind === 'family') return { action, serviceFamily: scope.family };
  return { action };
}

interface SubscriptionsSectionProps {
  customerId: string;
  customerName: string;
  /** The provider that carries out this customer's changes (a reseller's customer), else null. */
  provider: string | null;
  /** The viewer holds `subscriptions.suspend`. */
  canChange: boolean;
}

/**
 * A customer's subscriptions by service family, with suspend and reactivate for one, a family or all;
 * each change is confirmed first and its outcome (done, waiting for Microsoft, refused, sent to the
 * provider) shown above the list.
 */
export function SubscriptionsSection({
  customerId,
  customerName,
  provider,
  canChange,
}: SubscriptionsSectionProps) {
  const { t } = useI18n();
  const subscriptions = useSubscriptions(customerId);
  const request = useRequestAccessChange(customerId);
  const [family, setFamily] = useState<'all' | ServiceFamily>('all');
  const [asking, setAsking] = useState<Asking | null>(null);
  const [answer, setAnswer] = useState<AccessAnswer | null>(null);
  const list = subscriptions.data ?? [];
  const names = useMemo(
    () => new Map(list.map((subscription) => [subscription.id, subscription.friendlyName])),
    [list],
  );
  const families = byFamily(list);
  const familyName = (value: ServiceFamily) => t('subscriptions.family', { family: value });
  const ask = (next: Asking) => {
    request.reset();
    setAsking(next);
  };
  const confirm = () => {
    if (!asking) return;
    request.mutate(requestOf(asking), {
      onSuccess: (result) => {
        setAsking(null);
        setAnswer(result);
      },
    });
  };
  // Only the changes something would come of: no "Reactivate all" where nothing is suspended.
  const bulkButtons = (scope: Scope, label: (action: AccessAction) => string) =>
    (['suspend', 'reactivate'] as const)
      .filter((action) => targetsOf({ action, scope }, list).length > 0)
      .map((action) => (
        <Button
          key={action}
          size="xs"
          variant="light"
          color={action === 'suspend' ? 'red' : 'teal'}
          onClick={() => ask({ action, scope })}
          data-testid={`${action}-${scope.kind === 'family' ? scope.family : 'all'}`}
        >
          {label(action)}
        </Button>
      ));
  const rowActions = (subscription: Subscription) =>
    (['suspend', 'reactivate'] as const)
      .filter((action) => applies(action, subscription))
      .map((action) => (
        <Button
          key={action}
          size="xs"
          variant="subtle"
          color={action === 'suspend' ? 'red' : 'teal'}
          disabled={inFlight(subscription)}
          onClick={() => ask({ action, scope: { kind: 'one', subscription } })}
          data-testid={`subscription-${action}`}
        >
          {t('subscriptions.action.do', { action })}
        </Button>
      ));
  const single =
    answer && answer.jobId === null && answer.changes.length === 1 ? answer.changes[0] : undefined;
  const groups = families
    .filter((group) => family === 'all' || group.family === family)
    .map((group) => ({
      ...group,
      actions:
        canChange &&
        bulkButtons({ kind: 'family', family: group.family }, (action) =>
          t('subscriptions.action.allFamily', { action, family: familyName(group.family) }),
        ),
    }));

  return (
    <Stack gap="md" data-testid="subscriptions">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h3">
          {t('subscriptions.title')}
        </Title>
        {canChange && list.length > 0 && (
          <Group gap="xs">
            {bulkButtons({ kind: 'customer' }, (action) => t('subscriptions.action.allCustomer', { action }))}
          </Group>
        )}
      </Group>

      {single && (
        <ChangeOutcome
          change={single}
          name={names.get(single.subscriptionId) ?? single.subscriptionId}
          provider={provider}
          onClose={() => setAnswer(null)}
        />
      )}
      {answer && !single && (
        <BatchResult
          customerId={customerId}
          answer={answer}
          names={names}
          provider={provider}
          onClose={() => setAnswer(null)}
        />
      )}

      {subscriptions.isPending && <Loader aria-label={t('common.loading')} />}
      {subscriptions.isError && (
        <Alert color="red" role="alert" title={t('subscriptions.error.load')}>
          <Button variant="light" color="red" size="xs" onClick={() => subscriptions.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {subscriptions.isSuccess && list.length === 0 && <Text c="dimmed">{t('subscriptions.empty')}</Text>}

      {families.length > 1 && (
        <SegmentedControl
          value={family}
          onChange={(value) => setFamily(value as 'all' | ServiceFamily)}
          data={[
            { value: 'all', label: t('subscriptions.family.all') },
            ...families.map((group) => ({ value: group.family, label: familyName(group.family) })),
          ]}
          data-testid="family-filter"
          style={{ alignSelf: 'flex-start' }}
        />
      )}

      {groups.length > 0 && (
        <SubscriptionTable
          groups={groups}
          provider={provider}
          showChanges
          hiddenChange={single?.id}
          actions={canChange ? rowActions : undefined}
        />
      )}

      {asking && (
        <AccessDialog
          action={asking.action}
          subscriptions={targetsOf(asking, list)}
          scope={
            asking.scope.kind === 'family'
              ? t('subscriptions.confirm.scopeFamily', {
                  family: familyName(asking.scope.family),
                  customer: customerName,
                })
              : t('subscriptions.confirm.scopeCustomer', { customer: customerName })
          }
          provider={provider}
          onConfirm={confirm}
          onClose={() => setAsking(null)}
          pending={request.isPending}
          error={request.error}
        />
      )}
    </Stack>
  );
}
