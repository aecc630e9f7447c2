import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, Suspense } from 'react';
import { NotFound } from '../components/not-found.tsx';
import { I18nProvider } from '../lib/i18n.tsx';
import { PortalLayout } from './layouts/portal-layout.tsx';
import { StaffLayout } from './layouts/staff-layout.tsx';
import { usePathname } from './router.tsx';
import { PortalHome } from './routes/portal/home.tsx';
import { StaffDashboard } from './routes/staff/dashboard.tsx';
import { theme } from './theme.ts';

const queryClient = new QueryClient();
const colorSchemeManager = localStorageColorSchemeManager({ key: 'partnerdesk.color-scheme' });

const PAGES = new Map<string, ComponentType>([
  ['/', StaffDashboard],
  ['/portal', PortalHome],
]);

function Routes() {
  const pathname = usePathname();
  // The staff console lives at / and under /staff/; /staff itself is its dashboard.
  const current = pathname === '/staff' ? '/' : pathname;
  const Page = PAGES.get(current) ?? NotFound;
  const Layout = current === '/portal' || current.startsWith('/portal/') ? PortalLayout : StaffLayout;
  return (
    <Layout current={current}>
      <Page />
    </Layout>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        {/* Nothing can be said before the first catalog arrives. */}
        <Suspense fallback={null}>
          <I18nProvider>
            <Routes />
          </I18nProvider>
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  );
}
