import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import { type Actor, anonymous, type Caller } from '#platform/actor';
import type { Database } from '#platform/db';
import type { Logger } from '#platform/log';
import { claimIdempotencyKey, settleIdempotencyKey } from './idempotency.ts';
import { problem, problemOf, sendProblem } from './problems.ts';

/**
 * Who may call a route: anyone; someone between password and second factor (or signed in); anyone
 * signed in; or holders of one permission of the matrix.
 */
export type RouteAccess =
  | 'public'
  | 'signing-in'
  | 'signed-in'
  | { permission: string }
  /** Holders of any one of these (e.g. the three audit-log views). */
  | { anyPermission: readonly string[] };

/** Every registered route and who may call it: the authorization tests walk this list. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Accepts an Idempotency-Key (only POSTs that move money, import or call Microsoft). */
    idempotent?: boolean;
    /** The response carries secrets: never stored for replay. */
    secretResponse?: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    routeTable: readonly RouteEntry[];
  }
}

/** Fills `request.actor` for every request; identity registers the real one. */
export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Actor>;
}

export const anonymousAuthenticator: Authenticator = { authenticate: async () => anonymous };

export type Api = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpOptions {
  log: Logger;
  database: Database;
  authenticator: Authenticator;
  /** Registers the API routes of every module under /api/v1. */
  routes: (api: Api) => void | Promise<void>;
  /** The built web app; missing means the API runs without it. */
  webDist?: string;
  version: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildHttpServer(options: HttpOptions): Promise<Api> {
  const { database } = options;
  const server = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    // A caller's request id is kept when it is sane, so logs on both sides line up.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    forceCloseConnections: 'idle',
    bodyLimit: 10 * 1024 * 1024,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });

  server.decorateRequest('actor', null as never);
  server.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.actor = await options.authenticator.authenticate(request);
  });

  const routeTable: RouteEntry[] = [];
  server.decorate('routeTable', routeTable);
  // Every API route must say who may call it: forgetting is a start-up error, not an open door.
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: route.config?.access });
    }
    const isApi = route.url.startsWith('/api/') && !route.url.startsWith('/api/docs');
    if (isApi && route.config?.access === undefined) {
      throw new Error(`Route ${route.method} ${route.url} declares no access (config.access)`);
    }
    if (route.config?.idempotent && route.method !== 'POST') {
      throw new Error(`Route ${route.method} ${route.url}: only POST routes take an Idempotency-Key`);
    }
  });

  server.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const actor = request.actor;
    if (actor.kind === 'anonymous' || actor.kind === 'system' || actor.kind === 'operator') {
      return sendProblem(reply, problem(request, 401, 'unauthenticated', 'Sign in to use this'));
    }
    if (actor.kind === 'signing-in') {
      if (access === 'signing-in') return;
      const detail =
        actor.step === 'mfa-enrolment'
          ? 'Set up two-step verification to continue'
          : 'Enter your verification code to continue';
      return sendProblem(
        reply,
        problem(
          request,
          401,
          actor.step === 'mfa-enrolment' ? 'mfa-enrolment-required' : 'mfa-required',
          detail,
        ),
      );
    }
    if (typeof access === 'object') {
      const permissions = 'permissions' in actor ? actor.permissions : new Set<string>();
      const needed = 'permission' in access ? [access.permission] : access.anyPermission;
      if (!needed.some((permission) => permissions.has(permission))) {
        return sendProblem(
          reply,
          problem(request, 403, 'forbidden', `This needs the permission ${needed.join(' or ')}`),
        );
      }
    }
    if (request.routeOptions.config.idempotent) return claimIdempotencyKey(database, request, reply);
  });

  server.addHook('onSend', async (request, reply, payload) => {
    // Responses finishing during shutdown close their connection, so keep-alive does not hold it open.
    if (closing) reply.header('connection', 'close');
    if (request.idempotencyClaim) {
      await settleIdempotencyKey(
        database,
        request,
        reply.statusCode,
        payload,
        request.routeOptions.config.secretResponse === true,
      );
    }
    return payload;
  });

  server.setErrorHandler((error, request, reply) => {
    const body = problemOf(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });

  await server.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'partnerdesk API',
        version: options.version,
        description: 'Billing and support for Microsoft CSP partners.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'pd_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  server.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  server.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (closing)
      return sendProblem(reply, problem(request, 503, 'shutting-down', 'This process is shutting down'));
    try {
      await database.db.execute(sql`select 1`);
    } catch {
      return sendProblem(
        reply,
        problem(request, 503, 'database-unavailable', 'The database does not answer'),
      );
    }
    return { status: 'ready' };
  });

  await server.register(async (api) => options.routes(api as unknown as Api), { prefix: '/api/v1' });

  const webDist = options.webDist;
  const hasWeb = webDist !== undefined && existsSync(join(webDist, 'index.html'));
  if (hasWeb) {
    await server.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  server.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      request.headers.accept?.includes('text/html');
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    return sendProblem(
      reply,
      problem(request, 404, 'not-found', `No route for ${request.method} ${request.url.split('?')[0]}`),
    );
  });

  return server;
}

/** The actor of a request with where it came from, as services and audit events take it. */
export function callerOf(request: FastifyRequest): Caller {
  return { actor: request.actor, ip: request.ip, requestId: String(request.id) };
}
