import { Stack, Title } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';
import { ApiTokensSection } from './api-tokens-section.tsx';
import { DetailsSection } from './details-section.tsx';
import { MfaSection } from './mfa-section.tsx';
import { PasswordSection } from './password-section.tsx';

/** `/staff/profile` and `/portal/account`: the signed-in person's own settings. */
export function ProfilePage() {
  const { t } = useI18n();
  return (
    <Stack gap="lg" maw={880}>
      <Title order={1}>{t('identity.profile.title')}</Title>
      <DetailsSection />
      <PasswordSection />
      <MfaSection />
      <ApiTokensSection />
    </Stack>
  );
}
