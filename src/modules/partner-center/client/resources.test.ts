import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResourceParseError } from './read-fields.ts';
import { parseCustomer, parsePage, parseSubscription, subscriptionPatchBody } from './resources.ts';

const subscription = (fields: Record<string, unknown> = {}) => ({
  id: 'sub-1',
  quantity: 3,
  status: 'active',
  attributes: { etag: 'e1', objectType: 'Subscription' },
  ...fields,
});

function rejects(run: () => unknown, path: string, reason: RegExp) {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ResourceParseError);
    assert.equal(error.path, path);
    assert.match(error.message, reason);
    return true;
  });
}

describe('partner-center › resources', () => {
  it('subscription › enums as SDK numbers and numbers as text are read', () => {
    const parsed = parseSubscription(
      subscription({ status: 2, billingCycle: 4, quantity: '15', isTrial: 'false' }),
    );
    assert.equal(parsed.status, 'suspended');
    assert.equal(parsed.billingCycle, 'one_time');
    assert.equal(parsed.quantity, 15);
    assert.equal(parsed.isTrial, false);
  });

  it('subscription › enum words in any casing and spelling are read', () => {
    assert.equal(parseSubscription(subscription({ status: 'Suspended' })).status, 'suspended');
    assert.equal(parseSubscription(subscription({ billingCycle: 'OneTime' })).billingCycle, 'one_time');
    assert.equal(parseSubscription(subscription({ billingCycle: '5' })).billingCycle, 'triennial');
  });

  it('subscription › missing optional fields are undefined or empty, never invented', () => {
    const parsed = parseSubscription(subscription());
    assert.equal(parsed.autoRenewEnabled, undefined);
    assert.equal(parsed.billingCycle, undefined);
    assert.deepEqual(parsed.suspensionReasons, []);
    assert.equal(parsed.etag, 'e1');
  });

  it('subscription › what cannot be used is rejected with its path', () => {
    rejects(
      () => parseSubscription(subscription({ quantity: 'many' })),
      'quantity',
      /"many", expected a whole number/,
    );
    rejects(() => parseSubscription(subscription({ quantity: -1 })), 'quantity', /expected a whole number/);
    rejects(
      () => parseSubscription(subscription({ status: 'frozen' })),
      'status',
      /expected one of none, active/,
    );
    rejects(() => parseSubscription(subscription({ status: 9 })), 'status', /9/);
    rejects(() => parseSubscription(subscription({ id: undefined })), 'id', /is missing/);
    rejects(() => parseSubscription(subscription({ creationDate: 'yesterday' })), 'creationDate', /ISO 8601/);
    rejects(
      () => parseSubscription(subscription({ autoRenewEnabled: 'yes' })),
      'autoRenewEnabled',
      /true or false/,
    );
  });

  it('page › an unusable item is named by its index', () => {
    const items = [subscription(), subscription(), subscription(), subscription({ quantity: 'ten' })];
    rejects(() => parsePage({ totalCount: 4, items }, parseSubscription), 'items[3].quantity', /"ten"/);
    rejects(() => parsePage({ totalCount: 4 }, parseSubscription), 'items', /missing, expected a list/);
  });

  it('page › the next link carries its continuation token header', () => {
    const page = parsePage(
      {
        totalCount: '3',
        items: [],
        links: {
          next: {
            uri: '/customers?size=1&seekOperation=Next',
            method: 'get',
            headers: [{ key: 'MS-ContinuationToken', value: 'abc' }],
          },
        },
      },
      parseCustomer,
    );
    assert.equal(page.totalCount, 3);
    assert.deepEqual(page.next, {
      uri: '/customers?size=1&seekOperation=Next',
      method: 'GET',
      headers: [{ key: 'MS-ContinuationToken', value: 'abc' }],
    });
  });

  it('subscription PATCH body › keeps every field it was read with and writes changes under their casing', () => {
    const read = parseSubscription({
      Id: 'sub-1',
      Quantity: 2,
      Status: 'active',
      AutoRenewEnabled: true,
      scheduledNextTermInstructions: { quantity: 5 },
      Attributes: { Etag: 'e2' },
    });
    assert.equal(read.etag, 'e2');
    const body = subscriptionPatchBody({ ...read, status: 'suspended' });
    assert.deepEqual(body, {
      Id: 'sub-1',
      Quantity: 2,
      Status: 'suspended',
      AutoRenewEnabled: true,
      scheduledNextTermInstructions: { quantity: 5 },
      Attributes: { Etag: 'e2' },
    });
  });

  it('customer › the temporary admin password of a created customer is not kept', () => {
    const customer = parseCustomer({ id: 'c1', userCredentials: { userName: 'admin', password: 'secret' } });
    assert.deepEqual(customer.raw, { id: 'c1' });
  });
});
