import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { LanguageSelect } from '../components/language-select.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import type { User } from '../types.ts';

/** What a user list passes its modal. */
export interface UserModalProps {
  /** Null: invite someone new. */
  user: User | null;
  onClose: () => void;
  /** Called with what was done, for the page to say. */
  onDone: (notice: string) => void;
}

interface Sent {
  onSuccess: () => void;
}

interface UserModalFrameProps extends UserModalProps {
  /** The invitation or the change, whichever this modal sends. */
  mutation: { error: unknown; isPending: boolean };
  /** Sends the invitation, with the roles chosen. */
  invite: (invitee: { email: string; name: string; language?: string }, sent: Sent) => void;
  /** Sends the change, with the roles chosen. */
  update: (change: { id: string; name: string }, sent: Sent) => void;
  /** The roles' field in problems (`role`, `roles`), whose error shows beside the picker. */
  rolesField: string;
  /** False while the roles chosen cannot be sent. */
  rolesChosen?: boolean;
  /** The roles' picker, between the name and the language. */
  children: ReactNode;
}

/** Invite someone (e-mail, name, roles, language), or change one's name and roles. */
export function UserModalFrame(props: UserModalFrameProps) {
  const { user, onClose, onDone, mutation } = props;
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [language, setLanguage] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (user) {
      props.update(
        { id: user.id, name: name.trim() },
        { onSuccess: () => onDone(t('identity.users.saved', { name: name.trim() })) },
      );
    } else {
      props.invite(
        { email: email.trim(), name: name.trim(), ...(language ? { language } : {}) },
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
        {props.children}
        {!user && (
          <LanguageSelect
            label={t('identity.field.language')}
            noneLabel={t('identity.language.organisation')}
            value={language}
            onChange={setLanguage}
          />
        )}
        <ProblemAlert error={mutation.error} fields={['email', 'name', props.rolesField]} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('identity.action.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={props.rolesChosen === false}>
            {user ? t('identity.action.save') : t('identity.users.inviteSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
