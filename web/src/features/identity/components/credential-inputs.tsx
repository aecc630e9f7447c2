import { PasswordInput, TextInput } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';

interface CredentialInputProps {
  value: string;
  onChange: (value: string) => void;
  /** The server's word on this field. */
  error: string | undefined;
  testId?: string;
}

/** The address a person signs in with, first on its page; password managers fill it as the username. */
export function AccountEmailInput({ value, onChange, error, testId }: CredentialInputProps) {
  const { t } = useI18n();
  return (
    <TextInput
      type="email"
      label={t('identity.field.email')}
      autoComplete="username"
      required
      autoFocus
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      data-testid={testId}
    />
  );
}

/** The password a person has now, which password managers fill in. */
export function CurrentPasswordInput({
  label,
  value,
  onChange,
  error,
  testId,
}: CredentialInputProps & { label: string }) {
  return (
    <PasswordInput
      label={label}
      autoComplete="current-password"
      required
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      data-testid={testId}
    />
  );
}
