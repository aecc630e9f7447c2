import {
  Center,
  Loader,
  localStorageColorSchemeManager,
  MantineProvider,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, Suspense } from 'react';
import { NotFound } from '../components/not-found.tsx';
import { LanguageSync, onSessionLost, RequireSession, useSignedIn } from '../features/identity/index.ts';
import { isProblem } from '../lib/api.ts';
import { I18nProvider, useI18n } from '../lib/i18n.tsx';
import { PortalLayout } from './layouts/portal-layout.tsx';
import { PublicLayout } from './layouts/public-layout.tsx';
import { StaffLayout } from './layouts/staff-layout.tsx';
import { PageErrorBoundary } from './page-error-boundary.tsx';
import { opensFor, type PageRoute, pageAt } from './pages.ts';
import { usePathname } from './router.tsx';
import { theme } from './theme.ts';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error) => onSessionLost(queryClient, error) }),
  mutationCache: new MutationCache({ onError: (error) => onSessionLost(queryClient, error) }),
  defaultOptions: {
    // Asking again changes nothing when the request itself was refused.
    queries: { retry: (failures, error) => failures < 2 && !(isProblem(error) && error.status < 500) },
  },
});
const colorSchemeManager = localStorageColorSchemeManager({ key: 'partnerdesk.color-scheme' });

function Forbidden() {
  const { t } = useI18n();
  return (
    <Stack gap="sm" maw={720} data-testid="forbidden">
      <Title order={1}>{t('identity.forbidden.title')}</Title>
      <Text>{t('identity.forbidden.body')}</Text>
    </Stack>
  );
}

/** Where a page goes: while its code loads, a spinner; if it throws, an error in its place only. */
function PageSlot({ path, children }: { path: string; children: ReactNode }) {
  const { t } = useI18n();
  const loading = (
    <Center py="xl">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
  return (
    <PageErrorBoundary page={path}>
      <Suspense fallback={loading}>{children}</Suspense>
    </PageErrorBoundary>
  );
}

/** A signed-in page, or what stands in for it: not built yet, or not for this person. */
function SignedInPage({ route }: { route: PageRoute }) {
  const me = useSignedIn();
  const Page = route.page;
  if (!Page) return <NotFound />;
  if (!opensFor(me, route)) return <Forbidden />;
  return <Page />;
}

function Routes() {
  const route = pageAt(usePathname());
  if (route.area === 'public') {
    const Page = route.page ?? NotFound;
    return (
      <PublicLayout>
        <PageSlot path={route.path}>
          <Page />
        </PageSlot>
      </PublicLayout>
    );
  }
  const Layout = route.area === 'portal' ? PortalLayout : StaffLayout;
  return (
    <RequireSession kind={route.area === 'portal' ? 'customer' : 'staff'}>
      <Layout current={route.path}>
        <PageSlot path={route.path}>
          <SignedInPage route={route} />
        </PageSlot>
      </Layout>
    </RequireSession>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        {/* Nothing can be said before the first catalog arrives. */}
        <Suspense fallback={null}>
          <I18nProvider>
            <LanguageSync />
            <Routes />
          </I18nProvider>
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  );
}
