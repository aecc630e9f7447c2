import { Anchor, Button, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { navigate, useSearchParams } from '../../../app/router.tsx';
import { useI18n } from '../../../lib/i18n.tsx';
import { useSignOut, useVerifyMfa } from '../api/auth.ts';
import { refreshMe } from '../api/me.ts';
import { CodeInput } from '../components/code-input.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { PublicCard } from '../components/public-card.tsx';
import { useArrivalAtStep } from '../session/arrival.ts';
import { safeNext } from '../session/steps.ts';

/** `/sign-in/mfa`: the second factor, from the authenticator app or one recovery code. */
export function MfaPage() {
  const { t } = useI18n();
  const next = safeNext(useSearchParams().get('next'));
  const ready = useArrivalAtStep('mfa', next);
  const verify = useVerifyMfa();
  const signOut = useSignOut();
  const queryClient = useQueryClient();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');

  if (!ready) return null;

  const send = (proof: { code: string } | { recoveryCode: string }) => {
    if (verify.isPending) return;
    verify.mutate(proof, {
      onSuccess: async () => {
        await refreshMe(queryClient);
        navigate(next, { replace: true });
      },
      // A refused code is typed afresh, not edited.
      onError: () => setCode(''),
    });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(useRecovery ? { recoveryCode: recoveryCode.trim() } : { code });
  };
  return (
    <PublicCard title={t('identity.mfa.title')}>
      <Stack gap="md" component="form" onSubmit={onSubmit}>
        <Text>{useRecovery ? t('identity.mfa.recoveryIntro') : t('identity.mfa.intro')}</Text>
        {useRecovery ? (
          <TextInput
            label={t('identity.mfa.recoveryCode')}
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus
            value={recoveryCode}
            onChange={(event) => setRecoveryCode(event.currentTarget.value)}
            error={fieldError(t, verify.error, 'recoveryCode')}
            data-testid="recovery-code"
          />
        ) : (
          <CodeInput
            value={code}
            onChange={setCode}
            onComplete={(value) => send({ code: value })}
            error={fieldError(t, verify.error, 'code')}
            autoFocus
          />
        )}
        <Switch
          label={t('identity.mfa.useRecovery')}
          checked={useRecovery}
          onChange={(event) => {
            setUseRecovery(event.currentTarget.checked);
            verify.reset();
          }}
          data-testid="use-recovery"
        />
        <ProblemAlert error={verify.error} fields={['code', 'recoveryCode']} />
        <Button type="submit" fullWidth loading={verify.isPending} data-testid="mfa-submit">
          {t('identity.mfa.verify')}
        </Button>
        <Group justify="center">
          <Anchor component="button" type="button" size="sm" onClick={() => signOut.mutate(false)}>
            {t('identity.mfa.otherAccount')}
          </Anchor>
        </Group>
      </Stack>
    </PublicCard>
  );
}
