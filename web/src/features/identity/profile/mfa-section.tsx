import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { meKey } from '../api/me.ts';
import { useRegenerateRecoveryCodes, useTurnOffMfa } from '../api/mfa.ts';
import { CodeInput } from '../components/code-input.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { RecoveryCodes } from '../components/recovery-codes.tsx';
import { Section } from '../components/section.tsx';
import { MfaEnrolment } from '../mfa/enrolment.tsx';
import { useSignedIn } from '../session/require-session.tsx';

type Mode = 'idle' | 'enrol' | 'recovery-codes' | 'turn-off';

/** A current code from the app, to prove it is the person before changing their second factor. */
function CodeForm({ mode, onClose }: { mode: 'recovery-codes' | 'turn-off'; onClose: () => void }) {
  const { t } = useI18n();
  const regenerate = useRegenerateRecoveryCodes();
  const turnOff = useTurnOffMfa();
  const action = mode === 'turn-off' ? turnOff : regenerate;
  const [code, setCode] = useState('');

  if (regenerate.data) return <RecoveryCodes codes={regenerate.data.recoveryCodes} onSaved={onClose} />;

  const submit = (value: string) => {
    if (value.length !== 6 || action.isPending) return;
    const retype = () => setCode('');
    if (mode === 'turn-off') turnOff.mutate(value, { onSuccess: onClose, onError: retype });
    else regenerate.mutate(value, { onError: retype });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(code);
  };
  return (
    <Stack gap="md" component="form" onSubmit={onSubmit}>
      <Text size="sm">
        {mode === 'turn-off' ? t('identity.mfa.turnOffIntro') : t('identity.recovery.regenerateIntro')}
      </Text>
      <CodeInput
        value={code}
        onChange={setCode}
        onComplete={submit}
        error={fieldError(t, action.error, 'code')}
        autoFocus
      />
      <ProblemAlert error={action.error} fields={['code']} />
      <Group gap="sm">
        <Button type="submit" color={mode === 'turn-off' ? 'red' : undefined} loading={action.isPending}>
          {mode === 'turn-off' ? t('identity.mfa.turnOff') : t('identity.recovery.regenerate')}
        </Button>
        <Button variant="default" onClick={onClose}>
          {t('identity.action.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Two-step verification: whether it is on, and setting it up, replacing it, new recovery codes, off. */
export function MfaSection() {
  const { t } = useI18n();
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>('idle');
  const close = () => setMode('idle');
  // Staff always keep it; a customer user may drop it unless their organisation requires it.
  const mayTurnOff = me.kind === 'customer' && !me.mfa.required;

  return (
    <Section title={t('identity.mfa.title')} description={t('identity.mfa.sectionIntro')}>
      <Group gap="sm">
        <Badge color={me.mfa.enabled ? 'teal' : 'gray'} variant="light" data-testid="mfa-status">
          {me.mfa.enabled ? t('identity.mfa.on') : t('identity.mfa.off')}
        </Badge>
        {me.mfa.enabled && (
          <Text size="sm" c="dimmed">
            {t('identity.recovery.left', { count: me.mfa.recoveryCodesLeft })}
          </Text>
        )}
        {me.mfa.required && (
          <Text size="sm" c="dimmed">
            {t('identity.mfa.requiredNote')}
          </Text>
        )}
      </Group>
      {mode === 'enrol' && (
        <MfaEnrolment
          onCancel={close}
          onDone={() => {
            close();
            void queryClient.invalidateQueries({ queryKey: meKey });
          }}
        />
      )}
      {(mode === 'recovery-codes' || mode === 'turn-off') && (
        <CodeForm key={mode} mode={mode} onClose={close} />
      )}
      {mode === 'idle' && (
        <Group gap="sm">
          <Button variant={me.mfa.enabled ? 'default' : 'filled'} onClick={() => setMode('enrol')}>
            {me.mfa.enabled ? t('identity.mfa.replace') : t('identity.mfa.setUp')}
          </Button>
          {me.mfa.enabled && (
            <Button variant="default" onClick={() => setMode('recovery-codes')}>
              {t('identity.recovery.regenerate')}
            </Button>
          )}
          {me.mfa.enabled && mayTurnOff && (
            <Button variant="subtle" color="red" onClick={() => setMode('turn-off')}>
              {t('identity.mfa.turnOff')}
            </Button>
          )}
        </Group>
      )}
    </Section>
  );
}
