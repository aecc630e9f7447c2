import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  NumberInput,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api/tokens.ts';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { CopyValue } from '../components/copy-value.tsx';
import { useDates } from '../components/dates.ts';
import { ListHead } from '../components/list-head.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { Section } from '../components/section.tsx';
import { useSignedIn } from '../session/require-session.tsx';
import type { ApiToken } from '../types.ts';

const DEFAULT_EXPIRY_DAYS = 90;
const MAX_EXPIRY_DAYS = 365;

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  return Date.parse(token.expiresAt) <= Date.now() ? 'expired' : 'active';
}

/** Name, permissions (some of the person's own) and lifetime; then the token itself, this once. */
function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const me = useSignedIn();
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [days, setDays] = useState<number | string>(DEFAULT_EXPIRY_DAYS);
  const [noPermission, setNoPermission] = useState(false);

  const close = () => {
    create.reset();
    setName('');
    setPermissions([]);
    setDays(DEFAULT_EXPIRY_DAYS);
    setNoPermission(false);
    onClose();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setNoPermission(permissions.length === 0);
    if (permissions.length > 0)
      create.mutate({ name: name.trim(), permissions, expiresInDays: Number(days) });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('identity.tokens.create')} size="lg">
      {create.data ? (
        <Stack gap="md" data-testid="token-created">
          <Alert color="yellow" title={t('identity.tokens.onceTitle')}>
            {t('identity.tokens.once')}
          </Alert>
          <Code block data-testid="token-value" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {create.data.token}
          </Code>
          <Group gap="sm">
            <CopyValue value={create.data.token} />
            <Button onClick={close}>{t('identity.action.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md" component="form" onSubmit={onSubmit}>
          <TextInput
            label={t('identity.tokens.name')}
            description={t('identity.tokens.nameHint')}
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldError(t, create.error, 'name')}
          />
          <Checkbox.Group
            label={t('identity.tokens.permissions')}
            description={t('identity.tokens.permissionsHint')}
            value={permissions}
            onChange={setPermissions}
            error={
              noPermission ? t('identity.tokens.permissionsNone') : fieldError(t, create.error, 'permissions')
            }
          >
            <ScrollArea.Autosize mah={280} mt="xs" type="auto">
              <Stack gap={8}>
                {me.permissions.map((permission) => (
                  <Checkbox
                    key={permission}
                    value={permission}
                    label={t(`identity.permission.${permission}`)}
                    description={permission}
                  />
                ))}
              </Stack>
            </ScrollArea.Autosize>
          </Checkbox.Group>
          <NumberInput
            label={t('identity.tokens.expiresInDays')}
            required
            min={1}
            max={MAX_EXPIRY_DAYS}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            value={days}
            onChange={setDays}
            maw={200}
            error={fieldError(t, create.error, 'expiresInDays')}
          />
          <ProblemAlert error={create.error} fields={['name', 'permissions', 'expiresInDays']} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('identity.action.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="token-create-submit">
              {t('identity.tokens.createSubmit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

const STATE_COLOR = { active: 'teal', expired: 'gray', revoked: 'red' } as const;

/** Tokens for scripts and integrations that call the API as this person, with fewer permissions. */
export function ApiTokensSection() {
  const { t } = useI18n();
  const dates = useDates();
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const closeRevoke = () => {
    setRevoking(null);
    revoke.reset();
  };

  return (
    <Section title={t('identity.tokens.title')} description={t('identity.tokens.intro')}>
      <Group>
        <Button onClick={() => setCreating(true)} data-testid="token-create">
          {t('identity.tokens.create')}
        </Button>
      </Group>
      <ProblemAlert error={tokens.error} />
      {tokens.data && tokens.data.length === 0 && <Text c="dimmed">{t('identity.tokens.none')}</Text>}
      {tokens.data && tokens.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" data-testid="token-list">
            <ListHead
              columns={[
                t('identity.tokens.name'),
                t('identity.tokens.permissions'),
                t('identity.tokens.expires'),
                t('identity.tokens.lastUsed'),
                t('identity.tokens.state'),
              ]}
            />
            <Table.Tbody>
              {tokens.data.map((token) => {
                const state = tokenState(token);
                return (
                  <Table.Tr key={token.id}>
                    <Table.Td>
                      <Text size="sm">{token.name}</Text>
                      <Code>{token.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" title={token.permissions.join('\n')}>
                        {t('identity.tokens.permissionCount', { count: token.permissions.length })}
                      </Text>
                    </Table.Td>
                    <Table.Td>{dates.date(token.expiresAt)}</Table.Td>
                    <Table.Td>
                      {token.lastUsedAt ? dates.dateTime(token.lastUsedAt) : t('identity.never')}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[state]} variant="light">
                        {t(`identity.tokens.${state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="end">
                      {state === 'active' && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setRevoking(token)}
                        >
                          {t('identity.tokens.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={revoking !== null}
        title={t('identity.tokens.revokeTitle')}
        message={t('identity.tokens.revokeBody', { name: revoking?.name ?? '' })}
        confirmLabel={t('identity.tokens.revoke')}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: closeRevoke })}
        onClose={closeRevoke}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Section>
  );
}
