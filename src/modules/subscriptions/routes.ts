import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { PortalSubscriptionView, SubscriptionView } from './presenters.ts';
import {
  listCustomerSubscriptions,
  listOwnSubscriptions,
  registerSubscriptionFilters,
} from './subscriptions.ts';

/** Staff read a customer's subscriptions; customer users their own customer's. */
export function subscriptionRoutes(api: Api, app: AppContext) {
  // The customer list's service-family and subscription-status filters are computed here.
  registerSubscriptionFilters();

  api.get(
    '/customers/:customerId/subscriptions',
    {
      config: { access: { permission: 'subscriptions.read' } },
      schema: {
        tags: ['subscriptions'],
        summary: "A customer's subscriptions as Partner Center last reported them, with local notes",
        params: Type.Object({ customerId: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ items: Type.Array(SubscriptionView) }) },
      },
    },
    async (request) => ({
      items: await listCustomerSubscriptions(app, callerOf(request), request.params.customerId),
    }),
  );

  api.get(
    '/portal/subscriptions',
    {
      config: { access: { permission: 'portal.subscriptions.read' } },
      schema: {
        tags: ['portal'],
        summary: "Your organisation's subscriptions",
        response: { 200: Type.Object({ items: Type.Array(PortalSubscriptionView) }) },
      },
    },
    async (request) => ({ items: await listOwnSubscriptions(app, callerOf(request)) }),
  );
}
