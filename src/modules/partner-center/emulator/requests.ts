import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '#platform/time';
import { partnerCenterResource } from './entra.ts';
import { type Customer, findCustomer, type Store } from './store.ts';
import { PartnerCenterError } from './wire.ts';

/** What every Partner Center route needs: who is calling, whose customer, which page. */
export interface PartnerCenterContext {
  store: Store;
  clock: Clock;
}

const defaultPageSize = 40;
const maxPageSize = 500;

/** Who is calling: the partner tenant, the app and, for App+User tokens, the consenting user. */
export interface Caller {
  partnerTenantId: string;
  applicationId: string;
  userPrincipalName?: string;
  correlationId: string;
}

/** Every Partner Center request needs a live Bearer token issued for the Partner Center API. */
export function callerOf(context: PartnerCenterContext, request: FastifyRequest): Caller {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const token = match ? context.store.accessTokens.get(match[1]!) : undefined;
  if (!token || token.resource !== partnerCenterResource) {
    throw new PartnerCenterError(
      401,
      '401',
      'Authorization failed: the Bearer token is missing or not valid for Partner Center.',
    );
  }
  if (token.expiresAt.getTime() <= context.clock.now().getTime()) {
    throw new PartnerCenterError(401, '401', 'Authorization failed: the Bearer token has expired.');
  }
  const correlationId = request.headers['ms-correlationid'];
  return {
    partnerTenantId: token.tenantId,
    applicationId: token.clientId,
    ...(token.userPrincipalName === undefined ? {} : { userPrincipalName: token.userPrincipalName }),
    correlationId: typeof correlationId === 'string' && correlationId ? correlationId : randomUUID(),
  };
}

export function partnerOf(context: PartnerCenterContext, request: FastifyRequest): string {
  return callerOf(context, request).partnerTenantId;
}

/** Operations documented as App+User only refuse app-only tokens (reference §2.2, code 900329). */
export function appUserOf(
  context: PartnerCenterContext,
  request: FastifyRequest,
): Caller & {
  userPrincipalName: string;
} {
  const caller = callerOf(context, request);
  if (caller.userPrincipalName === undefined) {
    throw new PartnerCenterError(
      403,
      '900329',
      'This resource does not support application-only authentication.',
    );
  }
  return { ...caller, userPrincipalName: caller.userPrincipalName };
}

export function customerOf(
  context: PartnerCenterContext,
  partnerTenantId: string,
  customerId: string,
): Customer {
  const customer = findCustomer(context.store, partnerTenantId, customerId);
  if (!customer) {
    throw new PartnerCenterError(
      403,
      '20002',
      `The partner ID ${partnerTenantId} has no commerce relationship with the customer ID ${customerId}.`,
    );
  }
  return customer;
}

/**
 * The continuation token is opaque to callers; here it carries the partner, the next offset and,
 * for listings that grow while being read, the last item that existed when the first page was served.
 */
export function encodeContinuation(partnerTenantId: string, offset: number, ceiling?: number): string {
  return Buffer.from(JSON.stringify({ p: partnerTenantId, o: offset, c: ceiling })).toString('base64url');
}

export function decodeContinuation(
  partnerTenantId: string,
  token: string,
): { offset: number; ceiling?: number } {
  const wholeNumber = (value: unknown): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      p?: unknown;
      o?: unknown;
      c?: unknown;
    };
    if (parsed.p === partnerTenantId && wholeNumber(parsed.o)) {
      return wholeNumber(parsed.c) ? { offset: parsed.o, ceiling: parsed.c } : { offset: parsed.o };
    }
  } catch {
    // falls through to the error below
  }
  throw new PartnerCenterError(
    400,
    '400',
    'The MS-ContinuationToken header is not a valid continuation token.',
  );
}

export function pageSize(raw: string | undefined, defaultSize = defaultPageSize): number {
  if (raw === undefined) return defaultSize;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw new PartnerCenterError(400, '400', `size must be a whole number from 1 to ${maxPageSize}.`);
  }
  return size;
}
