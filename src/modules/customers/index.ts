import type { AppModule } from '#platform/app';
import { seedDemoCustomers } from './demo.ts';
import { customerPortalRoutes } from './portal-routes.ts';
import { customerRoutes } from './routes.ts';

export {
  type ContactInput,
  contactRoles,
  createContact,
  deleteContact,
  listContacts,
  type NewContactInput,
  updateContact,
} from './contacts.ts';
export {
  type CustomerInput,
  type CustomerList,
  type CustomerListQuery,
  type CustomerStatus,
  cloudInstances,
  createCustomer,
  customerMfaPolicy,
  customerSources,
  customerStatuses,
  getCustomer,
  getCustomerForCaller,
  getOwnCustomer,
  listCustomers,
  type MfaPolicy,
  mfaPolicies,
  type NewCustomerInput,
  setCustomerMfaRequired,
  updateCustomer,
} from './customers.ts';
export { demoCustomers } from './demo.ts';
export { type CustomerListFilter, registerCustomerListFilter } from './list-filters.ts';
export type { Contact, Customer } from './queries.ts';
export {
  applyUpstreamCustomer,
  type MirrorCloud,
  type MirrorOutcome,
  markCustomersRemovedUpstream,
  syncedTenantIds,
} from './upstream.ts';

export const customersModule: AppModule = {
  name: 'customers',
  routes(api, app) {
    customerRoutes(api, app);
    customerPortalRoutes(api, app);
  },
  seedDemo: seedDemoCustomers,
};
