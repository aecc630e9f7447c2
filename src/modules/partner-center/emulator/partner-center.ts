import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordActivity, subscriptionChanges } from './activity-log.ts';
import {
  type Caller,
  callerOf,
  customerOf,
  decodeContinuation,
  encodeContinuation,
  type PartnerCenterContext,
  pageSize,
  partnerOf,
} from './requests.ts';
import { type Customer, findSubscription } from './store.ts';
import { patchSubscription } from './subscription-rules.ts';
import {
  collection,
  etagOf,
  field,
  link,
  PartnerCenterError,
  presentCreatedCustomer,
  presentCustomer,
  presentCustomerListItem,
  presentSubscription,
  textField,
} from './wire.ts';

function requiredText(body: unknown, path: string[]): string {
  let value: unknown = body;
  for (const name of path.slice(0, -1)) value = field(value, name);
  const text = textField(value, path.at(-1)!);
  if (text === undefined)
    throw new PartnerCenterError(400, '400', `The field '${path.join('.')}' is required.`);
  return text;
}

/** `EN-US` (as in the documented request) is answered as `en-US` (as in the documented response). */
function normaliseCulture(culture: string): string {
  const [language, region] = culture.split('-');
  return region === undefined
    ? language!.toLowerCase()
    : `${language!.toLowerCase()}-${region.toUpperCase()}`;
}

function createCustomer(context: PartnerCenterContext, caller: Caller, body: unknown) {
  const { partnerTenantId } = caller;
  const domain = requiredText(body, ['companyProfile', 'domain']).toLowerCase();
  const address = (name: string) => requiredText(body, ['billingProfile', 'defaultAddress', name]);
  const optionalAddress = (name: string) =>
    textField(field(field(body, 'billingProfile'), 'defaultAddress'), name);
  if (context.store.customers.some((customer) => customer.domain === domain)) {
    throw new PartnerCenterError(409, '409', `The domain ${domain} is already in use.`);
  }
  const region = optionalAddress('state');
  const customer: Customer = {
    partnerTenantId,
    id: randomUUID(),
    commerceId: randomUUID(),
    domain,
    companyName: requiredText(body, ['billingProfile', 'companyName']),
    email: requiredText(body, ['billingProfile', 'email']),
    culture: normaliseCulture(requiredText(body, ['billingProfile', 'culture'])),
    language: requiredText(body, ['billingProfile', 'language']).toLowerCase(),
    address: {
      country: address('country').toUpperCase(),
      ...(region === undefined ? {} : { region }),
      city: address('city'),
      addressLine1: address('addressLine1'),
      postalCode: optionalAddress('postalCode') ?? '',
      phoneNumber: optionalAddress('phoneNumber') ?? '',
      firstName: address('firstName'),
      lastName: address('lastName'),
    },
    billingProfileId: randomUUID(),
    billingProfileVersion: 1,
    relationshipToPartner: 'none',
    enableGDAPByDefault: field(body, 'enableGDAPByDefault') === true,
  };
  const registration = textField(field(body, 'companyProfile'), 'organizationRegistrationNumber');
  if (registration !== undefined) customer.organizationRegistrationNumber = registration;
  context.store.customers.push(customer);
  const created = presentCreatedCustomer(customer, randomBytes(9).toString('base64url'));
  recordActivity(context.store, caller, context.clock.now(), {
    customer,
    operationType: 'add_customer',
    resourceType: 'customer',
    resourceId: customer.id,
    resource: { ...created, userCredentials: { userName: 'admin', password: '' } },
    customizedData: [
      { key: 'PrimaryDomainName', value: customer.domain },
      { key: 'Relationship', value: 'None' },
    ],
  });
  return created;
}

