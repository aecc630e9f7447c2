import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Divider,
  Group,
  Loader,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ApiProblem, api, isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { SyncStatus } from '../partner-center/index.ts';

type Cloud = 'public' | 'usgov' | 'china';
const CLOUDS: readonly Cloud[] = ['public', 'usgov', 'china'];

/** GET /api/v1/partner/connections: secrets are never sent, only whether they are set. */
interface Connection {
  id: string;
  cloud: Cloud;
  tenantId: string;
  clientId: string;
  clientSecretSet: true;
  refreshTokenSet: boolean;
  refreshTokenIssuedAt: string | null;
  refreshTokenAgeDays: number | null;
  renewBy: string | null;
  warning: 'none' | 'renew-soon' | 'expired';
  baseUrl: string | null;
  authority: string | null;
  status: 'untested' | 'ok' | 'failed';
  lastCheckedAt: string | null;
  lastError: string | null;
}

/** PUT /api/v1/partner/connections/:cloud: an absent secret keeps the stored one, null removes it. */
interface ConnectionInput {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  refreshToken?: string | null;
  baseUrl: string | null;
  authority: string | null;
}

const connectionsKey = ['partner-connections'] as const;

function useConnections() {
  return useQuery({
    queryKey: connectionsKey,
    queryFn: () => api<Connection[]>('GET', '/partner/connections'),
  });
}

/** Every change answers with the connection (or nothing); the list is read again either way. */
function useConnectionAction<T>(run: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectionsKey }),
  });
}

type Translate = ReturnType<typeof useI18n>['t'];

/** The server's own words for a problem: it names the field, and Microsoft's refusals are its text. */
function ProblemText({ problem, t }: { problem: unknown; t: Translate }) {
  return (
    <Text c="red" size="sm" role="alert">
      {isProblem(problem) ? problem.detail : t('common.error')}
    </Text>
  );
}

function fieldOf(problem: ApiProblem): string | undefined {
  return problem.field?.replace(/^body\./, '');
}

const STATUS_COLOR = { ok: 'teal', failed: 'red', untested: 'gray' } as const;
const WARNING_COLOR = { none: 'gray', 'renew-soon': 'yellow', expired: 'red' } as const;

function RefreshTokenLine({ connection }: { connection: Connection }) {
  const { t } = useI18n();
  if (!connection.refreshTokenSet || connection.renewBy === null) {
    return (
      <Text size="sm" c="dimmed">
        {t('connections.refreshToken.none')}
      </Text>
    );
  }
  const renewBy = new Date(connection.renewBy);
  return (
    <Group gap="xs">
      <Text size="sm">
        {t('connections.refreshToken.age', { days: connection.refreshTokenAgeDays ?? 0 })}
      </Text>
      <Badge color={WARNING_COLOR[connection.warning]} variant="light" data-testid="refresh-token-warning">
        {t('connections.refreshToken.warning', {
          // ICU select keys cannot hold a hyphen.
          warning: connection.warning === 'renew-soon' ? 'renewSoon' : connection.warning,
          date: renewBy,
        })}
      </Badge>
    </Group>
  );
}

