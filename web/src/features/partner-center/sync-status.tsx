import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { type SyncCloud, type SyncRun, useStartSync, useSyncs } from './api.ts';

type Translate = ReturnType<typeof useI18n>['t'];

const ENTITIES = ['customers', 'subscriptions'] as const;
const OUTCOMES = ['Created', 'Updated', 'Unchanged', 'Removed'] as const;

/** "Customers: 3 added · 1 updated", one line per kind of record the run counted. */
function countLines(t: Translate, counts: SyncRun['counts']): string[] {
  return ENTITIES.flatMap((entity) => {
    const parts = OUTCOMES.filter((outcome) => counts[`${entity}${outcome}`] !== undefined).map((outcome) =>
      t('sync.count', { outcome: outcome.toLowerCase(), count: counts[`${entity}${outcome}`] ?? 0 }),
    );
    return parts.length === 0 ? [] : [t('sync.counts', { entity, counts: parts.join(' · ') })];
  });
}

function RunProgress({ run }: { run: SyncRun }) {
  const { t } = useI18n();
  const total = run.total ?? 0;
  return (
    <Stack gap={4} data-testid="sync-running">
      <Text size="sm">{t('sync.running', { kind: run.kind, at: new Date(run.startedAt) })}</Text>
      <Progress
        value={total === 0 ? 0 : (100 * run.done) / total}
        animated
        aria-label={t('jobs.progress', { done: run.done, total })}
      />
      {run.total !== null && (
        <Text size="xs" c="dimmed">
          {t('sync.progress', { done: run.done, total: run.total })}
        </Text>
      )}
    </Stack>
  );
}

function LastRun({ run }: { run: SyncRun }) {
  const { t } = useI18n();
  return (
    <Stack gap={4} data-testid="sync-last" data-status={run.status}>
      <Text size="sm">
        {t('sync.last', {
          kind: run.kind,
          trigger: run.trigger,
          status: run.status,
          at: new Date(run.finishedAt ?? run.startedAt),
        })}
      </Text>
      {countLines(t, run.counts).map((line) => (
        <Text key={line} size="xs" c="dimmed">
          {line}
        </Text>
      ))}
      {run.status === 'failed' && run.error && (
        <Alert color="red" title={t('sync.failed')} data-testid="sync-error">
          {run.error}
        </Alert>
      )}
    </Stack>
  );
}

/**
 * A connection's sync: the run in progress with its bar (asked every second), else the last run with
 * what it counted or why it failed; and a full sync started by hand.
 */
export function SyncStatus({ cloud }: { cloud: SyncCloud }) {
  const { t } = useI18n();
  const runs = useSyncs({ cloud, limit: 1 });
  const start = useStartSync();
  const latest = runs.data?.[0];
  return (
    <Stack gap="xs" data-testid={`sync-${cloud}`}>
      <Group justify="space-between" align="center">
        <Text size="sm" fw={600}>
          {t('sync.title')}
        </Text>
        <Button
          size="xs"
          variant="light"
          loading={start.isPending}
          disabled={latest?.status === 'running'}
          onClick={() => start.mutate(cloud)}
          data-testid="sync-now"
        >
          {t('sync.now')}
        </Button>
      </Group>
      {runs.isError && (
        <Text size="sm" c="red" role="alert">
          {t('sync.error.load')}
        </Text>
      )}
      {runs.isSuccess && latest === undefined && (
        <Text size="sm" c="dimmed">
          {t('sync.never')}
        </Text>
      )}
      {latest?.status === 'running' ? <RunProgress run={latest} /> : latest && <LastRun run={latest} />}
      {start.isError && (
        <Text size="sm" c="red" role="alert">
          {isProblem(start.error) && start.error.status < 500 ? start.error.detail : t('common.error')}
        </Text>
      )}
    </Stack>
  );
}

/** One line for the customers list: when Partner Center was last read, or how far the running sync is. */
export function LastSyncLine() {
  const { t } = useI18n();
  const runs = useSyncs({ limit: 1 });
  const latest = runs.data?.[0];
  if (!latest) return null;
  let text: string;
  if (latest.status === 'running') {
    text =
      latest.total === null
        ? t('sync.running', { kind: latest.kind, at: new Date(latest.startedAt) })
        : t('sync.progress', { done: latest.done, total: latest.total });
  } else {
    text = t('sync.lastShort', {
      status: latest.status,
      cloud: latest.cloud,
      at: new Date(latest.finishedAt ?? latest.startedAt),
    });
  }
  return (
    <Text size="sm" c={latest.status === 'failed' ? 'red' : 'dimmed'} data-testid="last-sync">
      {text}
    </Text>
  );
}