export function registerPartnerCenterRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  app.get<{ Querystring: { size?: string; seekOperation?: string } }>('/v1/customers', async (request) => {
    const partnerTenantId = partnerOf(context, request);
    const size = pageSize(request.query.size);
    const continuation = request.headers['ms-continuationtoken'];
    const offset =
      request.query.seekOperation?.toLowerCase() === 'next' && typeof continuation === 'string'
        ? decodeContinuation(partnerTenantId, continuation).offset
        : 0;
    const all = context.store.customers.filter((customer) => customer.partnerTenantId === partnerTenantId);
    const page = all.slice(offset, offset + size);
    const links: Record<string, ReturnType<typeof link>> = { self: link(`/v1/customers?size=${size}`) };
    if (offset + size < all.length) {
      links.next = {
        ...link(`/v1/customers?size=${size}&seekOperation=Next`),
        headers: [{ key: 'MS-ContinuationToken', value: encodeContinuation(partnerTenantId, offset + size) }],
      };
    }
    return collection(page.map(presentCustomerListItem), links);
  });

  app.get<{ Params: { customerId: string } }>('/v1/customers/:customerId', async (request) => {
    const partnerTenantId = partnerOf(context, request);
    return presentCustomer(customerOf(context, partnerTenantId, request.params.customerId));
  });

  // Create is idempotent on MS-RequestId, which the documentation says is required here.
  app.post('/v1/customers', async (request, reply) => {
    const caller = callerOf(context, request);
    const { partnerTenantId } = caller;
    const requestId = request.headers['ms-requestid'];
    if (typeof requestId !== 'string' || requestId === '') {
      throw new PartnerCenterError(400, '400', 'The MS-RequestId header is required to create a customer.');
    }
    const key = `${partnerTenantId} ${requestId}`;
    const created = context.store.customerCreations.get(key) ?? createCustomer(context, caller, request.body);
    context.store.customerCreations.set(key, created);
    return reply.code(201).send(created);
  });

  app.get<{ Params: { customerId: string } }>('/v1/customers/:customerId/subscriptions', async (request) => {
    const partnerTenantId = partnerOf(context, request);
    const customer = customerOf(context, partnerTenantId, request.params.customerId);
    const subscriptions = context.store.subscriptions.filter(
      (subscription) => subscription.customerId === customer.id,
    );
    return collection(subscriptions.map(presentSubscription));
  });

  const subscriptionPath = '/v1/customers/:customerId/subscriptions/:subscriptionId';
  type SubscriptionParams = { Params: { customerId: string; subscriptionId: string } };
  const subscriptionOf = (
    request: FastifyRequest<SubscriptionParams>,
    caller = callerOf(context, request),
  ) => {
    const customer = customerOf(context, caller.partnerTenantId, request.params.customerId);
    const subscription = findSubscription(context.store, customer.id, request.params.subscriptionId);
    if (!subscription) {
      throw new PartnerCenterError(
        404,
        '20003',
        `Subscription with ID ${request.params.subscriptionId} not found.`,
      );
    }
    return { customer, subscription };
  };

  app.get<SubscriptionParams>(subscriptionPath, async (request) =>
    presentSubscription(subscriptionOf(request).subscription),
  );

  app.patch<SubscriptionParams>(subscriptionPath, async (request) => {
    const caller = callerOf(context, request);
    const { customer, subscription } = subscriptionOf(request, caller);
    const ifMatch = request.headers['if-match'];
    // Changes are made on a copy so that a refused PATCH leaves nothing half-applied.
    const draft = structuredClone(subscription);
    patchSubscription(
      draft,
      request.body,
      typeof ifMatch === 'string' ? ifMatch.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') : undefined,
      etagOf(subscription),
      context.clock.now(),
    );
    context.store.subscriptions[context.store.subscriptions.indexOf(subscription)] = draft;
    const updated = presentSubscription(draft);
    recordActivity(context.store, caller, context.clock.now(), {
      customer,
      operationType: 'update_subscription',
      resourceType: 'subscription',
      resourceId: draft.id,
      resource: updated,
      customizedData: subscriptionChanges(subscription, draft),
    });
    return updated;
  });
}
