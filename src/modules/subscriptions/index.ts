import type { AppModule } from '#platform/app';
import { accessChangeJobs, accessChangeJobTypes, accessChangeRoutes } from './access-changes.ts';
import { subscriptionRoutes } from './routes.ts';
import { syncJobs, syncJobTypes, syncRoutes } from './sync.ts';

export {
  type AccessChangeBatch,
  type AccessChangeRequest,
  type AccessChangeView,
  carryOut,
  presentAccessChange,
  requestAccessChange,
} from './access-changes.ts';
export {
  applyUpstreamSubscription,
  kindOf,
  type ServiceFamily,
  type SubscriptionKind,
  serviceFamilyOf,
} from './mirror.ts';
export { getSubscriptionRow, type SubscriptionRow, type SyncRun, syncRunById } from './queries.ts';
export { runSync, scheduleDueSyncs, startSync } from './sync.ts';

export const subscriptionsModule: AppModule = {
  name: 'subscriptions',
  routes(api, app) {
    subscriptionRoutes(api, app);
    syncRoutes(api, app);
    accessChangeRoutes(api, app);
  },
  jobTypes: [...syncJobTypes, ...accessChangeJobTypes],
  jobs: [...syncJobs, ...accessChangeJobs],
};
