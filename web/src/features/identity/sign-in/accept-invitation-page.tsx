import { Alert, Button, Loader, Stack, Text, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { useSearchParams } from '../../../app/router.tsx';
import { useI18n } from '../../../lib/i18n.tsx';
import { useAcceptInvitation, useInvitation } from '../api/auth.ts';
import { NewPasswordFields, useNewPassword } from '../components/new-password.tsx';
import { fieldError, ProblemAlert, problemText } from '../components/problem.tsx';
import { DoneCard, PublicCard } from '../components/public-card.tsx';

/** `/accept-invitation?token=…` (the mailed link): see who invited whom, choose a password. */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const token = useSearchParams().get('token') ?? '';
  const invitation = useInvitation(token);
  const accept = useAcceptInvitation();
  const newPassword = useNewPassword();

  const title = t('identity.invitation.title');
  if (!token || invitation.isError) {
    return (
      <PublicCard title={title}>
        <Alert
          color="red"
          role="alert"
          title={invitation.error ? problemText(t, invitation.error) : t('identity.problem.invalid-token')}
          data-testid="invitation-invalid"
        >
          {t('identity.invitation.invalid')}
        </Alert>
      </PublicCard>
    );
  }
  if (invitation.isPending) return <Loader aria-label={t('common.loading')} />;
  if (accept.isSuccess) {
    return (
      <DoneCard title={title} doneTitle={t('identity.invitation.acceptedTitle')} testId="invitation-accepted">
        {invitation.data.kind === 'staff'
          ? t('identity.invitation.acceptedStaff')
          : t('identity.invitation.accepted')}
      </DoneCard>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (newPassword.confirm()) accept.mutate({ token, password: newPassword.password });
  };
  const { email, name, organisationName } = invitation.data;
  return (
    <PublicCard title={title}>
      <Stack gap="md" component="form" onSubmit={onSubmit}>
        <Text>{t('identity.invitation.intro', { name, organisation: organisationName })}</Text>
        {/* For password managers: the account the new password belongs to. */}
        <TextInput label={t('identity.field.email')} value={email} readOnly autoComplete="username" />
        <NewPasswordFields
          state={newPassword}
          label={t('identity.password.choose')}
          error={fieldError(t, accept.error, 'password')}
        />
        <ProblemAlert error={accept.error} fields={['password']} />
        <Button type="submit" fullWidth loading={accept.isPending} data-testid="invitation-accept">
          {t('identity.invitation.accept')}
        </Button>
      </Stack>
    </PublicCard>
  );
}
