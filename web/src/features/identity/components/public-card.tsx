import { Alert, Button, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from '../../../app/router.tsx';
import { useI18n } from '../../../lib/i18n.tsx';

/** The frame of a page before signing in: a heading over one bordered card. */
export function PublicCard({
  title,
  above,
  children,
}: {
  title: string;
  above?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap="lg">
      {above}
      <Title order={1} size="h2">
        {title}
      </Title>
      <Paper withBorder radius="md" p="lg">
        {children}
      </Paper>
    </Stack>
  );
}

/** A mailed link's errand done (an invitation accepted, a password reset): what happened, then sign in. */
export function DoneCard({
  title,
  doneTitle,
  testId,
  children,
}: {
  title: string;
  doneTitle: string;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <PublicCard title={title}>
      <Stack gap="md">
        <Alert color="teal" title={doneTitle} data-testid={testId}>
          {children}
        </Alert>
        <Button component={Link} to="/sign-in" fullWidth>
          {t('shell.signIn')}
        </Button>
      </Stack>
    </PublicCard>
  );
}
