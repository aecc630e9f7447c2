import { Switch } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';
import {
  useCustomerMfaPolicy,
  useCustomerUserAction,
  useCustomerUsers,
  useSetCustomerMfaPolicy,
} from '../api/customer-users.ts';
import { ProblemAlert } from '../components/problem.tsx';
import { Section } from '../components/section.tsx';
import { useSignedIn } from '../session/require-session.tsx';
import { CustomerUserModal } from './customer-user-modal.tsx';
import { UserListPage } from './user-list-page.tsx';

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

  return (
    <UserListPage
      title={t('identity.nav.portalUsers')}
      users={users}
      rolesLabel={t('identity.users.role')}
      action={action}
      modal={CustomerUserModal}
      rowActions={(user, on) => [
        { label: t('identity.users.edit'), onClick: () => on.edit(user) },
        user.status === 'invited' && {
          label: t('identity.users.resend'),
          onClick: () => on.run(user, 'resend-invitation'),
        },
        user.status === 'deactivated' && {
          label: t('identity.users.reactivate'),
          onClick: () => on.run(user, 'reactivate'),
        },
        user.id !== me.id &&
          user.status !== 'deactivated' && {
            label: t('identity.users.deactivate'),
            onClick: () => on.ask(user, 'deactivate'),
            danger: true,
          },
      ]}
    >
      <MfaPolicySection customerName={me.customer?.name ?? ''} />
    </UserListPage>
  );
}
