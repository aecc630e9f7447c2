import { Button, Group, Loader, Stack, Title } from '@mantine/core';
import { type ComponentType, type ReactNode, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import type { User } from '../types.ts';
import { Notice, type RowAction, UserTable } from './parts.tsx';
import type { UserModalProps } from './user-modal.tsx';

/** Actions that take something away ask first. */
type Confirmable = 'deactivate' | 'mfa-reset';

/** What a row's menu can do: open the modal, run an action, or ask before one that takes something away. */
export interface UserRowHandlers<A extends string> {
  edit: (user: User) => void;
  run: (user: User, action: A) => void;
  ask: (user: User, action: Extract<A, Confirmable>) => void;
}

interface UserListPageProps<A extends string> {
  title: string;
  /** Between the heading and the list: filters, policies. */
  children?: ReactNode;
  users: { data: readonly User[] | undefined; error: unknown; isPending: boolean };
  /** Shown when the list is empty. */
  empty?: ReactNode;
  rolesLabel: string;
  action: {
    mutate: (request: { id: string; action: A }, sent: { onSuccess: () => void }) => void;
    reset: () => void;
    error: unknown;
    isPending: boolean;
  };
  /** What the viewer may do to one person; `false` entries are left out. */
  rowActions: (user: User, on: UserRowHandlers<A>) => readonly (RowAction | false)[];
  /** Invites someone, or edits one person. */
  modal: ComponentType<UserModalProps>;
}

/** A page of an organisation's people: invite, edit, and the actions on each, with what they did said. */
export function UserListPage<A extends string>(props: UserListPageProps<A>) {
  const { users, action, modal: UserModal } = props;
  const { t } = useI18n();
  const [modal, setModal] = useState<{ user: User | null } | null>(null);
  const [confirming, setConfirming] = useState<{ user: User; action: Extract<A, Confirmable> } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = (user: User, what: A) => {
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
  const on: UserRowHandlers<A> = {
    edit: (user) => setModal({ user }),
    run,
    ask: (user, what) => {
      action.reset();
      setConfirming({ user, action: what });
    },
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{props.title}</Title>
        <Button onClick={() => setModal({ user: null })} data-testid="invite-user">
          {t('identity.users.invite')}
        </Button>
      </Group>
      {props.children}
      <Notice text={notice} onClose={() => setNotice(null)} />
      {confirming === null && <ProblemAlert error={action.error} />}
      <ProblemAlert error={users.error} />
      {users.isPending && <Loader aria-label={t('common.loading')} />}
      {users.data?.length === 0 && props.empty}
      {users.data && users.data.length > 0 && (
        <UserTable
          users={users.data}
          rolesLabel={props.rolesLabel}
          actions={(user) => props.rowActions(user, on)}
        />
      )}
      {modal && (
        <UserModal
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
