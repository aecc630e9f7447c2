import { Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '../../components/language-switcher.tsx';
import { SkipLink } from '../../components/skip-link.tsx';
import { ThemeToggle } from '../../components/theme-toggle.tsx';
import { useI18n } from '../../lib/i18n.tsx';

/** Pages before signing in (sign-in, second factor, mailed links): one narrow column, no navigation. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <SkipLink />
      <Group component="header" h={56} px="md" justify="space-between" wrap="nowrap">
        <Text fw={600} size="lg">
          {t('app.name')}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <LanguageSwitcher />
          <ThemeToggle />
        </Group>
      </Group>
      <Container component="main" id="main" tabIndex={-1} size={480} pt="xl" pb="xl">
        {children}
      </Container>
    </>
  );
}
