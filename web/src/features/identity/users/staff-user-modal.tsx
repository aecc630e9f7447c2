import { MultiSelect } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useInviteStaffUser, useUpdateStaffUser } from '../api/staff-users.ts';
import { fieldError } from '../components/problem.tsx';
import { isOneOf, roleLabel } from '../components/roles.ts';
import { useSignedIn } from '../session/require-session.tsx';
import { STAFF_ROLES, type StaffRole } from '../types.ts';
import { UserModalFrame, type UserModalProps } from './user-modal.tsx';

/** Invite a staff member, or change one's name and roles (any number of them). */
export function StaffUserModal(props: UserModalProps) {
  const { t } = useI18n();
  const me = useSignedIn();
  const invite = useInviteStaffUser();
  const update = useUpdateStaffUser();
  const mutation = props.user ? update : invite;
  const [roles, setRoles] = useState<StaffRole[]>(
    props.user?.roles.filter((role) => isOneOf(STAFF_ROLES, role)) ?? [],
  );

  // Only a Global admin may make someone a Global admin; the server says so too.
  const mayGrantGlobalAdmin = me.roles.includes('global_admin');
  const roleOptions = STAFF_ROLES.map((role) => ({
    value: role,
    label: roleLabel(t, role),
    disabled: role === 'global_admin' && !mayGrantGlobalAdmin,
  }));

  return (
    <UserModalFrame
      {...props}
      mutation={mutation}
      invite={(invitee, sent) => invite.mutate({ ...invitee, roles }, sent)}
      update={(change, sent) => update.mutate({ ...change, roles }, sent)}
      rolesField="roles"
      rolesChosen={roles.length > 0}
    >
      <MultiSelect
        label={t('identity.users.roles')}
        required
        data={roleOptions}
        value={roles}
        onChange={(values) => setRoles(values.filter((value) => isOneOf(STAFF_ROLES, value)))}
        error={fieldError(t, mutation.error, 'roles')}
        data-testid="roles"
      />
    </UserModalFrame>
  );
}
