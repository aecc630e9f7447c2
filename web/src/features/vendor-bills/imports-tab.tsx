import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import {
  type ImportView,
  type PullRequest,
  useImports,
  useJob,
  usePullConnections,
  useStartPull,
  type VendorCloud,
} from './api.ts';
import { useVendorFormats } from './format.ts';
import { ImportStatusBadge, useStarterName } from './import-outcome.tsx';
import { ProblemAlert } from './problem-alert.tsx';
import { UploadCard } from './upload-card.tsx';

const PULLS: readonly PullRequest['what'][] = ['invoices', 'billed', 'unbilled'];

/** A pull's job, followed until it ends. */
function PullProgress({ jobId }: { jobId: string }) {
  const { t } = useI18n();
  const job = useJob(jobId);
  if (!job.data) return <Loader size="xs" aria-label={t('common.loading')} />;
  const { status, done, total, error } = job.data;
  return (
    <Text
      size="sm"
      c={status === 'failed' ? 'red' : undefined}
      data-testid="pull-status"
      data-status={status}
    >
      {status === 'failed'
        ? t('vendorBills.pull.failed', { error: error ?? '' })
        : status === 'succeeded'
          ? t('vendorBills.pull.done')
          : total
            ? t('jobs.progress', { done, total })
            : t(`jobs.status.${status}`)}
    </Text>
  );
}

/**
 * Pull from Microsoft through a connection: the invoices, their billed lines, or this month's estimate.
 * Only the partner's connected clouds are offered, with why the last call through one failed.
 */
function PullCard() {
  const { t } = useI18n();
  const connections = usePullConnections();
  const [chosen, setChosen] = useState<VendorCloud>();
  const pull = useStartPull();
  const noConnection = isProblem(pull.error, 'not-found');
  const connected = connections.data ?? [];
  const connection = connected.find((entry) => entry.cloud === chosen) ?? connected[0];
  const cloud = connection?.cloud;
  return (
    <Paper withBorder p="md" radius="md" data-testid="pull-card">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('vendorBills.pull.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('vendorBills.pull.body')}
        </Text>
        {connections.isPending && <Loader size="xs" aria-label={t('common.loading')} />}
        <ProblemAlert error={connections.error} title={t('vendorBills.pull.connectionsUnread')} />
        {connections.data && cloud === undefined && (
          <Alert color="orange" data-testid="pull-no-connection">
            {t('vendorBills.pull.none')}
          </Alert>
        )}
        {cloud !== undefined && (
          <PullButtons
            cloud={cloud}
            clouds={connected.map((entry) => entry.cloud)}
            onCloud={setChosen}
            pull={pull}
          />
        )}
        {connection?.status === 'failed' && (
          <Alert color="red" data-testid="pull-connection-failed">
            {t('vendorBills.pull.connectionFailed', { error: connection.lastError ?? '' })}
          </Alert>
        )}
        {pull.data && <PullProgress key={pull.data.jobId} jobId={pull.data.jobId} />}
        {noConnection ? (
          <Alert color="orange" data-testid="pull-no-connection">
            {t('vendorBills.pull.noConnection', { cloud: pull.variables?.cloud ?? cloud ?? '' })}
          </Alert>
        ) : (
          <ProblemAlert error={pull.error} title={t('vendorBills.pull.refused')} />
        )}
      </Stack>
    </Paper>
  );
}

/** The connected clouds to choose from (when more than one) and what to pull. */
function PullButtons({
  cloud,
  clouds,
  onCloud,
  pull,
}: {
  cloud: VendorCloud;
  clouds: VendorCloud[];
  onCloud: (cloud: VendorCloud) => void;
  pull: ReturnType<typeof useStartPull>;
}) {
  const { t } = useI18n();
  return (
    <>
      {clouds.length > 1 ? (
        <SegmentedControl
          value={cloud}
          onChange={(value) => onCloud(value as VendorCloud)}
          data={clouds.map((value) => ({ value, label: t('customers.cloud', { cloud: value }) }))}
          aria-label={t('vendorBills.pull.cloud')}
        />
      ) : (
        <Text size="sm" data-testid="pull-cloud">
          {t('customers.cloud', { cloud })}
        </Text>
      )}
      <Group gap="xs">
        {PULLS.map((what) => (
          <Button
            key={what}
            variant="default"
            size="sm"
            loading={pull.isPending && pull.variables?.what === what}
            disabled={pull.isPending}
            onClick={() => pull.mutate({ cloud, what })}
            data-testid={`pull-${what}`}
          >
            {t('vendorBills.pull.what', { what })}
          </Button>
        ))}
      </Group>
    </>
  );
}

function ImportRow({ view }: { view: ImportView }) {
  const { t, locale } = useI18n();
  const formats = useVendorFormats();
  const starter = useStarterName();
  const path = `/staff/vendor-bills/imports/${view.id}`;
  return (
    <Table.Tr data-testid="import-row" data-import-id={view.id}>
      <Table.Td>
        <Anchor component={Link} to={path} size="sm">
          {formats.instant(view.startedAt)}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t('vendorBills.source', { source: view.source })}</Text>
        <Text size="xs" c="dimmed">
          {t('customers.cloud', { cloud: view.cloud })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {view.fileName ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{view.form ? t('vendorBills.form', { form: view.form }) : '—'}</Text>
      </Table.Td>
      <Table.Td>
        <ImportStatusBadge status={view.status} />
        {view.status === 'failed' && view.errorLine !== null && (
          <Text size="xs" c="red">
            {t('vendorBills.import.failedAt', { line: view.errorLine, column: view.errorColumn ?? '' })}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">{view.rowsRead.toLocaleString(locale)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="import-started-by">
          {starter(view)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Upload and pull on top; every import below, latest first. */
export function ImportsTab() {
  const { t } = useI18n();
  const imports = useImports();
  const shown = imports.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <UploadCard />
        <PullCard />
      </SimpleGrid>

      <Title order={2} size="h3">
        {t('vendorBills.history.title')}
      </Title>
      {imports.isPending && <Loader aria-label={t('common.loading')} />}
      {imports.isError && <ProblemAlert error={imports.error} title={t('vendorBills.error.load')} />}
      {imports.isSuccess && shown.length === 0 && (
        <Text c="dimmed" data-testid="imports-empty">
          {t('vendorBills.history.empty')}
        </Text>
      )}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="import-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vendorBills.column.started')}</Table.Th>
                <Table.Th>{t('vendorBills.column.source')}</Table.Th>
                <Table.Th>{t('vendorBills.column.file')}</Table.Th>
                <Table.Th>{t('vendorBills.column.form')}</Table.Th>
                <Table.Th>{t('vendorBills.column.status')}</Table.Th>
                <Table.Th ta="right">{t('vendorBills.column.rows')}</Table.Th>
                <Table.Th>{t('vendorBills.column.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((view) => (
                <ImportRow key={view.id} view={view} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore query={imports} label={t('vendorBills.loadMore')} />
    </Stack>
  );
}
