import { Alert, Progress, Stack, Text } from '@mantine/core';
import { useI18n } from '../../lib/i18n.tsx';
import { type AccessAnswer, useBatchChanges, useBatchProgress } from './api.ts';
import { ChangeLine } from './change-outcome.tsx';

interface BatchResultProps {
  customerId: string;
  answer: AccessAnswer;
  /** Subscription names by id, to say which one each change is about. */
  names: ReadonlyMap<string, string>;
  provider: string | null;
  onClose: () => void;
}

/** A change of several subscriptions: a progress bar while its job runs, then what came of each. */
export function BatchResult({ customerId, answer, names, provider, onClose }: BatchResultProps) {
  const { t } = useI18n();
  const job = useBatchProgress(customerId, answer.jobId);
  const polled = useBatchChanges(customerId, answer, job.data);
  const changes = (answer.jobId === null ? answer.changes : polled.data) ?? answer.changes;
  const action = answer.changes[0]?.action ?? 'suspend';
  const finished = answer.jobId === null || job.data?.status === 'succeeded' || job.data?.status === 'failed';
  const total = job.data?.total ?? answer.changes.length;
  const done = finished ? total : (job.data?.done ?? 0);
  const succeeded = changes.filter((change) => change.status === 'succeeded').length;

  return (
    <Alert
      color={finished ? 'gray' : 'blue'}
      title={t('subscriptions.batch.title', { action, count: answer.changes.length })}
      withCloseButton={finished}
      onClose={onClose}
      data-testid="batch-result"
      data-finished={finished}
    >
      <Stack gap="xs">
        {answer.changes.length === 0 ? (
          <Text size="sm">{t('subscriptions.batch.nothing')}</Text>
        ) : (
          <>
            <Progress
              value={total === 0 ? 100 : (100 * done) / total}
              animated={!finished}
              aria-label={t('jobs.progress', { done, total })}
              data-testid="batch-progress"
            />
            <Text size="sm">
              {finished
                ? t('subscriptions.batch.done', { succeeded, total: changes.length })
                : t('jobs.progress', { done, total })}
            </Text>
          </>
        )}
        {job.data?.status === 'failed' && job.data.error && (
          <Text size="sm" c="red">
            {job.data.error}
          </Text>
        )}
        {changes.map((change) => (
          <ChangeLine
            key={change.id}
            change={change}
            name={names.get(change.subscriptionId) ?? change.subscriptionId}
            provider={provider}
          />
        ))}
      </Stack>
    </Alert>
  );
}
