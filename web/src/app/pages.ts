import { type ComponentType, lazy, useMemo } from 'react';
import { holdsAny } from '../features/identity/index.ts';
import type { Me } from '../features/identity/types.ts';
import { usePathname } from './router.tsx';
import { PortalHome } from './routes/portal/home.tsx';
import { StaffDashboard } from './routes/staff/dashboard.tsx';

/** A page whose code loads when it is first shown, so the first screen does not wait for every page. */
function onDemand<Module>(
  load: () => Promise<Module>,
  pick: (module: Module) => ComponentType,
): ComponentType {
  return lazy(() => load().then((module) => ({ default: pick(module) })));
}

const identity = () => import('../features/identity/pages.ts');
const ProfilePage = onDemand(identity, (pages) => pages.ProfilePage);
const customers = () => import('../features/customers/index.ts');
const subscriptions = () => import('../features/subscriptions/index.ts');
const vendorBills = () => import('../features/vendor-bills/index.ts');
// One component for the page and its tabs, so changing tabs keeps the page mounted.
const VendorBillsPage = onDemand(vendorBills, (feature) => feature.VendorBillsPage);

/** Who a page is for: staff (the console), customer users (the portal), or anyone (signing in). */
export type Area = 'staff' | 'portal' | 'public';

export interface PageRoute {
  /** The path without a trailing slash; a `:name` segment stands for any one segment (see usePageParams). */
  path: string;
  area: Area;
  /** Missing: not built yet, so the path (and its navigation item) shows "not found". */
  page?: ComponentType;
  /** Listed in its area's navigation, in the order of this table. */
  nav?: { id: string; label: string };
  /** Any one of these permissions opens the page and shows its navigation item. */
  needs?: readonly string[];
  /** Only partners of these kinds have the page (resellers' requests reach providers only). */
  partnerKinds?: readonly Me['partner']['kind'][];
}

/**
 * Every page of the app, one line each. To add a page, give its entry a `page`, or add an entry: `nav`
 * lists it in its area's navigation, `needs` keeps it (and its navigation item) to holders of a permission.
 */
export const PAGES: readonly PageRoute[] = [
  // The staff console, at / and under /staff/.
  { path: '/', area: 'staff', page: StaffDashboard, nav: { id: 'dashboard', label: 'nav.dashboard' } },
  {
    path: '/staff/customers',
    area: 'staff',
    page: onDemand(customers, (feature) => feature.CustomersPage),
    nav: { id: 'customers', label: 'nav.customers' },
    needs: ['customers.read'],
  },
  {
    path: '/staff/customers/:customerId',
    area: 'staff',
    page: onDemand(customers, (feature) => feature.CustomerPage),
    needs: ['customers.read'],
  },
  { path: '/staff/subscriptions', area: 'staff', nav: { id: 'subscriptions', label: 'nav.subscriptions' } },
  {
    path: '/staff/reseller-requests',
    area: 'staff',
    page: onDemand(subscriptions, (feature) => feature.ResellerRequestsPage),
    nav: { id: 'reseller-requests', label: 'nav.resellerRequests' },
    needs: ['subscriptions.suspend'],
    partnerKinds: ['indirect_provider'],
  },
  { path: '/staff/tickets', area: 'staff', nav: { id: 'tickets', label: 'nav.tickets' } },
  { path: '/staff/escalations', area: 'staff', nav: { id: 'escalations', label: 'nav.escalations' } },
  {
    path: '/staff/vendor-bills',
    area: 'staff',
    page: VendorBillsPage,
    nav: { id: 'vendor-bills', label: 'nav.vendorBills' },
    needs: ['costs.manage'],
  },
  {
    path: '/staff/vendor-bills/:tab',
    area: 'staff',
    page: VendorBillsPage,
    needs: ['costs.manage'],
  },
  {
    path: '/staff/vendor-bills/imports/:importId',
    area: 'staff',
    page: onDemand(vendorBills, (feature) => feature.ImportPage),
    needs: ['costs.manage'],
  },
  {
    path: '/staff/vendor-bills/invoices/:invoiceNumber',
    area: 'staff',
    page: onDemand(vendorBills, (feature) => feature.InvoiceLinesPage),
    needs: ['costs.manage'],
  },
  { path: '/staff/invoices', area: 'staff', nav: { id: 'invoices', label: 'nav.invoices' } },
  { path: '/staff/payments', area: 'staff', nav: { id: 'payments', label: 'nav.payments' } },
  { path: '/staff/collections', area: 'staff', nav: { id: 'collections', label: 'nav.collections' } },
  { path: '/staff/support-plans', area: 'staff', nav: { id: 'support-plans', label: 'nav.supportPlans' } },
  { path: '/staff/knowledge', area: 'staff', nav: { id: 'knowledge', label: 'nav.knowledge' } },
  {
    path: '/staff/users',
    area: 'staff',
    page: onDemand(identity, (pages) => pages.StaffUsersPage),
    nav: { id: 'users', label: 'nav.users' },
    needs: ['partner_users.manage'],
  },
  {
    path: '/staff/audit',
    area: 'staff',
    page: onDemand(
      () => import('../features/audit/index.ts'),
      (feature) => feature.AuditLogPage,
    ),
    nav: { id: 'audit', label: 'nav.audit' },
    needs: ['audit.read', 'audit.read_users', 'audit.read_money'],
  },
  {
    path: '/staff/settings',
    area: 'staff',
    page: onDemand(
      () => import('../features/partners/index.ts'),
      (feature) => feature.PartnerSettingsPage,
    ),
    nav: { id: 'settings', label: 'nav.settings' },
    needs: ['partner.manage'],
  },
  { path: '/staff/profile', area: 'staff', page: ProfilePage },

  // The customer portal, under /portal.
  { path: '/portal', area: 'portal', page: PortalHome, nav: { id: 'home', label: 'portal.nav.home' } },
  { path: '/portal/tickets', area: 'portal', nav: { id: 'tickets', label: 'portal.nav.tickets' } },
  { path: '/portal/invoices', area: 'portal', nav: { id: 'invoices', label: 'portal.nav.invoices' } },
  {
    path: '/portal/subscriptions',
    area: 'portal',
    page: onDemand(subscriptions, (feature) => feature.PortalSubscriptionsPage),
    nav: { id: 'subscriptions', label: 'portal.nav.subscriptions' },
    needs: ['portal.subscriptions.read'],
  },
  { path: '/portal/knowledge', area: 'portal', nav: { id: 'knowledge', label: 'portal.nav.knowledge' } },
  {
    path: '/portal/users',
    area: 'portal',
    page: onDemand(identity, (pages) => pages.CustomerUsersPage),
    nav: { id: 'users', label: 'identity.nav.portalUsers' },
    needs: ['portal.customer_users.manage'],
  },
  {
    path: '/portal/account',
    area: 'portal',
    page: ProfilePage,
    nav: { id: 'account', label: 'portal.nav.account' },
  },

  // Signing in, and the links mailed to people.
  { path: '/sign-in', area: 'public', page: onDemand(identity, (pages) => pages.SignInPage) },
  { path: '/sign-in/mfa', area: 'public', page: onDemand(identity, (pages) => pages.MfaPage) },
  { path: '/sign-in/enrol', area: 'public', page: onDemand(identity, (pages) => pages.EnrolPage) },
  { path: '/reset-password', area: 'public', page: onDemand(identity, (pages) => pages.ResetPasswordPage) },
  {
    path: '/accept-invitation',
    area: 'public',
    page: onDemand(identity, (pages) => pages.AcceptInvitationPage),
  },
];

