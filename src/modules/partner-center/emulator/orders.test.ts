import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, partnerCenter } from './test-helpers.ts';

interface OrderBody {
  id: string;
  referenceCustomerId: string;
  currencyCode: string;
  status: string;
  lineItems: Array<{ subscriptionId: string; offerId: string; quantity: number }>;
  attributes: { objectType: string };
}
interface Collection<T> {
  totalCount: number;
  items: T[];
  attributes: { objectType: string };
}

let emulator: RunningEmulator;
let call: ReturnType<typeof partnerCenter>;
before(async () => {
  emulator = await startEmulator({ clock: fixedClock('2025-03-10T09:00:00Z') });
  call = partnerCenter(emulator, await appOnlyToken(emulator));
});
after(() => emulator.close());

describe('emulator › orders', () => {
  it("GET …/orders › one order per subscription, each with the subscription's orderId and offer", async () => {
    const state = emulator.admin.state();
    const own = state.customers.filter(
      (customer) => customer.partnerTenantId === emulator.admin.credentials[0]!.tenantId,
    );
    for (const customer of own) {
      const response = await call(`/v1/customers/${customer.id}/orders`);
      assert.equal(response.status, 200);
      const orders = (await response.json()) as Collection<OrderBody>;
      assert.equal(orders.attributes.objectType, 'Collection');
      const subscriptions = state.subscriptions.filter((entry) => entry.customerId === customer.id);
      assert.equal(orders.totalCount, subscriptions.length);
      for (const { subscription } of subscriptions) {
        const order = orders.items.find((candidate) => candidate.id === subscription.orderId)!;
        assert.ok(order, `an order ${subscription.orderId} for ${subscription.offerName}`);
        assert.equal(order.referenceCustomerId, customer.id);
        assert.equal(order.currencyCode, 'EUR');
        assert.deepEqual(
          order.lineItems.map((item) => [item.subscriptionId, item.offerId, item.quantity]),
          [[subscription.id, subscription.offerId, subscription.quantity]],
        );
      }
    }
  });

  it("GET …/orders/{id} › the order; an unknown id is 404; another partner's customer is 403 20002", async () => {
    const entry = emulator.admin.state().subscriptions[0]!;
    const response = await call(`/v1/customers/${entry.customerId}/orders/${entry.subscription.orderId}`);
    assert.equal(response.status, 200);
    const order = (await response.json()) as OrderBody;
    assert.equal(order.attributes.objectType, 'Order');
    assert.equal(order.status, 'completed');
    assert.equal((await call(`/v1/customers/${entry.customerId}/orders/no-such-order`)).status, 404);
    const chinese = emulator.admin.state().customers.find((customer) => customer.country === 'CN')!;
    const refused = await call(`/v1/customers/${chinese.id}/orders`);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, '20002');
  });
});
