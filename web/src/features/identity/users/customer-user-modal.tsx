import { Button, Group, Modal, Radio, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useInviteCustomerUser, useUpdateCustomerUser } from '../api/customer-users.ts';
import { LanguageSelect } from '../components/language-select.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { roleLabel } from '../components/roles.ts';
import { CUSTOMER_ROLES, type CustomerRole, type User } from '../types.ts';

function isCustomerRole(value: string): value is CustomerRole {
  return CUSTOMER_ROLES.some((role) => role === value);
}

interface CustomerUserModalProps {
  /** Null: invite someone new. */
  user: User | null;
  onClose: () => void;
  onDone: (notice: string) => void;
}

/** Invite a colleague (e-mail, name, role, language), or change one's name and role. */
export function CustomerUserModal({ user, onClose, onDone }: CustomerUserModalProps) {
  const { t } = useI18n();
  const invite = useInviteCustomerUser();
  const update = useUpdateCustomerUser();
  const mutation = user ? update : invite;
  const [email, setEmail] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState<CustomerRole>(user?.roles.find(isCustomerRole) ?? 'customer_user');
  const [language, setLanguage] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (user) {
      update.mutate(
        { id: user.id, name: name.trim(), role },
        { onSuccess: () => onDone(t('identity.users.saved', { name: name.trim() })) },
      );
    } else {
      invite.mutate(
        { email: email.trim(), name: name.trim(), role, ...(language ? { language } : {}) },
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
        <Radio.Group
          label={t('identity.users.role')}
          value={role}
          onChange={(value) => isCustomerRole(value) && setRole(value)}
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
        {!user && (
          <LanguageSelect
            label={t('identity.field.language')}
            noneLabel={t('identity.language.organisation')}
            value={language}
            onChange={setLanguage}
          />
        )}
        <ProblemAlert error={mutation.error} fields={['email', 'name', 'role']} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('identity.action.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {user ? t('identity.action.save') : t('identity.users.inviteSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
