import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { type Clock, systemClock } from '#platform/time';
import { registerActivityLogRoutes } from './activity-log.ts';
import { createAdmin, type EmulatorAdmin, registerAdminRoutes } from './admin.ts';
import { EntraError, registerEntraRoutes } from './entra.ts';
import { type FaultConfig, injectFaults, malformBody, parseFaultConfig } from './faults.ts';
import { registerOrderRoutes } from './orders.ts';
import { registerPartnerCenterRoutes } from './partner-center.ts';
import { seedStore } from './seed.ts';
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
}

export interface RunningEmulator {
  /** Both the token authority and the Partner Center base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  close(): Promise<void>;
  admin: EmulatorAdmin;
}

export const defaultEmulatorSeed = 'partnerdesk';

/**
 * A local server of Microsoft's documented APIs — Entra token endpoints and Partner Center REST —
 * separate from partnerdesk's own HTTP server, for the demo, development and tests.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? systemClock;
  const { store, credentials } = seedStore(options.seed ?? defaultEmulatorSeed, clock.now());
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
  ]) {
    register(app, { store, clock });
  }
  registerAdminRoutes(app, admin);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { url: `http://${host}:${port}`, close: () => app.close(), admin };
}
