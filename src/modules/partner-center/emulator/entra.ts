import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '#platform/time';
import { findPartner, type PartnerTenant, type Store } from './store.ts';

/** Resources the emulator issues tokens for; Graph is here for the billing exports of later slices. */
export const partnerCenterResource = 'https://api.partnercenter.microsoft.com';
const knownResources = [partnerCenterResource, 'https://graph.microsoft.com'];

/** Secure Application Model refresh tokens live 90 days (reference §2.2). */
const refreshTokenLifetimeMs = 90 * 86_400_000;

/** Entra's error body: an OAuth error plus an AADSTS code in the description and `error_codes`. */
export class EntraError extends Error {
  readonly status: number;
  readonly error: string;
  readonly aadsts: number;

  constructor(status: number, error: string, aadsts: number, description: string) {
    super(description);
    this.status = status;
    this.error = error;
    this.aadsts = aadsts;
  }

  body(now: Date) {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    };
  }
}

export interface EntraContext {
  store: Store;
  clock: Clock;
  accessTokenLifetimeSeconds: number;
}

type Form = Record<string, string | undefined>;

/** v1 names the API with `resource`; v2 with `scope` = `<resource>/.default` or `<resource>/<permission>`. */
function resourceOf(form: Form, version: 'v1' | 'v2', tenant: PartnerTenant): string {
  let resource: string | undefined;
  if (version === 'v1') {
    resource = form.resource;
  } else {
    const scopes = (form.scope ?? '').split(' ').filter((scope) => scope.includes('/'));
    resource = scopes[0]?.slice(0, scopes[0].lastIndexOf('/'));
  }
  if (!resource) {
    const parameter = version === 'v1' ? 'resource' : 'scope';
    throw new EntraError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${parameter}'.`,
    );
  }
  const known = knownResources.find((candidate) => candidate === resource.replace(/\/+$/, ''));
  if (!known) {
    throw new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant.domain}.`,
    );
  }
  return known;
}

function authenticateClient(form: Form, tenant: PartnerTenant) {
  const app = tenant.apps.find((candidate) => candidate.clientId === form.client_id?.toLowerCase());
  if (!app) {
    throw new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${form.client_id ?? ''}' was not found in the directory '${tenant.domain}'.`,
    );
  }
  if (app.clientSecret !== form.client_secret) {
    throw new EntraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  }
  return app;
}

function issue(
  context: EntraContext,
  tenant: PartnerTenant,
  clientId: string,
  resource: string,
  userPrincipalName: string | undefined,
) {
  const now = context.clock.now();
  const accessToken = `pcemu.${randomBytes(24).toString('base64url')}`;
  context.store.accessTokens.set(accessToken, {
    tenantId: tenant.tenantId,
    clientId,
    resource,
    expiresAt: new Date(now.getTime() + context.accessTokenLifetimeSeconds * 1000),
    ...(userPrincipalName === undefined ? {} : { userPrincipalName }),
  });
  return { accessToken, now };
}

/** Exchanges a refresh token; the old one stays valid (as in Entra) until its grant is revoked. */
function redeemRefreshToken(
  context: EntraContext,
  form: Form,
  clientId: string,
): { refreshToken: string; userPrincipalName: string } {
  const presented = context.store.refreshTokens.get(form.refresh_token ?? '');
  const grant = presented && context.store.grants.get(presented.grantId);
  const now = context.clock.now();
  if (!presented || !grant || grant.clientId !== clientId) {
    throw new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  }
  if (grant.revoked) {
    throw new EntraError(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${presented.issuedAt.toISOString()}'.`,
    );
  }
  if (now.getTime() - presented.issuedAt.getTime() > refreshTokenLifetimeMs) {
    throw new EntraError(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${presented.issuedAt.toISOString()} and was inactive for 90.00:00:00.`,
    );
  }
  const refreshToken = `0.${randomBytes(30).toString('base64url')}`;
  context.store.refreshTokens.set(refreshToken, { grantId: grant.id, issuedAt: now });
  return { refreshToken, userPrincipalName: grant.userPrincipalName };
}

function tokenResponse(
  version: 'v1' | 'v2',
  context: EntraContext,
  issued: { accessToken: string; now: Date },
  resource: string,
  refreshToken: string | undefined,
) {
  const lifetime = context.accessTokenLifetimeSeconds;
  const nowSeconds = Math.floor(issued.now.getTime() / 1000);
  const userPart =
    refreshToken === undefined ? {} : { scope: 'user_impersonation', refresh_token: refreshToken };
  if (version === 'v2') {
    return {
      token_type: 'Bearer',
      ...(refreshToken === undefined ? {} : { scope: `${resource}/user_impersonation` }),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: issued.accessToken,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    };
  }
  // The v1 endpoint sends its numbers as strings, as the documented response does.
  return {
    token_type: 'Bearer',
    ...userPart,
    expires_in: String(lifetime),
    ext_expires_in: String(lifetime),
    expires_on: String(nowSeconds + lifetime),
    not_before: String(nowSeconds),
    resource,
    access_token: issued.accessToken,
  };
}

export function registerEntraRoutes(app: FastifyInstance, context: EntraContext) {
  for (const version of ['v1', 'v2'] as const) {
    const path = version === 'v1' ? '/:tenant/oauth2/token' : '/:tenant/oauth2/v2.0/token';
    app.post<{ Params: { tenant: string }; Body: Form }>(path, async (request, reply) => {
      const form = typeof request.body === 'object' && request.body !== null ? request.body : {};
      const tenant = findPartner(context.store, request.params.tenant);
      if (!tenant) {
        throw new EntraError(
          400,
          'invalid_tenant',
          90002,
          `Tenant '${request.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
      }
      const grantType = form.grant_type;
      if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
        throw new EntraError(
          400,
          'unsupported_grant_type',
          70003,
          `The app requested an unsupported grant type '${grantType ?? ''}'.`,
        );
      }
      const app = authenticateClient(form, tenant);
      const resource = resourceOf(form, version, tenant);
      const user =
        grantType === 'refresh_token' ? redeemRefreshToken(context, form, app.clientId) : undefined;
      const issued = issue(context, tenant, app.clientId, resource, user?.userPrincipalName);
      reply.header('cache-control', 'no-store, no-cache');
      return tokenResponse(version, context, issued, resource, user?.refreshToken);
    });
  }
}

/** The emulator's admin revokes a consent: every refresh token issued from it then fails with 50173. */
export function revokeRefreshToken(store: Store, refreshToken: string): boolean {
  const token = store.refreshTokens.get(refreshToken);
  const grant = token && store.grants.get(token.grantId);
  if (!grant) return false;
  grant.revoked = true;
  return true;
}
