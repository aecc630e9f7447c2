import type { FastifyInstance } from 'fastify';
import { customerOf, type PartnerCenterContext, partnerOf } from './requests.ts';
import { findPartner, type Order, type PartnerTenant } from './store.ts';
import { collection, link, PartnerCenterError } from './wire.ts';

/** The documented Order shape: one line item per subscription bought, links to it and to its SKU. */
function presentOrder(order: Order, partner: PartnerTenant) {
  const self = `/customers/${order.customerId}/orders/${order.id}`;
  return {
    id: order.id,
    referenceCustomerId: order.customerId,
    billingCycle: order.billingCycle,
    currencyCode: partner.currencyCode,
    currencySymbol: partner.currencySymbol,
    lineItems: order.lineItems.map((item) => {
      const [productId, skuId] = item.offerId.split(':');
      return {
        lineItemNumber: item.lineItemNumber,
        offerId: item.offerId,
        subscriptionId: item.subscriptionId,
        friendlyName: item.friendlyName,
        quantity: item.quantity,
        ...(item.termDuration === undefined ? {} : { termDuration: item.termDuration }),
        transactionType: 'new',
        links: {
          subscription: link(`/customers/${order.customerId}/subscriptions/${item.subscriptionId}`),
          // Legacy offer ids are bare SKU GUIDs whose product the seed does not know.
          ...(skuId === undefined ? {} : { sku: link(`/products/${productId}/skus/${skuId}?country=US`) }),
        },
      };
    }),
    creationDate: order.creationDate.toISOString(),
    status: 'completed',
    transactionType: 'UserPurchase',
    links: { provisioningStatus: link(`${self}/provisioningstatus`), self: link(self) },
    attributes: { objectType: 'Order' },
  };
}

export function registerOrderRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  const ordersOf = (partnerTenantId: string, customerId: string) => {
    const customer = customerOf(context, partnerTenantId, customerId);
    return context.store.orders.filter((order) => order.customerId === customer.id);
  };

  app.get<{ Params: { customerId: string } }>('/v1/customers/:customerId/orders', async (request) => {
    const partnerTenantId = partnerOf(context, request);
    const partner = findPartner(context.store, partnerTenantId)!;
    const orders = ordersOf(partnerTenantId, request.params.customerId);
    return collection(
      orders.map((order) => presentOrder(order, partner)),
      { self: link(`/customers/${request.params.customerId.toLowerCase()}/orders`) },
    );
  });

  app.get<{ Params: { customerId: string; orderId: string } }>(
    '/v1/customers/:customerId/orders/:orderId',
    async (request) => {
      const partnerTenantId = partnerOf(context, request);
      const wanted = request.params.orderId.toLowerCase();
      const order = ordersOf(partnerTenantId, request.params.customerId).find(
        (candidate) => candidate.id.toLowerCase() === wanted,
      );
      if (!order) {
        throw new PartnerCenterError(404, '404', `Order with ID ${request.params.orderId} not found.`);
      }
      return presentOrder(order, findPartner(context.store, partnerTenantId)!);
    },
  );
}
