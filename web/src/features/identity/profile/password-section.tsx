import { Alert, Button, Group, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useChangePassword } from '../api/me.ts';
import { CurrentPasswordInput } from '../components/credential-inputs.tsx';
import { NewPasswordFields, useNewPassword } from '../components/new-password.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { Section } from '../components/section.tsx';

export function PasswordSection() {
  const { t } = useI18n();
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const newPassword = useNewPassword();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!newPassword.confirm()) return;
    change.mutate(
      { currentPassword, newPassword: newPassword.password },
      {
        onSuccess: () => {
          setCurrentPassword('');
          newPassword.setPassword('');
          newPassword.setRepeat('');
        },
      },
    );
  };
  return (
    <Section title={t('identity.password.title')}>
      <Stack gap="md" component="form" onSubmit={onSubmit} maw={420}>
        <CurrentPasswordInput
          label={t('identity.password.current')}
          value={currentPassword}
          onChange={setCurrentPassword}
          error={fieldError(t, change.error, 'currentPassword')}
        />
        <NewPasswordFields state={newPassword} error={fieldError(t, change.error, 'newPassword')} />
        <ProblemAlert error={change.error} fields={['currentPassword', 'newPassword']} />
        {change.isSuccess && (
          <Alert color="teal" role="status">
            {t('identity.password.changed')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t('identity.password.change')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
