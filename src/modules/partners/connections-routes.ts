import Type, { type Static, type TSchema } from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { checkConnection, deleteConnection, listConnections, saveConnection } from './connections.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = () => Type.String({ format: 'date-time' });

/** A Partner Center connection without its secrets: only whether they are set, and the token's age. */
export const ConnectionResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cloud: Type.Union([Type.Literal('public'), Type.Literal('usgov'), Type.Literal('china')]),
  tenantId: Type.String(),
  clientId: Type.String(),
  clientSecretSet: Type.Literal(true),
  refreshTokenSet: Type.Boolean(),
  refreshTokenIssuedAt: Nullable(Instant()),
  refreshTokenAgeDays: Nullable(Type.Integer()),
  renewBy: Nullable(Instant()),
  warning: Type.Union([Type.Literal('none'), Type.Literal('renew-soon'), Type.Literal('expired')]),
  baseUrl: Nullable(Type.String()),
  authority: Nullable(Type.String()),
  status: Type.Union([Type.Literal('untested'), Type.Literal('ok'), Type.Literal('failed')]),
  lastCheckedAt: Nullable(Instant()),
  lastError: Nullable(Type.String()),
  createdAt: Instant(),
  updatedAt: Instant(),
});
export type ConnectionResponse = Static<typeof ConnectionResponse>;

const ConnectionBody = Type.Object(
  {
    tenantId: Type.String({ maxLength: 253 }),
    clientId: Type.String({ maxLength: 36 }),
    /** Absent keeps the stored secret; required for a new connection. */
    clientSecret: Type.Optional(Type.String({ maxLength: 8000 })),
    /** Absent keeps the stored refresh token, null removes it. */
    refreshToken: Type.Optional(Nullable(Type.String({ maxLength: 8000 }))),
    baseUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    authority: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

// The cloud is checked by the service, so Germany is refused with the reason, not a schema error.
const CloudParams = Type.Object({ cloud: Type.String({ maxLength: 20 }) });

const manage = { access: { permission: 'partner.manage' } } as const;

export async function connectionRoutes(api: Api, app: AppContext) {
  api.get(
    '/partner/connections',
    {
      config: manage,
      schema: {
        tags: ['partners'],
        summary: "The partner's Partner Center connections, one per cloud instance, without secrets",
        response: { 200: Type.Array(ConnectionResponse) },
      },
    },
    async (request) => listConnections(app, callerOf(request)),
  );

  api.put(
    '/partner/connections/:cloud',
    {
      config: manage,
      schema: {
        tags: ['partners'],
        summary: 'Create or replace the connection to one cloud instance; secrets are write-only',
        params: CloudParams,
        body: ConnectionBody,
        response: { 200: ConnectionResponse },
      },
    },
    async (request) => saveConnection(app, callerOf(request), request.params.cloud, request.body),
  );

  api.delete(
    '/partner/connections/:cloud',
    {
      config: manage,
      schema: {
        tags: ['partners'],
        summary: 'Remove the connection to one cloud instance',
        params: CloudParams,
      },
    },
    async (request, reply) => {
      await deleteConnection(app, callerOf(request), request.params.cloud);
      return reply.code(204).send();
    },
  );

  api.post(
    '/partner/connections/:cloud/check',
    {
      config: manage,
      schema: {
        tags: ['partners'],
        summary: 'Ask Microsoft for tokens with the stored credentials and record whether it worked',
        params: CloudParams,
        response: { 200: ConnectionResponse },
      },
    },
    async (request) => checkConnection(app, callerOf(request), request.params.cloud),
  );
}
