import { Button, Group, Loader, Stack, Switch, Title } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import {
  type CustomerUserAction,
  useCustomerMfaPolicy,
  useCustomerUserAction,
  useCustomerUsers,
  useSetCustomerMfaPolicy,
} from '../api/customer-users.ts';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { Section } from '../components/section.tsx';
import { useSignedIn } from '../session/require-session.tsx';
import type { User } from '../types.ts';
import { CustomerUserModal } from './customer-user-modal.tsx';
import { Notice, UserTable } from './parts.tsx';

/** Whether everyone of this customer must use two-step verification. */
function MfaPolicySection({ customerName }: { customerName: string }) {
  const { t } = useI18n();
  const policy = useCustomerMfaPolicy();
  const setPolicy = useSetCustomerMfaPolicy();
  return (
    <Section title={t('identity.mfa.title')}>
      <Switch
        label={t('identity.mfaPolicy.required', { customer: customerName })}
        description={t('identity.mfaPolicy.hint')}
        checked={policy.data?.required ?? false}
        disabled={!policy.data || setPolicy.isPending}
        onChange={(event) => setPolicy.mutate(event.currentTarget.checked)}
        data-testid="mfa-policy"
      />
      <ProblemAlert error={policy.error ?? setPolicy.error} />
    </Section>
  );
}

/** `/portal/users` (portal.customer_users.manage): a customer admin's colleagues. */
export function CustomerUsersPage() {
  const { t } = useI18n();
  const me = useSignedIn();
  const users = useCustomerUsers();
  const action = useCustomerUserAction();
  const [modal, setModal] = useState<{ user: User | null } | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const customerName = me.customer?.name ?? '';

  const run = (user: User, what: CustomerUserAction) => {
    setNotice(null);
    action.mutate(
      { id: user.id, action: what },
      {
        onSuccess: () => {
          setDeactivating(null);
          setNotice(t(`identity.users.done.${what}`, { name: user.name, email: user.email }));
        },
      },
    );
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('identity.nav.portalUsers')}</Title>
        <Button onClick={() => setModal({ user: null })} data-testid="invite-user">
          {t('identity.users.invite')}
        </Button>
      </Group>
      <MfaPolicySection customerName={customerName} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      {deactivating === null && <ProblemAlert error={action.error} />}
      <ProblemAlert error={users.error} />
      {users.isPending && <Loader aria-label={t('common.loading')} />}
      {users.data && users.data.length > 0 && (
        <UserTable
          users={users.data}
          rolesLabel={t('identity.users.role')}
          actions={(user) => [
            { label: t('identity.users.edit'), onClick: () => setModal({ user }) },
            user.status === 'invited' && {
              label: t('identity.users.resend'),
              onClick: () => run(user, 'resend-invitation'),
            },
            user.status === 'deactivated' && {
              label: t('identity.users.reactivate'),
              onClick: () => run(user, 'reactivate'),
            },
            user.id !== me.id &&
              user.status !== 'deactivated' && {
                label: t('identity.users.deactivate'),
                onClick: () => {
                  action.reset();
                  setDeactivating(user);
                },
                danger: true,
              },
          ]}
        />
      )}
      {modal && (
        <CustomerUserModal
          user={modal.user}
          onClose={() => setModal(null)}
          onDone={(text) => {
            setModal(null);
            setNotice(text);
          }}
        />
      )}
      <ConfirmModal
        opened={deactivating !== null}
        title={t('identity.users.confirm.deactivate.title', { name: deactivating?.name ?? '' })}
        message={t('identity.users.confirm.deactivate.body', { name: deactivating?.name ?? '' })}
        confirmLabel={t('identity.users.deactivate')}
        onConfirm={() => deactivating && run(deactivating, 'deactivate')}
        onClose={() => setDeactivating(null)}
        pending={action.isPending}
        error={action.error}
      />
    </Stack>
  );
}
