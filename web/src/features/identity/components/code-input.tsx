import { Input, PinInput } from '@mantine/core';
import { useId } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';

interface CodeInputProps {
  value: string;
  onChange: (value: string) => void;
  /** Called with all six digits, so the form can go on without a click. */
  onComplete?: (value: string) => void;
  error?: string | undefined;
  autoFocus?: boolean;
}

/** The six digits of an authenticator app, offered by the phone's keyboard from a text message too. */
export function CodeInput({ value, onChange, onComplete, error, autoFocus = false }: CodeInputProps) {
  const { t } = useI18n();
  const id = useId();
  return (
    <Input.Wrapper label={t('identity.mfa.code')} description={t('identity.mfa.codeHint')} error={error}>
      <PinInput
        id={id}
        mt={6}
        length={6}
        type="number"
        oneTimeCode
        autoFocus={autoFocus}
        value={value}
        onChange={onChange}
        onComplete={onComplete}
        error={error !== undefined}
        ariaLabel={t('identity.mfa.code')}
        data-testid="mfa-code"
      />
    </Input.Wrapper>
  );
}
