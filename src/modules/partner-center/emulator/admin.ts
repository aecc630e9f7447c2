import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '#platform/time';
import { recordActivity, subscriptionChanges } from './activity-log.ts';
import { revokeRefreshToken } from './entra.ts';
import { type FaultConfig, parseFaultConfig } from './faults.ts';
import type { SeededCredentials } from './seed.ts';
import {
  type AdvanceServiceRequest,
  advanceServiceRequest,
  isServiceRequestSeverity,
  isServiceRequestStatus,
  type OpenServiceRequest,
  openServiceRequest,
  presentServiceRequest,
} from './service-requests.ts';
import { type Store, type Subscription, type SubscriptionStatus, subscriptionStatuses } from './store.ts';
import { PartnerCenterError, presentSubscription } from './wire.ts';

/** A change made in Microsoft's portals: the fields are set as given, no API rule applies. */
export interface SubscriptionChange {
  quantity?: number;
  status?: SubscriptionStatus;
  autoRenewEnabled?: boolean;
}

/** The body of `PATCH /_emulator/subscriptions/:id`, refused with the field at fault. */
function parseSubscriptionChange(body: unknown): SubscriptionChange {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PartnerCenterError(400, '400', 'The body must be an object.');
  }
  const { quantity, status, autoRenewEnabled, ...unknown } = body as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) {
    throw new PartnerCenterError(
      400,
      '400',
      `Unknown field ${extra.join(', ')}: only quantity, status and autoRenewEnabled can be changed.`,
    );
  }
  const change: SubscriptionChange = {};
  if (quantity !== undefined) {
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
      throw new PartnerCenterError(400, '400', 'quantity must be a whole number of at least 1.');
    }
    change.quantity = quantity;
  }
  if (status !== undefined) {
    if (!subscriptionStatuses.includes(status as SubscriptionStatus)) {
      throw new PartnerCenterError(400, '400', `status must be one of ${subscriptionStatuses.join(', ')}.`);
    }
    change.status = status as SubscriptionStatus;
  }
  if (autoRenewEnabled !== undefined) {
    if (typeof autoRenewEnabled !== 'boolean') {
      throw new PartnerCenterError(400, '400', 'autoRenewEnabled must be true or false.');
    }
    change.autoRenewEnabled = autoRenewEnabled;
  }
  if (Object.keys(change).length === 0) {
    throw new PartnerCenterError(400, '400', 'Give at least one of quantity, status, autoRenewEnabled.');
  }
  return change;
}

/**
 * Facts Microsoft has but does not put on the Subscription resource: whether the partner is still
 * billed for it and whether the customer can use it (reference §2.5.3). Only the admin view shows them.
 */
function facts(subscription: Subscription) {
  const running = subscription.status === 'active' || subscription.status === 'suspended';
  return {
    partnerBilled: running && (subscription.status === 'active' || subscription.kind !== 'legacy'),
    customerAccess: subscription.status === 'active',
  };
}

/** The activity log's `applicationId` for a change made in the portal: the emulator's own marker. */
const portalApplicationId = 'partner-center-portal';

export interface EmulatorAdmin {
  credentials: SeededCredentials[];
  faults(): FaultConfig;
  setFaults(config: FaultConfig): void;
  revokeRefreshToken(refreshToken: string): boolean;
  setPendingOperation(subscriptionId: string, code: '800082' | '900278' | null): boolean;
  /** A person opens a case in Microsoft's portals (the API has no create); answers it as the API shows it. */
  openServiceRequest(input: OpenServiceRequest): ServiceRequestView;
  /** Microsoft's engineer changes a case's status or adds a note; undefined for an unknown id. */
  advanceServiceRequest(id: string, change: AdvanceServiceRequest): ServiceRequestView | undefined;
  /** A subscription vanishes upstream: gone from every listing; false for an unknown id. */
  removeSubscription(subscriptionId: string): boolean;
  /** The customer relationship ends: the customer, its subscriptions and orders are gone; false if unknown. */
  removeCustomer(customerId: string): boolean;
  /**
   * Someone changes a subscription in Microsoft's portals: a new version (etag) and an activity-log
   * record by the partner's admin user, as an API change has. Undefined for an unknown id.
   */
  changeSubscription(subscriptionId: string, change: SubscriptionChange): SubscriptionView | undefined;
  state(): ReturnType<typeof stateOf>;
}

