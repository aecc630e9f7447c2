import { Alert, Stack, Text } from '@mantine/core';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { AccessChange, LatestChange } from './api.ts';
import { adviceText, CHANGE_COLOR } from './format.ts';

type Translate = ReturnType<typeof useI18n>['t'];

/** What became of a change, in one sentence; Microsoft's own code and reason are added by the callers. */
function outcomeText(t: Translate, change: LatestChange, name: string, provider: string | null): string {
  const at = change.nextAttemptAt === null ? null : new Date(change.nextAttemptAt);
  switch (change.status) {
    case 'succeeded':
      return t('subscriptions.outcome.succeeded', { action: change.action, name });
    case 'waiting':
      return at === null
        ? t('subscriptions.outcome.waitingSoon', { name })
        : t('subscriptions.outcome.waiting', { name, at });
    case 'requested':
      return provider === null
        ? t('subscriptions.outcome.requestedYourProvider')
        : t('subscriptions.outcome.requested', { provider });
    case 'pending':
      return t('subscriptions.outcome.pending', { action: change.action, name });
    case 'declined':
      return t('subscriptions.outcome.declined', { name });
    case 'failed':
      return t('subscriptions.outcome.failed', { action: change.action, name });
  }
}

/** Microsoft's code and reason, and what to do about it: small and quiet on a row, full size in an alert. */
function Refusal({ change, size }: { change: LatestChange & { advice?: string | null }; size: 'xs' | 'sm' }) {
  const { t } = useI18n();
  const advice = adviceText(t, change);
  const color = size === 'xs' ? 'dimmed' : undefined;
  return (
    <Stack gap={size === 'xs' ? 2 : 4}>
      {(change.errorCode !== null || change.errorMessage !== null) && (
        <Text size={size} c={color} data-testid="change-reason">
          {change.errorCode === null
            ? change.errorMessage
            : t('subscriptions.outcome.reason', {
                code: change.errorCode,
                message: change.errorMessage ?? '',
              })}
        </Text>
      )}
      {advice && (
        <Text size={size} c={color} data-testid="change-advice">
          {t('subscriptions.outcome.advice', { advice })}
        </Text>
      )}
    </Stack>
  );
}

interface OutcomeProps {
  change: AccessChange | LatestChange;
  /** The subscription's name. */
  name: string;
  /** Who carries out a reseller's request, when known. */
  provider: string | null;
}

/** The answer to a change just asked for, above the subscriptions. */
export function ChangeOutcome({ change, name, provider, onClose }: OutcomeProps & { onClose?: () => void }) {
  const { t } = useI18n();
  const refused = change.status === 'failed' || change.status === 'declined';
  return (
    <Alert
      color={CHANGE_COLOR[change.status]}
      title={outcomeText(t, change, name, provider)}
      withCloseButton={onClose !== undefined}
      onClose={onClose}
      role={refused ? 'alert' : 'status'}
      data-testid="change-outcome"
      data-status={change.status}
    >
      {refused && <Refusal change={change} size="sm" />}
    </Alert>
  );
}

/** The latest change on a subscription's row, when it is not simply done. */
export function ChangeLine({ change, name, provider }: OutcomeProps) {
  const { t } = useI18n();
  if (change.status === 'succeeded') return null;
  return (
    <Stack gap={2} mt={4} data-testid="latest-change" data-status={change.status}>
      <Text size="xs" c={CHANGE_COLOR[change.status]} fw={500}>
        {outcomeText(t, change, name, provider)}
      </Text>
      {(change.status === 'failed' || change.status === 'declined') && <Refusal change={change} size="xs" />}
    </Stack>
  );
}

/** A request the server itself refused (not Microsoft): its words when it says what is wrong. */
export function RequestProblem({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={t('subscriptions.error.request')} data-testid="problem">
      {isProblem(error) && error.status < 500 ? error.detail : t('common.error')}
    </Alert>
  );
}
