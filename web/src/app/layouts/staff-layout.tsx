import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '../../components/language-switcher.tsx';
import { SkipLink } from '../../components/skip-link.tsx';
import { ThemeToggle } from '../../components/theme-toggle.tsx';
import { useSignedIn } from '../../features/identity/index.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { navOf, opensFor } from '../pages.ts';
import { Link } from '../router.tsx';
import { UserMenuSlot } from './user-menu-slot.tsx';

const STAFF_NAV = navOf('staff');

/** The staff console: header with the product and the controls, the navigation down the side. */
export function StaffLayout({ current, children }: { current: string; children: ReactNode }) {
  const { t } = useI18n();
  const me = useSignedIn();
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  return (
    <>
      <SkipLink />
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
        padding="lg"
      >
        <AppShell.Header>
          <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navOpened}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('shell.staffConsole')}
                aria-controls="staff-nav"
                aria-expanded={navOpened}
              />
              {/* A size smaller on phones, where the header also holds the burger and the person's menu. */}
              <Text fw={600} fz={{ base: 'md', sm: 'lg' }}>
                {t('app.name')}
              </Text>
              <Text c="dimmed" size="sm" visibleFrom="md">
                {t('shell.staffConsole')}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitcher />
              <ThemeToggle />
              <UserMenuSlot profilePath="/staff/profile" />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar id="staff-nav" aria-label={t('shell.staffConsole')} data-testid="staff-nav">
          <AppShell.Section grow component={ScrollArea} p="xs">
            {STAFF_NAV.filter((item) => opensFor(me, item)).map((item) => (
              <NavLink
                key={item.nav.id}
                component={Link}
                to={item.path}
                label={t(item.nav.label)}
                // A page below a navigation item (a customer under Customers) keeps its item lit.
                active={item.path === current || (item.path !== '/' && current.startsWith(`${item.path}/`))}
                aria-current={item.path === current ? 'page' : undefined}
                data-testid={`nav-${item.nav.id}`}
                onClick={closeNav}
              />
            ))}
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1}>
          {children}
        </AppShell.Main>
      </AppShell>
    </>
  );
}
