import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type Customer,
  parseCustomer,
  parsePage,
  parseSubscription,
  readErrorBody,
  type Subscription,
} from './index.ts';

/**
 * The published samples (reference/partner-center-data), parsed verbatim. shared/ sits beside the
 * clone, locally and in CI.
 */
const data = new URL('../../../../shared/reference/partner-center-data/', import.meta.url);

// Decoded the way fetch's Response.text() decodes: the recorded PowerShell sessions start with a BOM.
const textOf = (file: string) => new TextDecoder().decode(readFileSync(new URL(file, data)));
const jsonOf = (file: string): unknown => JSON.parse(textOf(file));

const jsonFolders = [
  'partner-center-docs',
  'partner-center-powershell-sessionrecords',
  'partner-center-sdk-docs-2020',
  'microsoft-graph-partner-billing',
  'partner-center-support-topics',
];
const allSamples = jsonFolders.flatMap((folder) =>
  readdirSync(new URL(`${folder}/`, data))
    .filter((name) => name.endsWith('.json'))
    .map((name) => `${folder}/${name}`),
);

/** As partner-center-data/README.md flags them: doc defects, kept as published. */
const invalidAsPublished = [
  'partner-center-docs/api-throttling-guidance__02-body-response-example.json',
  'partner-center-docs/cancel-an-azure-marketplace-subscription__01-request-request-example.json',
  'partner-center-docs/create-a-customer__01-request-request-example.json',
  'partner-center-docs/get-a-customer-s-usage-spending-budget__01-response-response-example.json',
  'partner-center-docs/get-a-subscription-by-id__03-response-response-example-for-a-new-commerce-subscription.json',
  'partner-center-docs/get-all-of-a-customer-s-orders__01-response-response-example.json',
  'partner-center-docs/get-invoice-billed-unbilled-consumption__01-response-api-response.json',
  'partner-center-docs/get-invoice-billed-unbilled-consumption__02-response-api-response.json',
  'partner-center-docs/get-invoice-billed-unbilled-consumption__03-body-sample-manifest-payload.json',
  'partner-center-docs/get-invoice-unbilled-recon-lineitems__01-response-response-example-1.json',
  'partner-center-docs/get-invoice-unbilled-recon-lineitems__02-response-response-example-2.json',
  'partner-center-docs/get-invoice-unbilled-recon-lineitems__03-response-response-example-3.json',
  'partner-center-docs/get-invoiceline-items__04-response-response-example-4.json',
  'partner-center-docs/get-invoiceline-items__05-response-response-example-5.json',
  'partner-center-docs/partner-center-webhook-events__18-event-dap-admin-relationship-approved.json',
  'partner-center-docs/partner-center-webhook-events__19-event-dap-admin-relationship-terminated.json',
  'partner-center-docs/update-a-customer-s-usage-spending-budget__02-response-response-example.json',
  'partner-center-docs/update-a-subscription-by-id__02-request-request-example-for-new-commerce-subscription-to-update-frie.json',
];

const docs = (name: string) => `partner-center-docs/${name}.json`;

