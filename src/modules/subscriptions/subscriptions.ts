import { type SQL, sql } from 'drizzle-orm';
import { getCustomer, registerCustomerListFilter } from '#modules/customers';
import { requirePermission } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { invalid, notFound } from '#platform/errors';
import {
  type PortalSubscriptionView,
  presentSubscriptionForCustomer,
  presentSubscriptionForStaff,
  type SubscriptionView,
} from './presenters.ts';
import { latestAccessChanges, subscriptionsOfCustomer } from './queries.ts';
import { serviceFamilies, subscriptionStatuses, subscriptions } from './schema.ts';

/** A customer's subscriptions as staff see them, each with its latest suspend or reactivate request. */
export async function listCustomerSubscriptions(
  app: AppContext,
  caller: Caller,
  customerId: string,
): Promise<SubscriptionView[]> {
  const actor = requirePermission(caller, 'subscriptions.read');
  const { db } = app.database;
  await getCustomer(db, actor, customerId);
  const rows = await subscriptionsOfCustomer(db, actor, customerId);
  const changes = await latestAccessChanges(
    db,
    actor.partnerId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => presentSubscriptionForStaff(row, changes.get(row.id)));
}

/** A customer user's own customer's subscriptions, without internal fields. */
export async function listOwnSubscriptions(
  app: AppContext,
  caller: Caller,
): Promise<PortalSubscriptionView[]> {
  const actor = requirePermission(caller, 'portal.subscriptions.read');
  if (actor.customerId === undefined) throw notFound('Customer');
  const rows = await subscriptionsOfCustomer(app.database.db, actor, actor.customerId);
  return rows.map(presentSubscriptionForCustomer);
}

function choice<T extends string>(field: string, allowed: readonly T[], value: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid('invalid-choice', `${field} must be one of ${allowed.join(', ')}`, { field });
  }
  return value as T;
}

/** The ids of the partner's customers with a subscription matching `condition` and still listed upstream. */
function customersWithSubscription(partnerId: string, condition: SQL): SQL {
  return sql`select ${subscriptions.customerId} from ${subscriptions}
    where ${subscriptions.partnerId} = ${partnerId} and ${subscriptions.upstreamRemovedAt} is null and ${condition}`;
}

/** The customer list's filters that need subscriptions: customers cannot compute them itself. */
export function registerSubscriptionFilters(): void {
  registerCustomerListFilter('serviceFamily', (partnerId, value) =>
    customersWithSubscription(
      partnerId,
      sql`${subscriptions.serviceFamily} = ${choice('serviceFamily', serviceFamilies, value)}`,
    ),
  );
  registerCustomerListFilter('subscriptionStatus', (partnerId, value) =>
    customersWithSubscription(
      partnerId,
      sql`${subscriptions.status} = ${choice('subscriptionStatus', subscriptionStatuses, value)}`,
    ),
  );
}