const isPattern = (page: PageRoute) => page.path.includes('/:');
const byPath = new Map(PAGES.filter((page) => !isPattern(page)).map((page) => [page.path, page]));
const patterns = PAGES.filter(isPattern);

/** The values of `pattern`'s `:name` segments in `path`, or undefined when the path does not fit it. */
function paramsOf(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/');
  const given = path.split('/');
  if (wanted.length !== given.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const value = given[index]!;
    if (!segment.startsWith(':')) {
      if (segment !== value) return undefined;
      continue;
    }
    if (value === '') return undefined;
    try {
      params[segment.slice(1)] = decodeURIComponent(value);
    } catch {
      // A malformed escape names no record: the path is simply not found.
      return undefined;
    }
  }
  return params;
}

/** The path as the page table spells it: /staff is the console's dashboard. */
const tablePath = (pathname: string) => (pathname === '/staff' ? '/' : pathname);

/** The page at a path; an unknown path belongs to the area it is under. */
export function pageAt(pathname: string): PageRoute {
  const path = tablePath(pathname);
  const area: Area = path === '/portal' || path.startsWith('/portal/') ? 'portal' : 'staff';
  return (
    byPath.get(path) ?? patterns.find((page) => paramsOf(page.path, path) !== undefined) ?? { path, area }
  );
}

/** The `:name` segments of the current page's path, e.g. `{ customerId }` on /staff/customers/<id>. */
export function usePageParams(): Readonly<Record<string, string>> {
  const pathname = usePathname();
  return useMemo(() => {
    const path = tablePath(pathname);
    return paramsOf(pageAt(path).path, path) ?? {};
  }, [pathname]);
}

type NavPage = PageRoute & { nav: NonNullable<PageRoute['nav']> };

/** The navigation of an area, in table order. */
export function navOf(area: Area): NavPage[] {
  return PAGES.filter((page): page is NavPage => page.area === area && page.nav !== undefined);
}

/** Whether a signed-in person may open a page: one of its permissions, in a partner of its kinds. */
export function opensFor(me: Me, route: Pick<PageRoute, 'needs' | 'partnerKinds'>): boolean {
  return holdsAny(me, route.needs) && (route.partnerKinds?.includes(me.partner.kind) ?? true);
}
