import type { FastifyInstance } from 'fastify';
import type { Clock } from '#platform/time';
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
import type { Store, Subscription } from './store.ts';
import { PartnerCenterError, presentSubscription } from './wire.ts';

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
  state(): ReturnType<typeof stateOf>;
}

export type ServiceRequestView = ReturnType<typeof presentServiceRequest>;

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

export function createAdmin(
  store: Store,
  faults: FaultConfig,
  credentials: SeededCredentials[],
  clock: Clock,
): EmulatorAdmin {
  return {
    credentials,
    faults: () => structuredClone(faults),
    setFaults(config) {
      for (const key of Object.keys(faults) as Array<keyof FaultConfig>) delete faults[key];
      Object.assign(faults, parseFaultConfig(config));
    },
    revokeRefreshToken: (refreshToken) => revokeRefreshToken(store, refreshToken),
    setPendingOperation(subscriptionId, code) {
      const subscription = store.subscriptions.find(
        (candidate) => candidate.id === subscriptionId.toLowerCase(),
      );
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
    state: () => stateOf(store),
  };
}

/** Emulator-only endpoints under `/_emulator/`: no token needed, never part of Microsoft's API. */
export function registerAdminRoutes(app: FastifyInstance, admin: EmulatorAdmin) {
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
        throw new PartnerCenterError(
          404,
          '20003',
          `Subscription with ID ${request.params.subscriptionId} not found.`,
        );
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
