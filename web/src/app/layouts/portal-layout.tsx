import { Box, Button, Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '../../components/language-switcher.tsx';
import { SkipLink } from '../../components/skip-link.tsx';
import { ThemeToggle } from '../../components/theme-toggle.tsx';
import { useSignedIn } from '../../features/identity/index.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { navOf, opensFor } from '../pages.ts';
import { Link } from '../router.tsx';
import classes from './portal-layout.module.css';
import { UserMenuSlot } from './user-menu-slot.tsx';

const PORTAL_NAV = navOf('portal');

/** The customer portal: one light header with the navigation across it, the page below. */
export function PortalLayout({ current, children }: { current: string; children: ReactNode }) {
  const { t } = useI18n();
  const me = useSignedIn();
  return (
    <>
      <SkipLink />
      <Box component="header" className={classes.header}>
        <Container size="lg">
          <Group h={56} justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" miw={0}>
              <Text fw={600} size="lg">
                {t('app.name')}
              </Text>
              <Text c="dimmed" size="sm" visibleFrom="md" truncate>
                {me.customer?.name ?? t('shell.customerPortal')}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitcher />
              <ThemeToggle />
              <UserMenuSlot profilePath="/portal/account" />
            </Group>
          </Group>
          <Group
            component="nav"
            aria-label={t('shell.customerPortal')}
            data-testid="portal-nav"
            gap={4}
            pb="xs"
          >
            {PORTAL_NAV.filter((item) => opensFor(me, item)).map((item) => (
              <Button
                key={item.nav.id}
                component={Link}
                to={item.path}
                variant={item.path === current ? 'light' : 'subtle'}
                color={item.path === current ? undefined : 'gray'}
                size="compact-md"
                aria-current={item.path === current ? 'page' : undefined}
                data-testid={`portal-nav-${item.nav.id}`}
              >
                {t(item.nav.label)}
              </Button>
            ))}
          </Group>
        </Container>
      </Box>
      <Container component="main" id="main" tabIndex={-1} size="lg" py="xl">
        {children}
      </Container>
    </>
  );
}