/** Each valid Customer / Subscription / collection / error sample, with the fields it must yield. */
const subscriptionSamples: Record<string, Partial<Subscription>> = {
  [docs('get-a-subscription-by-id__01-response-response-example-for-a-microsoft-azure-subscription')]: {
    id: 'A356AC8C-E310-44F4-BF85-C7F29044AF99',
    offerId: 'MS-AZR-0145P',
    entitlementId: '42226ED6-070A-4E0F-B80C-4CDFB3E97AA7',
    quantity: 1,
    status: 'active',
    billingType: 'usage',
    commitmentEndDate: '9999-12-10T00:00:00Z',
    etag: 'eyJpZCI6ImEzNTZhYzhjLWUzMTAtNDRmNC1iZjg1LWM3ZjI5MDQ0YWY5OSIsInZlcnNpb24iOjJ9',
  },
  [docs('get-a-subscription-by-id__02-response-response-example-for-an-add-on-subscription')]: {
    id: '968BA1CF-C146-4ADF-A300-308DCF718EEE',
    parentSubscriptionId: '1C2B75C1-74A5-472A-A729-7F8CEFC477F9',
    quantity: 2,
    status: 'active',
    autoRenewEnabled: true,
    billingType: 'license',
  },
  [docs('cancel-an-azure-marketplace-subscription__02-response-response-example')]: {
    id: '6e7aa601-629e-461b-8933-0898c3cc3c7c',
    offerId: 'DZH318Z0BXWC:0001:DZH318Z0BMJX',
    status: 'deleted',
    billingCycle: 'monthly',
    termDuration: 'P1M',
    effectiveStartDate: '2019-01-09T00:21:45.9263727+00:00',
    etag: '',
  },
  [docs('suspend-a-subscription__01-request-request-example')]: {
    id: '83ef9d05-4169-4ef9-9657-0e86b1eab1de',
    status: 'suspended',
    quantity: 2,
    etag: '<etag>',
  },
  [docs('suspend-a-subscription__02-request-response-example')]: {
    status: 'suspended',
    friendlyName: 'nickname',
  },
  [docs('reactivate-a-suspended-a-subscription__01-request-request-example')]: {
    status: 'active',
    quantity: 2,
  },
  [docs('reactivate-a-suspended-a-subscription__02-request-response-example')]: {
    status: 'active',
    orderId: '6183db3d-6318-4e52-877e-25806e4971be',
  },
  [docs('update-a-subscription-by-id__01-request-request-example')]: {
    status: 'active',
    autoRenewEnabled: false,
  },
  [docs('update-a-subscription-by-id__03-request-response-example-1')]: {
    quantity: 1,
    autoRenewEnabled: true,
    contractType: 'subscription',
  },
  'partner-center-powershell-sessionrecords/SuspendSubscription.json': { status: 'suspended', quantity: 2 },
};

const subscriptionPageSamples: Record<string, { totalCount: number; items: Partial<Subscription>[] }> = {
  [docs('get-all-of-a-customer-s-subscriptions__01-response-response-examples')]: {
    totalCount: 37,
    // Published with "06: 41: 12" in its times.
    items: [
      { id: '83ef9d05-4169-4ef9-9657-0e86b1eab1de', creationDate: '2015-11-25T06:41:12Z', etag: '<etag>' },
    ],
  },
  [docs('get-all-of-a-customer-s-subscriptions__02-body-response-examples')]: {
    totalCount: 1,
    items: [
      {
        billingCycle: 'triennial',
        termDuration: 'P3Y',
        cancellationAllowedUntilDate: '2021-11-14T23:59:00Z',
      },
    ],
  },
  'partner-center-powershell-sessionrecords/GetCustomerSubscription.json': {
    totalCount: 2,
    items: [
      { offerId: 'MS-AZR-0145P', status: 'active', actions: ['Cancel', 'Edit'] },
      { status: 'suspended', suspensionReasons: ['CustomerCancellation'] },
    ],
  },
};

const customerSamples: Record<string, Partial<Customer>> = {
  [docs('get-a-customer-by-id__01-response-response-example')]: {
    id: 'eebd1b55-5360-4438-a11d-5c06918c3014',
    commerceId: '99e6a635-48e7-424d-9059-c9db944e3c54',
    relationshipToPartner: 'reseller',
    allowDelegatedAccess: true,
    customDomains: ['abcdefgh1234.ccsctp.net'],
  },
  [docs('create-a-customer__02-response-response-example')]: {
    id: 'dfd8cc0a-c592-468c-8461-869a38d24738',
    relationshipToPartner: 'none',
  },
};

const customerPageSamples: Record<string, { totalCount: number; ids: string[] }> = {
  [docs('get-a-list-of-customers__01-response-response-example')]: {
    totalCount: 2,
    ids: ['b44bb1fb-c595-45b0-9e09-d657365580bf', '45c44870-ef77-4fdd-b6fe-3dacb075cff2'],
  },
};

const errorSamples: Record<string, { code: string; description: string }> = {
  [docs('api-throttling-guidance__01-response-error-code-response')]: {
    code: '429',
    description: 'Rate limit is exceeded. Try again in 57 seconds.',
  },
};

function pick<T extends object>(value: T, expected: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, value[key as keyof T]])) as Partial<T>;
}

/** What a valid sample is, judged from its own body, so that a new sample is noticed. */
function kindOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const body = Object.fromEntries(Object.entries(json).map(([key, value]) => [key.toLowerCase(), value]));
  const objectType = (value: unknown) => {
    const record = (value ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const attributes = record.attributes ?? record.Attributes ?? {};
    return attributes.objectType ?? attributes.ObjectType;
  };
  const type = objectType(json);
  if (type === 'Customer' || type === 'Subscription') return type;
  if (type === 'Collection' && Array.isArray(body.items)) {
    const itemType = objectType(body.items[0]);
    if (itemType === 'Customer' || itemType === 'Subscription') return `Collection of ${itemType}`;
  }
  if ((body.code ?? body.statuscode) !== undefined && (body.description ?? body.message) !== undefined)
    return 'error';
  return undefined;
}