function ConnectionForm({
  cloud: fixedCloud,
  existing,
  available,
  onDone,
}: {
  cloud?: Cloud;
  existing?: Connection;
  available: readonly Cloud[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [cloud, setCloud] = useState<Cloud | undefined>(fixedCloud ?? available[0]);
  const [form, setForm] = useState({
    tenantId: existing?.tenantId ?? '',
    clientId: existing?.clientId ?? '',
    clientSecret: '',
    refreshToken: '',
    removeRefreshToken: false,
    baseUrl: existing?.baseUrl ?? '',
    authority: existing?.authority ?? '',
  });
  const save = useConnectionAction((input: ConnectionInput) =>
    api<Connection>('PUT', `/partner/connections/${cloud}`, input),
  );
  const problem = isProblem(save.error) ? save.error : undefined;
  const errorOf = (field: string) => (problem && fieldOf(problem) === field ? problem.detail : undefined);
  const set = (field: keyof typeof form) => (event: { currentTarget: { value: string } }) => {
    save.reset();
    setForm((current) => ({ ...current, [field]: event.currentTarget.value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: ConnectionInput = {
      tenantId: form.tenantId.trim(),
      clientId: form.clientId.trim(),
      baseUrl: form.baseUrl.trim() || null,
      authority: form.authority.trim() || null,
    };
    // Blank secret fields keep what is stored: they are never shown, so they start blank.
    if (form.clientSecret !== '') input.clientSecret = form.clientSecret;
    if (form.removeRefreshToken) input.refreshToken = null;
    else if (form.refreshToken !== '') input.refreshToken = form.refreshToken;
    save.mutate(input, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} data-testid="connection-form">
      <Stack gap="sm">
        {fixedCloud === undefined && (
          <Select
            label={t('connections.field.cloud')}
            data={available.map((value) => ({ value, label: t('connections.cloud', { cloud: value }) }))}
            value={cloud ?? null}
            onChange={(value) => value && setCloud(value as Cloud)}
            allowDeselect={false}
            required
            error={errorOf('cloud')}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('connections.field.tenantId')}
            description={t('connections.hint.tenantId')}
            value={form.tenantId}
            onChange={set('tenantId')}
            required
            error={errorOf('tenantId')}
          />
          <TextInput
            label={t('connections.field.clientId')}
            value={form.clientId}
            onChange={set('clientId')}
            required
            error={errorOf('clientId')}
          />
          <PasswordInput
            label={t('connections.field.clientSecret')}
            description={existing ? t('connections.hint.keepSecret') : undefined}
            value={form.clientSecret}
            onChange={set('clientSecret')}
            required={!existing}
            autoComplete="new-password"
            error={errorOf('clientSecret')}
          />
          <PasswordInput
            label={t('connections.field.refreshToken')}
            description={t(
              existing?.refreshTokenSet ? 'connections.hint.keepSecret' : 'connections.hint.refreshToken',
            )}
            value={form.refreshToken}
            onChange={set('refreshToken')}
            disabled={form.removeRefreshToken}
            autoComplete="new-password"
            error={errorOf('refreshToken')}
          />
          <TextInput
            label={t('connections.field.baseUrl')}
            description={t('connections.hint.override')}
            value={form.baseUrl}
            onChange={set('baseUrl')}
            type="url"
            error={errorOf('baseUrl')}
          />
          <TextInput
            label={t('connections.field.authority')}
            description={t('connections.hint.override')}
            value={form.authority}
            onChange={set('authority')}
            type="url"
            error={errorOf('authority')}
          />
        </SimpleGrid>
        {existing?.refreshTokenSet && (
          <Checkbox
            label={t('connections.field.removeRefreshToken')}
            checked={form.removeRefreshToken}
            onChange={(event) => {
              const checked = event.currentTarget.checked;
              setForm((current) => ({ ...current, removeRefreshToken: checked }));
            }}
          />
        )}
        {save.isError && (!problem || fieldOf(problem) === undefined) && (
          <ProblemText problem={save.error} t={t} />
        )}
        <Group gap="sm">
          <Button type="submit" loading={save.isPending} disabled={cloud === undefined}>
            {t('connections.save')}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t('connections.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ConnectionCard({ connection }: { connection: Connection }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const check = useConnectionAction(() =>
    api<Connection>('POST', `/partner/connections/${connection.cloud}/check`),
  );
  const remove = useConnectionAction(() => api<void>('DELETE', `/partner/connections/${connection.cloud}`));

  return (
    <Card withBorder padding="md" data-testid={`connection-${connection.cloud}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('connections.cloud', { cloud: connection.cloud })}
          </Title>
          <Badge color={STATUS_COLOR[connection.status]} variant="light">
            {t('connections.status', { status: connection.status })}
          </Badge>
        </Group>
        <Text size="sm">{t('connections.tenant', { tenantId: connection.tenantId })}</Text>
        <Text size="sm">{t('connections.client', { clientId: connection.clientId })}</Text>
        <RefreshTokenLine connection={connection} />
        {connection.lastCheckedAt && (
          <Text size="xs" c="dimmed">
            {t('connections.lastChecked', { at: new Date(connection.lastCheckedAt) })}
          </Text>
        )}
        {connection.status === 'failed' && connection.lastError && (
          <Alert color="red" title={t('connections.failed')}>
            {connection.lastError}
          </Alert>
        )}
        <Divider my={4} />
        <SyncStatus cloud={connection.cloud} />
        <Divider my={4} />
        {check.isError && <ProblemText problem={check.error} t={t} />}
        {remove.isError && <ProblemText problem={remove.error} t={t} />}
        {editing ? (
          <ConnectionForm
            cloud={connection.cloud}
            existing={connection}
            available={[connection.cloud]}
            onDone={() => setEditing(false)}
          />
        ) : (
          <Group gap="sm">
            <Button variant="light" loading={check.isPending} onClick={() => check.mutate(undefined)}>
              {t('connections.test')}
            </Button>
            <Button variant="default" onClick={() => setEditing(true)}>
              {t('connections.replace')}
            </Button>
            {confirming ? (
              <>
                <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined)}>
                  {t('connections.removeConfirm')}
                </Button>
                <Button variant="subtle" onClick={() => setConfirming(false)}>
                  {t('connections.cancel')}
                </Button>
              </>
            ) : (
              <Button variant="subtle" color="red" onClick={() => setConfirming(true)}>
                {t('connections.remove')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/** Partner settings (partner.manage): the Partner Center connections, one card per cloud instance. */
export function ConnectionsSection() {
  const { t } = useI18n();
  const connections = useConnections();
  const [adding, setAdding] = useState(false);
  const connected = new Set(connections.data?.map((connection) => connection.cloud));
  const available = CLOUDS.filter((cloud) => !connected.has(cloud));

  return (
    <Stack gap="md" data-testid="connections-section">
      <Stack gap={4}>
        <Title order={2}>{t('connections.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('connections.intro')}
        </Text>
      </Stack>
      {connections.isPending && <Loader aria-label={t('common.loading')} />}
      {connections.isError && (
        <Alert color="red" role="alert" title={t('connections.error.load')}>
          <Button variant="light" color="red" size="xs" onClick={() => connections.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {connections.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('connections.empty')}
        </Text>
      )}
      {connections.data?.map((connection) => (
        <ConnectionCard key={connection.cloud} connection={connection} />
      ))}
      {connections.data &&
        available.length > 0 &&
        (adding ? (
          <Card withBorder padding="md">
            <ConnectionForm available={available} onDone={() => setAdding(false)} />
          </Card>
        ) : (
          <Group>
            <Button variant="default" onClick={() => setAdding(true)}>
              {t('connections.add')}
            </Button>
          </Group>
        ))}
    </Stack>
  );
}
