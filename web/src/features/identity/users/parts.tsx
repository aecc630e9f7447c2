import { ActionIcon, Alert, Badge, Menu, Table, Text } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';
import { useDates } from '../components/dates.ts';
import { ListHead } from '../components/list-head.tsx';
import { RoleBadges } from '../components/role-badges.tsx';
import type { User, UserStatus } from '../types.ts';

const STATUS_COLOR = { active: 'teal', invited: 'blue', deactivated: 'gray' } as const;

function UserStatusBadge({ status }: { status: UserStatus }) {
  const { t } = useI18n();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`identity.users.status.${status}`)}
    </Badge>
  );
}

function MfaBadge({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  return (
    <Badge color={enabled ? 'teal' : 'gray'} variant="outline">
      {enabled ? t('identity.mfa.on') : t('identity.mfa.off')}
    </Badge>
  );
}

function UserCell({ name, email }: { name: string; email: string }) {
  return (
    <>
      <Text size="sm" fw={600}>
        {name}
      </Text>
      <Text size="xs" c="dimmed">
        {email}
      </Text>
    </>
  );
}

export interface RowAction {
  label: string;
  onClick: () => void;
  danger?: boolean;
}

/** The per-person menu of a user list; nothing when there is nothing the viewer may do. */
function RowActions({ name, actions }: { name: string; actions: readonly (RowAction | false)[] }) {
  const { t } = useI18n();
  const shown = actions.filter((action): action is RowAction => action !== false);
  if (shown.length === 0) return null;
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={t('identity.users.actionsFor', { name })}>
          <svg width={18} height={18} viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
            <circle cx="5" cy="12" r="2" />
            <circle cx="12" cy="12" r="2" />
            <circle cx="19" cy="12" r="2" />
          </svg>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {shown.map((action) => (
          <Menu.Item key={action.label} color={action.danger ? 'red' : undefined} onClick={action.onClick}>
            {action.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** What the last action did, until the next one or until dismissed. */
export function Notice({ text, onClose }: { text: string | null; onClose: () => void }) {
  if (text === null) return null;
  return (
    <Alert color="teal" role="status" withCloseButton onClose={onClose} data-testid="notice">
      {text}
    </Alert>
  );
}

interface UserTableProps {
  users: readonly User[];
  rolesLabel: string;
  /** What the viewer may do to one person; `false` entries are left out. */
  actions: (user: User) => readonly (RowAction | false)[];
}

/** People of an organisation: name and e-mail, roles, status, MFA, last sign-in, and a menu each. */
export function UserTable({ users, rolesLabel, actions }: UserTableProps) {
  const { t } = useI18n();
  const dates = useDates();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="user-list">
        <ListHead
          columns={[
            t('identity.field.name'),
            rolesLabel,
            t('identity.users.statusColumn'),
            t('identity.mfa.title'),
            t('identity.users.lastSignIn'),
          ]}
        />
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id} data-testid={`user-${user.email}`}>
              <Table.Td>
                <UserCell name={user.name} email={user.email} />
              </Table.Td>
              <Table.Td>
                <RoleBadges roles={user.roles} gap={4} />
              </Table.Td>
              <Table.Td>
                <UserStatusBadge status={user.status} />
              </Table.Td>
              <Table.Td>
                <MfaBadge enabled={user.mfaEnabled} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {user.lastSignInAt ? dates.dateTime(user.lastSignInAt) : t('identity.never')}
                </Text>
              </Table.Td>
              <Table.Td ta="end">
                <RowActions name={user.name} actions={actions(user)} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
