import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from '../../../app/router.tsx';
import { isProblem } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n.tsx';
import { useCompletePasswordReset, useRequestPasswordReset } from '../api/auth.ts';
import { AccountEmailInput } from '../components/credential-inputs.tsx';
import { NewPasswordFields, useNewPassword } from '../components/new-password.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { DoneCard, PublicCard } from '../components/public-card.tsx';

function SignInLink() {
  const { t } = useI18n();
  return (
    <Anchor component={Link} to="/sign-in" size="sm">
      {t('identity.reset.backToSignIn')}
    </Anchor>
  );
}

/** Asks for a mailed link; the answer is the same whether or not the address has an account. */
function RequestReset() {
  const { t } = useI18n();
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email);
  };
  return (
    <PublicCard title={t('identity.reset.title')}>
      {request.isSuccess ? (
        <Stack gap="md">
          <Alert color="teal" title={t('identity.reset.sentTitle')} data-testid="reset-sent">
            {t('identity.reset.sent', { email })}
          </Alert>
          <SignInLink />
        </Stack>
      ) : (
        <Stack gap="md" component="form" onSubmit={onSubmit}>
          <Text>{t('identity.reset.intro')}</Text>
          <AccountEmailInput
            value={email}
            onChange={setEmail}
            error={fieldError(t, request.error, 'email')}
          />
          <ProblemAlert error={request.error} fields={['email']} />
          <Button type="submit" fullWidth loading={request.isPending}>
            {t('identity.reset.send')}
          </Button>
          <SignInLink />
        </Stack>
      )}
    </PublicCard>
  );
}

/** The mailed link: choose the new password. */
function CompleteReset({ token }: { token: string }) {
  const { t } = useI18n();
  const complete = useCompletePasswordReset();
  const newPassword = useNewPassword();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (newPassword.confirm()) complete.mutate({ token, password: newPassword.password });
  };
  if (complete.isSuccess) {
    return (
      <DoneCard
        title={t('identity.reset.newTitle')}
        doneTitle={t('identity.reset.doneTitle')}
        testId="reset-done"
      >
        {t('identity.reset.done')}
      </DoneCard>
    );
  }
  return (
    <PublicCard title={t('identity.reset.newTitle')}>
      <Stack gap="md" component="form" onSubmit={onSubmit}>
        <NewPasswordFields state={newPassword} error={fieldError(t, complete.error, 'password')} />
        <ProblemAlert error={complete.error} fields={['password']} />
        {isProblem(complete.error, 'invalid-token') && (
          <Anchor component={Link} to="/reset-password" size="sm">
            {t('identity.reset.again')}
          </Anchor>
        )}
        <Button type="submit" fullWidth loading={complete.isPending}>
          {t('identity.reset.save')}
        </Button>
      </Stack>
    </PublicCard>
  );
}

/** `/reset-password`: the request form; `/reset-password?token=…` (the mailed link): the new password. */
export function ResetPasswordPage() {
  const token = useSearchParams().get('token') ?? '';
  return token ? <CompleteReset token={token} /> : <RequestReset />;
}
