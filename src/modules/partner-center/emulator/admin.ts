import type { FastifyInstance } from 'fastify';
import { revokeRefreshToken } from './entra.ts';
import { type FaultConfig, parseFaultConfig } from './faults.ts';
import type { SeededCredentials } from './seed.ts';
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
  state(): ReturnType<typeof stateOf>;
}

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
}
