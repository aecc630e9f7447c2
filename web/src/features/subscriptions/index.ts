// The subscriptions feature's public face: the customer page shows SubscriptionsSection and filters by
// service family; the app's page table wires ResellerRequestsPage at /staff/reseller-requests and
// PortalSubscriptionsPage at /portal/subscriptions.
export { SERVICE_FAMILIES, type ServiceFamily } from './api.ts';
export { PortalSubscriptionsPage } from './portal-subscriptions-page.tsx';
export { ResellerRequestsPage } from './reseller-requests-page.tsx';
export { SubscriptionsSection } from './subscriptions-section.tsx';
