import { Radio, Stack } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useInviteCustomerUser, useUpdateCustomerUser } from '../api/customer-users.ts';
import { fieldError } from '../components/problem.tsx';
import { isOneOf, roleLabel } from '../components/roles.ts';
import { CUSTOMER_ROLES, type CustomerRole } from '../types.ts';
import { UserModalFrame, type UserModalProps } from './user-modal.tsx';

/** Invite a colleague, or change one's name and role (exactly one). */
export function CustomerUserModal(props: UserModalProps) {
  const { t } = useI18n();
  const invite = useInviteCustomerUser();
  const update = useUpdateCustomerUser();
  const mutation = props.user ? update : invite;
  const [role, setRole] = useState<CustomerRole>(
    props.user?.roles.find((role) => isOneOf(CUSTOMER_ROLES, role)) ?? 'customer_user',
  );

  return (
    <UserModalFrame
      {...props}
      mutation={mutation}
      invite={(invitee, sent) => invite.mutate({ ...invitee, role }, sent)}
      update={(change, sent) => update.mutate({ ...change, role }, sent)}
      rolesField="role"
    >
      <Radio.Group
        label={t('identity.users.role')}
        value={role}
        onChange={(value) => isOneOf(CUSTOMER_ROLES, value) && setRole(value)}
        error={fieldError(t, mutation.error, 'role')}
      >
        <Stack gap="xs" mt="xs">
          {CUSTOMER_ROLES.map((value) => (
            <Radio
              key={value}
              value={value}
              label={roleLabel(t, value)}
              description={t(`identity.role.${value}.description`)}
            />
          ))}
        </Stack>
      </Radio.Group>
    </UserModalFrame>
  );
}
