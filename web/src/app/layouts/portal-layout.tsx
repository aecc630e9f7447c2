import { Box, Button, Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '../../components/language-switcher.tsx';
import { SkipLink } from '../../components/skip-link.tsx';
import { ThemeToggle } from '../../components/theme-toggle.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { Link } from '../router.tsx';
import classes from './portal-layout.module.css';

// Items whose page is not built yet lead to the not-found page until it is.
const PORTAL_NAV = [
  { id: 'home', label: 'portal.nav.home', to: '/portal' },
  { id: 'tickets', label: 'portal.nav.tickets', to: '/portal/tickets' },
  { id: 'invoices', label: 'portal.nav.invoices', to: '/portal/invoices' },
  { id: 'subscriptions', label: 'portal.nav.subscriptions', to: '/portal/subscriptions' },
  { id: 'knowledge', label: 'portal.nav.knowledge', to: '/portal/knowledge' },
  { id: 'account', label: 'portal.nav.account', to: '/portal/account' },
] as const;

/** The customer portal: one light header with the navigation across it, the page below. */
export function PortalLayout({ current, children }: { current: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <SkipLink />
      <Box component="header" className={classes.header}>
        <Container size="lg">
          <Group h={56} justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Text fw={600} size="lg">
                {t('app.name')}
              </Text>
              <Text c="dimmed" size="sm" visibleFrom="xs">
                {t('shell.customerPortal')}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitcher />
              <ThemeToggle />
            </Group>
          </Group>
          <Group
            component="nav"
            aria-label={t('shell.customerPortal')}
            data-testid="portal-nav"
            gap={4}
            pb="xs"
          >
            {PORTAL_NAV.map((item) => (
              <Button
                key={item.id}
                component={Link}
                to={item.to}
                variant={item.to === current ? 'light' : 'subtle'}
                color={item.to === current ? undefined : 'gray'}
                size="compact-md"
                aria-current={item.to === current ? 'page' : undefined}
                data-testid={`portal-nav-${item.id}`}
              >
                {t(item.label)}
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
