import { Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useStaffUserAction, useStaffUsers } from '../api/staff-users.ts';
import { isOneOf } from '../components/roles.ts';
import { useSignedIn } from '../session/require-session.tsx';
import type { User, UserStatus } from '../types.ts';
import { StaffUserModal } from './staff-user-modal.tsx';
import { UserListPage } from './user-list-page.tsx';

const STATUSES: readonly UserStatus[] = ['active', 'invited', 'deactivated'];

/** `/staff/users` (partner_users.manage): the partner's staff, their roles, invitations and MFA. */
export function StaffUsersPage() {
  const { t } = useI18n();
  const me = useSignedIn();
  const [status, setStatus] = useState<UserStatus | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const users = useStaffUsers({ status, q });
  const action = useStaffUserAction();
  // Only a Global admin may change a Global admin; nobody deactivates themself from here.
  const mayManage = (user: User) => me.roles.includes('global_admin') || !user.roles.includes('global_admin');

  const statusOptions = [
    { value: 'all', label: t('identity.users.status.all') },
    ...STATUSES.map((value) => ({ value, label: t(`identity.users.status.${value}`) })),
  ];

  return (
    <UserListPage
      title={t('nav.users')}
      users={users}
      empty={<Text c="dimmed">{t('identity.users.none')}</Text>}
      rolesLabel={t('identity.users.roles')}
      action={action}
      modal={StaffUserModal}
      rowActions={(user, on) => {
        const manage = mayManage(user);
        const self = user.id === me.id;
        return [
          manage && { label: t('identity.users.edit'), onClick: () => on.edit(user) },
          manage &&
            user.status === 'invited' && {
              label: t('identity.users.resend'),
              onClick: () => on.run(user, 'resend-invitation'),
            },
          manage &&
            !self &&
            user.mfaEnabled && {
              label: t('identity.users.mfaReset'),
              onClick: () => on.ask(user, 'mfa-reset'),
              danger: true,
            },
          manage &&
            user.status === 'deactivated' && {
              label: t('identity.users.reactivate'),
              onClick: () => on.run(user, 'reactivate'),
            },
          manage &&
            !self &&
            user.status !== 'deactivated' && {
              label: t('identity.users.deactivate'),
              onClick: () => on.ask(user, 'deactivate'),
              danger: true,
            },
        ];
      }}
    >
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
          onChange={(value) => setStatus(isOneOf(STATUSES, value) ? value : null)}
          allowDeselect={false}
          w={200}
        />
      </Group>
    </UserListPage>
  );
}