export type ServiceRequestView = ReturnType<typeof presentServiceRequest>;
export type SubscriptionView = ReturnType<typeof presentSubscription>;

function stateOf(store: Store) {
  return {
    partners: store.partners.map(({ tenantId, domain, name, mpnId, cloud }) => ({
      tenantId,
      domain,
      name,
      mpnId,
      cloud,
    })),
    customers: store.customers.map(({ partnerTenantId, id, companyName, domain, address }) => ({
      partnerTenantId,
      id,
      companyName,
      domain,
      country: address.country,
    })),
    subscriptions: store.subscriptions.map((subscription) => ({
      customerId: subscription.customerId,
      kind: subscription.kind,
      subscription: presentSubscription(subscription),
      azureEntitlements: subscription.azureEntitlements ?? [],
      pendingOperation: subscription.pendingOperation ?? null,
      facts: facts(subscription),
    })),
  };
}

/** Removes in place: the routes hold the store's lists, not copies. */
function removeWhere<T>(items: T[], remove: (item: T) => boolean) {
  const kept = items.filter((item) => !remove(item));
  items.splice(0, items.length, ...kept);
}

export function createAdmin(
  store: Store,
  faults: FaultConfig,
  credentials: SeededCredentials[],
  clock: Clock,
): EmulatorAdmin {
  const subscriptionById = (subscriptionId: string) =>
    store.subscriptions.find((candidate) => candidate.id === subscriptionId.toLowerCase());
  return {
    credentials,
    faults: () => structuredClone(faults),
    setFaults(config) {
      for (const key of Object.keys(faults) as Array<keyof FaultConfig>) delete faults[key];
      Object.assign(faults, parseFaultConfig(config));
    },
    revokeRefreshToken: (refreshToken) => revokeRefreshToken(store, refreshToken),
    setPendingOperation(subscriptionId, code) {
      const subscription = subscriptionById(subscriptionId);
      if (!subscription) return false;
      if (code === null) delete subscription.pendingOperation;
      else subscription.pendingOperation = code;
      return true;
    },
    openServiceRequest: (input) =>
      presentServiceRequest(store, openServiceRequest(store, clock.now(), input)),
    advanceServiceRequest(id, change) {
      const request = advanceServiceRequest(store, clock.now(), id, change);
      return request && presentServiceRequest(store, request);
    },
    removeSubscription(subscriptionId) {
      const subscription = subscriptionById(subscriptionId);
      if (!subscription) return false;
      removeWhere(store.subscriptions, (candidate) => candidate === subscription);
      return true;
    },
    removeCustomer(customerId) {
      const id = customerId.toLowerCase();
      if (!store.customers.some((customer) => customer.id === id)) return false;
      removeWhere(store.customers, (customer) => customer.id === id);
      removeWhere(store.subscriptions, (subscription) => subscription.customerId === id);
      removeWhere(store.orders, (order) => order.customerId === id);
      return true;
    },
    changeSubscription(subscriptionId, change) {
      const subscription = subscriptionById(subscriptionId);
      const customer = store.customers.find((candidate) => candidate.id === subscription?.customerId);
      if (!subscription || !customer) return undefined;
      const changed: Subscription = { ...structuredClone(subscription), ...change };
      changed.version += 1;
      store.subscriptions[store.subscriptions.indexOf(subscription)] = changed;
      const presented = presentSubscription(changed);
      const admin = credentials.find((seeded) => seeded.tenantId === customer.partnerTenantId);
      recordActivity(
        store,
        {
          partnerTenantId: customer.partnerTenantId,
          applicationId: portalApplicationId,
          ...(admin && { userPrincipalName: admin.userPrincipalName }),
          correlationId: randomUUID(),
        },
        clock.now(),
        {
          customer,
          operationType: 'update_subscription',
          resourceType: 'subscription',
          resourceId: changed.id,
          resource: presented,
          customizedData: subscriptionChanges(subscription, changed),
        },
      );
      return presented;
    },
    state: () => stateOf(store),
  };
}