describe('partner-center › contract with the published samples', () => {
  it('samples › exactly the files flagged in the reference README fail JSON.parse as published', () => {
    const failing = allSamples.filter((file) => {
      try {
        jsonOf(file);
        return false;
      } catch {
        return true;
      }
    });
    assert.deepEqual(failing, invalidAsPublished);
  });

  it('samples › every valid Customer, Subscription, collection of them and error body is checked below', () => {
    const found = allSamples
      .filter((file) => !invalidAsPublished.includes(file))
      .filter((file) => kindOf(jsonOf(file)) !== undefined)
      .sort();
    const checked = [
      ...Object.keys(subscriptionSamples),
      ...Object.keys(subscriptionPageSamples),
      ...Object.keys(customerSamples),
      ...Object.keys(customerPageSamples),
      ...Object.keys(errorSamples),
    ].sort();
    assert.deepEqual(found, checked);
  });

  for (const [file, expected] of Object.entries(subscriptionSamples)) {
    it(`subscription › ${file} is read verbatim`, () => {
      const subscription = parseSubscription(jsonOf(file));
      assert.deepEqual(pick(subscription, expected), expected);
      assert.deepEqual(subscription.raw, jsonOf(file), 'the whole body is kept for the PATCH');
    });
  }

  for (const [file, expected] of Object.entries(subscriptionPageSamples)) {
    it(`subscriptions › ${file} is read verbatim`, () => {
      const page = parsePage(jsonOf(file), parseSubscription);
      assert.equal(page.totalCount, expected.totalCount);
      assert.equal(page.items.length, expected.items.length);
      expected.items.forEach((item, index) => {
        assert.deepEqual(pick(page.items[index]!, item), item);
      });
      assert.equal(page.next, undefined);
    });
  }

  for (const [file, expected] of Object.entries(customerSamples)) {
    it(`customer › ${file} is read verbatim`, () => {
      const customer = parseCustomer(jsonOf(file));
      assert.deepEqual(pick(customer, expected), expected);
      assert.equal(customer.companyProfile?.tenantId, customer.id);
      assert.equal('userCredentials' in customer.raw, false, 'a temporary admin password is not kept');
    });
  }

  it('customer › a full profile yields its company and billing addresses', () => {
    const customer = parseCustomer(jsonOf(docs('get-a-customer-by-id__01-response-response-example')));
    assert.deepEqual(customer.companyProfile?.address, {
      country: 'US',
      region: 'wa',
      city: 'redmond',
      addressLine1: '1 ms way',
      postalCode: '98052',
      phoneNumber: '1234567890',
    });
    assert.equal(customer.billingProfile?.defaultAddress?.state, 'WA');
    assert.equal(customer.billingProfile?.culture, 'en-US');
  });

  for (const [file, expected] of Object.entries(customerPageSamples)) {
    it(`customers › ${file} is read verbatim`, () => {
      const page = parsePage(jsonOf(file), parseCustomer);
      assert.equal(page.totalCount, expected.totalCount);
      assert.deepEqual(
        page.items.map((customer) => customer.id),
        expected.ids,
      );
      assert.equal(page.next, undefined, 'a self link is not a next page');
    });
  }

  for (const [file, expected] of Object.entries(errorSamples)) {
    it(`error › ${file} yields its code and description`, () => {
      assert.deepEqual(readErrorBody(textOf(file)), expected);
    });
  }

  it('subscription › the new-commerce sample, once its missing comma is restored, yields its NCE fields', () => {
    const file = docs(
      'get-a-subscription-by-id__03-response-response-example-for-a-new-commerce-subscription',
    );
    const repaired = textOf(file).replace(/\}\s*\n(\s*"orderId")/, '},\n$1');
    const subscription = parseSubscription(JSON.parse(repaired));
    assert.deepEqual(pick(subscription, { status: 'expired', quantity: 15, billingCycle: 'monthly' }), {
      status: 'expired',
      quantity: 15,
      billingCycle: 'monthly',
    });
    assert.deepEqual((subscription.raw.refundableQuantity as { totalQuantity: number }).totalQuantity, 10);
  });
});
