import { Button, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { type StaffUserAction, useStaffUserAction, useStaffUsers } from '../api/staff-users.ts';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { useSignedIn } from '../session/require-session.tsx';
import type { User, UserStatus } from '../types.ts';
import { Notice, UserTable } from './parts.tsx';
import { StaffUserModal } from './staff-user-modal.tsx';

const STATUSES: readonly UserStatus[] = ['active', 'invited', 'deactivated'];

function isStatus(value: string | null): value is UserStatus {
  return STATUSES.some((status) => status === value);
}

/** Actions that take something away ask first. */
type Confirmable = { user: User; action: Extract<StaffUserAction, 'deactivate' | 'mfa-reset'> };

/** `/staff/users` (partner_users.manage): the partner's staff, their roles, invitations and MFA. */
export function StaffUsersPage() {
  const { t } = useI18n();
  const me = useSignedIn();
  const [status, setStatus] = useState<UserStatus | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const users = useStaffUsers({ status, q });
  const action = useStaffUserAction();
  const [modal, setModal] = useState<{ user: User | null } | null>(null);
  const [confirming, setConfirming] = useState<Confirmable | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = (user: User, what: StaffUserAction) => {
    setNotice(null);
    action.mutate(
      { id: user.id, action: what },
      {
        onSuccess: () => {
          setConfirming(null);
          setNotice(t(`identity.users.done.${what}`, { name: user.name, email: user.email }));
        },
      },
    );
  };
  const ask = (pending: Confirmable) => {
    action.reset();
    setConfirming(pending);
  };
  // Only a Global admin may change a Global admin; nobody deactivates themself from here.
  const mayManage = (user: User) => me.roles.includes('global_admin') || !user.roles.includes('global_admin');

  const statusOptions = [
    { value: 'all', label: t('identity.users.status.all') },
    ...STATUSES.map((value) => ({ value, label: t(`identity.users.status.${value}`) })),
  ];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('nav.users')}</Title>
        <Button onClick={() => setModal({ user: null })} data-testid="invite-user">
          {t('identity.users.invite')}
        </Button>
      </Group>
      <Group gap="sm" align="flex-end">
        <TextInput
          type="search"
          label={t('identity.users.search')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={280}
          maw="100%"
        />
        <Select
          label={t('identity.users.statusFilter')}
          data={statusOptions}
          value={status ?? 'all'}
          onChange={(value) => setStatus(isStatus(value) ? value : null)}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {confirming === null && <ProblemAlert error={action.error} />}
      <ProblemAlert error={users.error} />
      {users.isPending && <Loader aria-label={t('common.loading')} />}
      {users.data?.length === 0 && <Text c="dimmed">{t('identity.users.none')}</Text>}
      {users.data && users.data.length > 0 && (
        <UserTable
          users={users.data}
          rolesLabel={t('identity.users.roles')}
          actions={(user) => {
            const manage = mayManage(user);
            const self = user.id === me.id;
            return [
              manage && { label: t('identity.users.edit'), onClick: () => setModal({ user }) },
              manage &&
                user.status === 'invited' && {
                  label: t('identity.users.resend'),
                  onClick: () => run(user, 'resend-invitation'),
                },
              manage &&
                !self &&
                user.mfaEnabled && {
                  label: t('identity.users.mfaReset'),
                  onClick: () => ask({ user, action: 'mfa-reset' }),
                  danger: true,
                },
              manage &&
                user.status === 'deactivated' && {
                  label: t('identity.users.reactivate'),
                  onClick: () => run(user, 'reactivate'),
                },
              manage &&
                !self &&
                user.status !== 'deactivated' && {
                  label: t('identity.users.deactivate'),
                  onClick: () => ask({ user, action: 'deactivate' }),
                  danger: true,
                },
            ];
          }}
        />
      )}
      {modal && (
        <StaffUserModal
          user={modal.user}
          onClose={() => setModal(null)}
          onDone={(text) => {
            setModal(null);
            setNotice(text);
          }}
        />
      )}
      <ConfirmModal
        opened={confirming !== null}
        title={
          confirming
            ? t(`identity.users.confirm.${confirming.action}.title`, { name: confirming.user.name })
            : ''
        }
        message={
          confirming
            ? t(`identity.users.confirm.${confirming.action}.body`, { name: confirming.user.name })
            : ''
        }
        confirmLabel={
          confirming?.action === 'mfa-reset' ? t('identity.users.mfaReset') : t('identity.users.deactivate')
        }
        onConfirm={() => confirming && run(confirming.user, confirming.action)}
        onClose={() => setConfirming(null)}
        pending={action.isPending}
        error={action.error}
      />
    </Stack>
  );
}
