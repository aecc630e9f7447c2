import { Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { navigate, useSearchParams } from '../../../app/router.tsx';
import { useI18n } from '../../../lib/i18n.tsx';
import { refreshMe } from '../api/me.ts';
import { PublicCard } from '../components/public-card.tsx';
import { MfaEnrolment } from '../mfa/enrolment.tsx';
import { useArrivalAtStep } from '../session/arrival.ts';
import { safeNext } from '../session/steps.ts';

/** `/sign-in/enrol`: first sign-in of someone who must use two-step verification and has none yet. */
export function EnrolPage() {
  const { t } = useI18n();
  const next = safeNext(useSearchParams().get('next'));
  const ready = useArrivalAtStep('mfa-enrolment', next);
  const queryClient = useQueryClient();
  if (!ready) return null;
  return (
    <PublicCard title={t('identity.enrol.title')}>
      <Stack gap="md">
        <Text>{t('identity.enrol.why')}</Text>
        <MfaEnrolment
          onDone={async () => {
            await refreshMe(queryClient);
            navigate(next, { replace: true });
          }}
        />
      </Stack>
    </PublicCard>
  );
}