/** Emulator-only endpoints under `/_emulator/`: no token needed, never part of Microsoft's API. */
export function registerAdminRoutes(app: FastifyInstance, admin: EmulatorAdmin) {
  const subscriptionNotFound = (subscriptionId: string) =>
    new PartnerCenterError(404, '20003', `Subscription with ID ${subscriptionId} not found.`);
  app.get('/_emulator/state', async () => admin.state());
  app.get('/_emulator/credentials', async () => admin.credentials);
  app.get('/_emulator/faults', async () => admin.faults());
  app.put('/_emulator/faults', async (request) => {
    admin.setFaults(request.body as FaultConfig);
    return admin.faults();
  });
  app.post<{ Body: { refreshToken?: unknown } }>(
    '/_emulator/refresh-tokens/revoke',
    async (request, reply) => {
      const token = request.body?.refreshToken;
      if (typeof token !== 'string' || !admin.revokeRefreshToken(token)) {
        throw new PartnerCenterError(404, '404', 'No such refresh token.');
      }
      return reply.code(204).send();
    },
  );
  app.put<{ Params: { subscriptionId: string }; Body: { code?: unknown } }>(
    '/_emulator/subscriptions/:subscriptionId/pending-operation',
    async (request, reply) => {
      const code = request.body?.code ?? null;
      if (code !== null && code !== '800082' && code !== '900278') {
        throw new PartnerCenterError(400, '400', 'code must be "800082", "900278" or null.');
      }
      if (!admin.setPendingOperation(request.params.subscriptionId, code)) {
        throw subscriptionNotFound(request.params.subscriptionId);
      }
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { subscriptionId: string } }>(
    '/_emulator/subscriptions/:subscriptionId',
    async (request, reply) => {
      if (!admin.removeSubscription(request.params.subscriptionId)) {
        throw subscriptionNotFound(request.params.subscriptionId);
      }
      return reply.code(204).send();
    },
  );
  app.patch<{ Params: { subscriptionId: string } }>(
    '/_emulator/subscriptions/:subscriptionId',
    async (request) => {
      const changed = admin.changeSubscription(
        request.params.subscriptionId,
        parseSubscriptionChange(request.body),
      );
      if (!changed) throw subscriptionNotFound(request.params.subscriptionId);
      return changed;
    },
  );
  app.delete<{ Params: { customerId: string } }>(
    '/_emulator/customers/:customerId',
    async (request, reply) => {
      if (!admin.removeCustomer(request.params.customerId)) {
        throw new PartnerCenterError(404, '404', `Customer ${request.params.customerId} not found.`);
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Body: Record<string, unknown> | undefined }>(
    '/_emulator/service-requests',
    async (request, reply) => {
      const body = request.body ?? {};
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
      const customerId = text('customerId');
      const title = text('title');
      if (customerId === undefined || title === undefined) {
        throw new PartnerCenterError(400, '400', 'customerId and title are required.');
      }
      if (body.severity !== undefined && !isServiceRequestSeverity(body.severity)) {
        throw new PartnerCenterError(400, '400', 'severity must be unknown, critical, moderate or minimal.');
      }
      const optional = ['description', 'supportTopicId', 'supportTopicName', 'productName'] as const;
      const input: OpenServiceRequest = { customerId, title };
      for (const name of optional) {
        const value = text(name);
        if (value !== undefined) input[name] = value;
      }
      if (body.severity !== undefined) input.severity = body.severity;
      return reply.code(201).send(admin.openServiceRequest(input));
    },
  );
  app.patch<{ Params: { serviceRequestId: string }; Body: Record<string, unknown> | undefined }>(
    '/_emulator/service-requests/:serviceRequestId',
    async (request) => {
      const { status, note, by } = request.body ?? {};
      if (status !== undefined && !isServiceRequestStatus(status)) {
        throw new PartnerCenterError(400, '400', 'status must be open, closed or attention_needed.');
      }
      if ((note !== undefined && typeof note !== 'string') || (by !== undefined && typeof by !== 'string')) {
        throw new PartnerCenterError(400, '400', 'note and by must be text.');
      }
      const change: AdvanceServiceRequest = {};
      if (status !== undefined) change.status = status;
      if (note !== undefined) change.note = note;
      if (by !== undefined) change.by = by;
      const advanced = admin.advanceServiceRequest(request.params.serviceRequestId, change);
      if (!advanced) {
        throw new PartnerCenterError(
          404,
          '404',
          `Service request ${request.params.serviceRequestId} not found.`,
        );
      }
      return advanced;
    },
  );
}
