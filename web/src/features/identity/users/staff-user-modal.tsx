import { Button, Group, Modal, MultiSelect, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useInviteStaffUser, useUpdateStaffUser } from '../api/staff-users.ts';
import { LanguageSelect } from '../components/language-select.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { roleLabel } from '../components/roles.ts';
import { useSignedIn } from '../session/require-session.tsx';
import { STAFF_ROLES, type StaffRole, type User } from '../types.ts';

function isStaffRole(value: string): value is StaffRole {
  return STAFF_ROLES.some((role) => role === value);
}

interface StaffUserModalProps {
  /** Null: invite someone new. */
  user: User | null;
  onClose: () => void;
  /** Called with what was done, for the page to say. */
  onDone: (notice: string) => void;
}

/** Invite a staff member (e-mail, name, roles, language), or change one's name and roles. */
export function StaffUserModal({ user, onClose, onDone }: StaffUserModalProps) {
  const { t } = useI18n();
  const me = useSignedIn();
  const invite = useInviteStaffUser();
  const update = useUpdateStaffUser();
  const mutation = user ? update : invite;
  const [email, setEmail] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [roles, setRoles] = useState<StaffRole[]>(user?.roles.filter(isStaffRole) ?? []);
  const [language, setLanguage] = useState('');

  // Only a Global admin may make someone a Global admin; the server says so too.
  const mayGrantGlobalAdmin = me.roles.includes('global_admin');
  const roleOptions = STAFF_ROLES.map((role) => ({
    value: role,
    label: roleLabel(t, role),
    disabled: role === 'global_admin' && !mayGrantGlobalAdmin,
  }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (user) {
      update.mutate(
        { id: user.id, name: name.trim(), roles },
        { onSuccess: () => onDone(t('identity.users.saved', { name: name.trim() })) },
      );
    } else {
      invite.mutate(
        { email: email.trim(), name: name.trim(), roles, ...(language ? { language } : {}) },
        { onSuccess: () => onDone(t('identity.users.invited', { email: email.trim() })) },
      );
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={user ? t('identity.users.editTitle') : t('identity.users.inviteTitle')}
    >
      <Stack gap="md" component="form" onSubmit={onSubmit}>
        {!user && (
          <TextInput
            type="email"
            label={t('identity.field.email')}
            required
            data-autofocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(t, mutation.error, 'email')}
          />
        )}
        <TextInput
          label={t('identity.field.name')}
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(t, mutation.error, 'name')}
        />
        <MultiSelect
          label={t('identity.users.roles')}
          required
          data={roleOptions}
          value={roles}
          onChange={(values) => setRoles(values.filter(isStaffRole))}
          error={fieldError(t, mutation.error, 'roles')}
          data-testid="roles"
        />
        {!user && (
          <LanguageSelect
            label={t('identity.field.language')}
            noneLabel={t('identity.language.organisation')}
            value={language}
            onChange={setLanguage}
          />
        )}
        <ProblemAlert error={mutation.error} fields={['email', 'name', 'roles']} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('identity.action.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={roles.length === 0}>
            {user ? t('identity.action.save') : t('identity.users.inviteSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
