import { Alert, Anchor, Button, Divider, Group, Image, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, navigate, useSearchParams } from '../../../app/router.tsx';
import { useI18n } from '../../../lib/i18n.tsx';
import { useOrganisationSignIn, usePartnerBranding, useSignIn } from '../api/auth.ts';
import { refreshMe } from '../api/me.ts';
import { AccountEmailInput, CurrentPasswordInput } from '../components/credential-inputs.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { PublicCard } from '../components/public-card.tsx';
import { safeNext, stepPath } from '../session/steps.ts';
import type { PartnerBranding } from '../types.ts';

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
/** What the organisation sign-in's callback can send back in `?error=`. */
const OIDC_ERRORS = ['oidc-state-invalid', 'oidc-issuer-mismatch', 'oidc-no-account', 'oidc-failed'] as const;

function BrandHeader({ branding }: { branding: PartnerBranding }) {
  return (
    <Group gap="sm" wrap="nowrap" data-testid="partner-branding">
      {branding.logoUrl && <Image src={branding.logoUrl} alt="" h={40} w="auto" fit="contain" />}
      <Text fw={600} size="lg" c={HEX_COLOR.test(branding.brandColor) ? branding.brandColor : undefined}>
        {branding.displayName}
      </Text>
    </Group>
  );
}

/** `/sign-in[?partner=<slug>][&next=<path>]`: e-mail and password, or the partner's own provider. */
export function SignInPage() {
  const { t } = useI18n();
  const params = useSearchParams();
  const partner = params.get('partner') ?? '';
  const next = safeNext(params.get('next'));
  const branding = usePartnerBranding(partner);
  const organisationSignIn = useOrganisationSignIn(partner).data?.available === true;
  const returnedError = OIDC_ERRORS.find((code) => code === params.get('error'));
  const signIn = useSignIn();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { email, password },
      {
        onSuccess: async ({ step }) => {
          // The next page must see the new session, not the cached absence of one.
          if (step === 'done') await refreshMe(queryClient);
          navigate(stepPath(step, next));
        },
      },
    );
  };

  const brand = branding.data;
  const brandColor = brand && HEX_COLOR.test(brand.brandColor) ? brand.brandColor : undefined;
  return (
    <PublicCard
      title={
        brand ? t('identity.signIn.titleAt', { partner: brand.displayName }) : t('identity.signIn.title')
      }
      above={brand && <BrandHeader branding={brand} />}
    >
      <Stack gap="md">
        <Stack gap="md" component="form" onSubmit={onSubmit}>
          <AccountEmailInput
            value={email}
            onChange={setEmail}
            error={fieldError(t, signIn.error, 'email')}
            testId="sign-in-email"
          />
          <Stack gap={4}>
            <CurrentPasswordInput
              label={t('identity.field.password')}
              value={password}
              onChange={setPassword}
              error={fieldError(t, signIn.error, 'password')}
              testId="sign-in-password"
            />
            <Anchor component={Link} to="/reset-password" size="sm" ta="end">
              {t('identity.signIn.forgot')}
            </Anchor>
          </Stack>
          {returnedError && !signIn.error && (
            <Alert color="red" data-testid="oidc-error">
              {t(`identity.oidcError.${returnedError}`)}
            </Alert>
          )}
          <ProblemAlert error={signIn.error} fields={['email', 'password']} />
          <Button
            type="submit"
            fullWidth
            color={brandColor}
            loading={signIn.isPending}
            data-testid="sign-in-submit"
          >
            {t('shell.signIn')}
          </Button>
        </Stack>
        {organisationSignIn && (
          <>
            <Divider label={t('identity.signIn.or')} labelPosition="center" />
            <Button
              component="a"
              href={`/api/v1/auth/oidc/start${partner ? `?partner=${encodeURIComponent(partner)}` : ''}`}
              variant="default"
              fullWidth
              data-testid="sign-in-oidc"
            >
              {t('identity.signIn.organisation')}
            </Button>
          </>
        )}
      </Stack>
    </PublicCard>
  );
}
