import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '../../components/language-switcher.tsx';
import { SkipLink } from '../../components/skip-link.tsx';
import { ThemeToggle } from '../../components/theme-toggle.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { Link } from '../router.tsx';

// Items whose page is not built yet lead to the not-found page until it is.
const STAFF_NAV = [
  { id: 'dashboard', label: 'nav.dashboard', to: '/' },
  { id: 'customers', label: 'nav.customers', to: '/staff/customers' },
  { id: 'subscriptions', label: 'nav.subscriptions', to: '/staff/subscriptions' },
  { id: 'tickets', label: 'nav.tickets', to: '/staff/tickets' },
  { id: 'escalations', label: 'nav.escalations', to: '/staff/escalations' },
  { id: 'vendor-bills', label: 'nav.vendorBills', to: '/staff/vendor-bills' },
  { id: 'invoices', label: 'nav.invoices', to: '/staff/invoices' },
  { id: 'payments', label: 'nav.payments', to: '/staff/payments' },
  { id: 'collections', label: 'nav.collections', to: '/staff/collections' },
  { id: 'support-plans', label: 'nav.supportPlans', to: '/staff/support-plans' },
  { id: 'knowledge', label: 'nav.knowledge', to: '/staff/knowledge' },
  { id: 'users', label: 'nav.users', to: '/staff/users' },
  { id: 'audit', label: 'nav.audit', to: '/staff/audit' },
  { id: 'settings', label: 'nav.settings', to: '/staff/settings' },
] as const;

/** The staff console: header with the product and the controls, the navigation down the side. */
export function StaffLayout({ current, children }: { current: string; children: ReactNode }) {
  const { t } = useI18n();
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
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
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
              <Text fw={600} size="lg">
                {t('app.name')}
              </Text>
              <Text c="dimmed" size="sm" visibleFrom="xs">
                {t('shell.staffConsole')}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitcher />
              <ThemeToggle />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar id="staff-nav" aria-label={t('shell.staffConsole')} data-testid="staff-nav">
          <AppShell.Section grow component={ScrollArea} p="xs">
            {STAFF_NAV.map((item) => (
              <NavLink
                key={item.id}
                component={Link}
                to={item.to}
                label={t(item.label)}
                active={item.to === current}
                aria-current={item.to === current ? 'page' : undefined}
                data-testid={`nav-${item.id}`}
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
