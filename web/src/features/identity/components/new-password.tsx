import { PasswordInput, Stack } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';

/** A new password typed twice; `confirm()` before sending says whether both agree. */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);
  return {
    password,
    repeat,
    setPassword,
    setRepeat,
    mismatch: checked && password !== repeat,
    confirm: () => {
      setChecked(true);
      return password === repeat;
    },
  };
}

interface NewPasswordFieldsProps {
  state: ReturnType<typeof useNewPassword>;
  /** The server's word on the new password (too weak). */
  error?: string | undefined;
  label?: string;
}

/** Both fields, with the password rule said up front rather than after a refusal. */
export function NewPasswordFields({ state, error, label }: NewPasswordFieldsProps) {
  const { t } = useI18n();
  return (
    <Stack gap="sm">
      <PasswordInput
        label={label ?? t('identity.password.new')}
        description={t('identity.password.rule')}
        autoComplete="new-password"
        required
        minLength={12}
        value={state.password}
        onChange={(event) => state.setPassword(event.currentTarget.value)}
        error={error}
        data-testid="new-password"
      />
      <PasswordInput
        label={t('identity.password.repeat')}
        autoComplete="new-password"
        required
        value={state.repeat}
        onChange={(event) => state.setRepeat(event.currentTarget.value)}
        error={state.mismatch ? t('identity.password.mismatch') : undefined}
        data-testid="repeat-password"
      />
    </Stack>
  );
}
