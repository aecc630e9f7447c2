import { type ComponentType, lazy } from 'react';
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

/** Who a page is for: staff (the console), customer users (the portal), or anyone (signing in). */
export type Area = 'staff' | 'portal' | 'public';

export interface PageRoute {
  /** The exact path, without a trailing slash. */
  path: string;
  area: Area;
  /** Missing: not built yet, so the path (and its navigation item) shows "not found". */
  page?: ComponentType;
  /** Listed in its area's navigation, in the order of this table. */
  nav?: { id: string; label: string };
  /** Any one of these permissions opens the page and shows its navigation item. */
  needs?: readonly string[];
}

/**
 * Every page of the app, one line each. To add a page, give its entry a `page`, or add an entry: `nav`
 * lists it in its area's navigation, `needs` keeps it (and its navigation item) to holders of a permission.
 */
export const PAGES: readonly PageRoute[] = [
  // The staff console, at / and under /staff/.
  { path: '/', area: 'staff', page: StaffDashboard, nav: { id: 'dashboard', label: 'nav.dashboard' } },
  { path: '/staff/customers', area: 'staff', nav: { id: 'customers', label: 'nav.customers' } },
  { path: '/staff/subscriptions', area: 'staff', nav: { id: 'subscriptions', label: 'nav.subscriptions' } },
  { path: '/staff/tickets', area: 'staff', nav: { id: 'tickets', label: 'nav.tickets' } },
  { path: '/staff/escalations', area: 'staff', nav: { id: 'escalations', label: 'nav.escalations' } },
  { path: '/staff/vendor-bills', area: 'staff', nav: { id: 'vendor-bills', label: 'nav.vendorBills' } },
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
    nav: { id: 'subscriptions', label: 'portal.nav.subscriptions' },
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

const byPath = new Map(PAGES.map((page) => [page.path, page]));

/** The page at a path; /staff is the console's dashboard, and an unknown path belongs to the area it is under. */
export function pageAt(pathname: string): PageRoute {
  const path = pathname === '/staff' ? '/' : pathname;
  const area: Area = path === '/portal' || path.startsWith('/portal/') ? 'portal' : 'staff';
  return byPath.get(path) ?? { path, area };
}

type NavPage = PageRoute & { nav: NonNullable<PageRoute['nav']> };

/** The navigation of an area, in table order. */
export function navOf(area: Area): NavPage[] {
  return PAGES.filter((page): page is NavPage => page.area === area && page.nav !== undefined);
}
