import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { type Clock, systemClock } from '#platform/time';
import { registerActivityLogRoutes } from './activity-log.ts';
import { createAdmin, type EmulatorAdmin, registerAdminRoutes } from './admin.ts';
import { registerBillingRoutes } from './billing.ts';
import { EntraError, registerEntraRoutes } from './entra.ts';
import { type FaultConfig, injectFaults, malformBody, parseFaultConfig } from './faults.ts';
import { registerOrderRoutes } from './orders.ts';
import { registerPartnerCenterRoutes } from './partner-center.ts';
import { type EmulatorPersistence, openPersistence } from './persistence.ts';
import { type SeededCredentials, seedCredentials, seedStore } from './seed.ts';
import { registerServiceRequestRoutes } from './service-requests.ts';
import { registerSupportProfileRoutes } from './support-profile.ts';
import { PartnerCenterError } from './wire.ts';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Ids, secrets and refresh tokens derive from it: the same seed gives the same emulator. */
  seed?: string;
  faults?: FaultConfig;
  clock?: Clock;
  accessTokenLifetimeSeconds?: number;
  /** A folder for the emulator's own database, which keeps changes across restarts; without it, memory. */
  dataDir?: string;
  /** With `dataDir`: forget the saved changes and start again from the seed. */
  reset?: boolean;
}

export interface RunningEmulator {
  /** Both the token authority and the Partner Center base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Where its state lives, for start-up messages. */
  storage: string;
  close(): Promise<void>;
  admin: EmulatorAdmin;
}

export const defaultEmulatorSeed = 'partnerdesk';

/** The app credentials an emulator started with `seed` has, without starting one (demo data needs them). */
export function emulatorCredentials(seed = defaultEmulatorSeed): SeededCredentials[] {
  return seedCredentials(seed);
}

/**
 * A local server of Microsoft's documented APIs — Entra token endpoints and Partner Center REST —
 * separate from partnerdesk's own HTTP server, for the demo, development and tests.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? defaultEmulatorSeed;
  const { store, credentials } = seedStore(seed, clock.now());
  const faults = parseFaultConfig(options.faults ?? {});
  const admin = createAdmin(store, faults, credentials, clock);
  const app = Fastify({ logger: false });

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/v1/')) {
      // Partner Center answers with the caller's request and correlation ids (or new ones).
      const requestId = request.headers['ms-requestid'];
      const correlationId = request.headers['ms-correlationid'];
      reply.header('MS-RequestId', typeof requestId === 'string' && requestId ? requestId : randomUUID());
      // Kept on the request too: the activity log records it as the operation's correlation id.
      request.headers['ms-correlationid'] =
        typeof correlationId === 'string' && correlationId ? correlationId : randomUUID();
      reply.header('MS-CorrelationId', request.headers['ms-correlationid']);
    }
    if (!request.url.startsWith('/_emulator/')) return injectFaults(faults, request, reply);
  });
  app.addHook('onSend', async (request, _reply, payload) => malformBody(request, payload));

  let persistence: EmulatorPersistence | undefined;
  let restoring: Promise<unknown> = Promise.resolve();
  // Requests that arrive while the saved state is being restored wait for it.
  app.addHook('onRequest', async () => {
    await restoring;
  });
  // A change is saved before it is answered: an answered change survives a crash. Token requests
  // count too, since a refresh-token grant issues a refresh token the client will keep.
  app.addHook('onSend', async (request, reply, payload) => {
    if (persistence && request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) {
      await persistence.save(store);
    }
    return payload;
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof EntraError) return reply.code(error.status).send(error.body(clock.now()));
    if (error instanceof PartnerCenterError) {
      if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(error.status).send(error.body());
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : String(error);
    return reply.code(status).send(new PartnerCenterError(status, String(status), message).body());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(new PartnerCenterError(404, '404', `No resource at ${request.method} ${request.url}.`).body()),
  );

  registerEntraRoutes(app, {
    store,
    clock,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
  });
  for (const register of [
    registerPartnerCenterRoutes,
    registerOrderRoutes,
    registerActivityLogRoutes,
    registerServiceRequestRoutes,
    registerSupportProfileRoutes,
    registerBillingRoutes,
  ]) {
    register(app, { store, clock });
  }
  registerAdminRoutes(app, admin);

  const host = options.host ?? '127.0.0.1';
  // The port is taken before the database is opened: a second emulator started with the same
  // settings stops here, without touching the data folder the first one has open.
  await app.listen({ port: options.port ?? 0, host });
  if (options.dataDir !== undefined) {
    const opening = openPersistence({ dataDir: options.dataDir, seed, reset: options.reset ?? false }, store);
    restoring = opening.catch(() => {});
    persistence = await opening.catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    storage: persistence?.description ?? 'in memory',
    close: async () => {
      await app.close();
      // Changes made in-process through `admin` are written now.
      await persistence?.save(store);
      await persistence?.close();
    },
    admin,
  };
}
