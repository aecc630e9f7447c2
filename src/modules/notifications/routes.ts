import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { deliveryStatuses, listDeliveries } from './deliveries.ts';
import { DeliveryResponse, presentDelivery } from './presenters.ts';

const DeliveryListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(deliveryStatuses)),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export function notificationRoutes(api: Api, app: AppContext) {
  api.get(
    '/notifications/deliveries',
    {
      config: { access: { permission: 'partner.manage' } },
      schema: {
        tags: ['notifications'],
        summary: "The partner's outgoing mail, newest first: recipient, subject and delivery status",
        querystring: DeliveryListQuery,
        response: { 200: Type.Object({ items: Type.Array(DeliveryResponse) }) },
      },
    },
    async (request) => ({
      items: (await listDeliveries(app, callerOf(request), request.query)).map(presentDelivery),
    }),
  );
}
