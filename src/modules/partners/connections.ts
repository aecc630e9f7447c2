import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import {
  type CloudName,
  createBillingClient,
  createPartnerCenterClient,
  type PartnerCenterBillingClient,
  type PartnerCenterClient,
  type PartnerCenterClientOptions,
  PartnerCenterError,
  resolveCloud,
} from '#modules/partner-center';
import { type Caller, systemActor } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { byTenantKey, type Queryable, scoped, type Tx, withTransaction } from '#platform/db';
import { invalid, notFound } from '#platform/errors';
import { SecretError } from '#platform/secrets';
import { partnerCenterConnections } from './connections-schema.ts';
import { parseOptional, parseText, parseWebAddress } from './fields.ts';
import { partnerStaff, requirePermission } from './policies.ts';

type ConnectionRow = typeof partnerCenterConnections.$inferSelect;
export type ConnectionCloud = ConnectionRow['cloud'];
export type ConnectionStatus = ConnectionRow['status'];

const DAY_MS = 86_400_000;
/** Entra lets a refresh token go unused for 90 days; the warning starts two weeks before. */
export const REFRESH_TOKEN_LIFETIME_DAYS = 90;
export const RENEW_SOON_DAYS = 75;

export type RefreshTokenWarning = 'none' | 'renew-soon' | 'expired';

/** A connection as staff see it: never a secret, only whether one is set. */
export interface ConnectionView {
  id: string;
  cloud: ConnectionCloud;
  tenantId: string;
  clientId: string;
  clientSecretSet: true;
  refreshTokenSet: boolean;
  refreshTokenIssuedAt: string | null;
  refreshTokenAgeDays: number | null;
  /** The last moment the refresh token works unless renewed (issued + 90 days). */
  renewBy: string | null;
  warning: RefreshTokenWarning;
  baseUrl: string | null;
  authority: string | null;
  status: ConnectionStatus;
  lastCheckedAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What PUT takes. Absent secrets keep the stored ones; `refreshToken: null` removes it. */
export interface ConnectionInput {
  tenantId?: unknown;
  clientId?: unknown;
  clientSecret?: unknown;
  refreshToken?: unknown;
  baseUrl?: unknown;
  authority?: unknown;
}

export function refreshTokenAge(
  issuedAt: Date | null,
  now: Date,
): Pick<ConnectionView, 'refreshTokenAgeDays' | 'renewBy' | 'warning'> {
  if (!issuedAt) return { refreshTokenAgeDays: null, renewBy: null, warning: 'none' };
  const ageMs = now.getTime() - issuedAt.getTime();
  const warning =
    ageMs > REFRESH_TOKEN_LIFETIME_DAYS * DAY_MS
      ? 'expired'
      : ageMs >= RENEW_SOON_DAYS * DAY_MS
        ? 'renew-soon'
        : 'none';
  return {
    refreshTokenAgeDays: Math.max(0, Math.floor(ageMs / DAY_MS)),
    renewBy: new Date(issuedAt.getTime() + REFRESH_TOKEN_LIFETIME_DAYS * DAY_MS).toISOString(),
    warning,
  };
}

export function presentConnection(row: ConnectionRow, now: Date): ConnectionView {
  return {
    id: row.id,
    cloud: row.cloud,
    tenantId: row.tenantId,
    clientId: row.clientId,
    clientSecretSet: true,
    refreshTokenSet: row.refreshToken !== null,
    refreshTokenIssuedAt: row.refreshTokenIssuedAt?.toISOString() ?? null,
    ...refreshTokenAge(row.refreshTokenIssuedAt, now),
    baseUrl: row.baseUrl,
    authority: row.authority,
    status: row.status,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// --- queries: always inside one partner ---

async function connectionRow(
  db: Queryable,
  partnerId: string,
  cloud: ConnectionCloud,
  lock = false,
): Promise<ConnectionRow | undefined> {
  const query = db
    .select()
    .from(partnerCenterConnections)
    .where(scoped(partnerCenterConnections, { partnerId }, eq(partnerCenterConnections.cloud, cloud)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

function updateRow(tx: Tx, row: ConnectionRow, values: Partial<ConnectionRow>): Promise<ConnectionRow[]> {
  return tx
    .update(partnerCenterConnections)
    .set(values)
    .where(byTenantKey(partnerCenterConnections, row))
    .returning();
}

// --- parsing ---

/** The instance named in the address; unknown and retired ones (Germany) are refused, naming `cloud`. */
export function parseConnectionCloud(value: string): ConnectionCloud {
  return resolveCloud(value).name as Exclude<CloudName, 'germany'>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function parseTenant(value: unknown): string {
  const text = parseText(value, 'tenantId', 253);
  if (!GUID.test(text) && !DOMAIN.test(text)) {
    throw invalid(
      'invalid-tenant',
      'tenantId must be the Entra tenant id (a GUID) or its domain, such as contoso.onmicrosoft.com',
      { field: 'tenantId' },
    );
  }
  return text.toLowerCase();
}

function parseClientId(value: unknown): string {
  const text = parseText(value, 'clientId', 36);
  if (!GUID.test(text)) {
    throw invalid('invalid-client-id', 'clientId must be the application (client) id, a GUID', {
      field: 'clientId',
    });
  }
  return text.toLowerCase();
}

/** Pasted secrets lose surrounding blanks; blank is not a secret. */
function parseSecret(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid('required', `${field} is required`, { field });
  }
  if (value.length > 8000) throw invalid('too-long', `${field} is too long`, { field });
  return value.trim();
}

// --- secrets ---

function sealedAs(partnerId: string, connectionId: string, column: 'client_secret' | 'refresh_token') {
  return `pc:${partnerId}:${connectionId}:${column}`;
}

export function seal(
  app: AppContext,
  row: Pick<ConnectionRow, 'partnerId' | 'id'>,
  column: 'client_secret' | 'refresh_token',
  plaintext: string,
) {
  return app.secrets.encrypt(plaintext, sealedAs(row.partnerId, row.id, column));
}

function open(app: AppContext, row: ConnectionRow) {
  return {
    tenantId: row.tenantId,
    clientId: row.clientId,
    clientSecret: app.secrets.decrypt(row.clientSecret, sealedAs(row.partnerId, row.id, 'client_secret')),
    ...(row.refreshToken !== null && {
      refreshToken: app.secrets.decrypt(row.refreshToken, sealedAs(row.partnerId, row.id, 'refresh_token')),
    }),
  };
}

/** What an audit event may say about a connection: never a secret, only which ones were replaced. */
function auditable(row: ConnectionRow) {
  return {
    cloud: row.cloud,
    tenantId: row.tenantId,
    clientId: row.clientId,
    baseUrl: row.baseUrl,
    authority: row.authority,
    status: row.status,
  };
}

// --- services ---

/** A partner's own staff holding `partner.manage`; to a customer user connections do not exist. */
function manager(caller: Caller): { partnerId: string } {
  const actor = requirePermission(caller, 'partner.manage');
  partnerStaff(caller, 'Connection');
  return { partnerId: actor.partnerId };
}

export async function listConnections(app: AppContext, caller: Caller): Promise<ConnectionView[]> {
  const actor = manager(caller);
  const rows = await app.database.db
    .select()
    .from(partnerCenterConnections)
    .where(scoped(partnerCenterConnections, actor))
    .orderBy(asc(partnerCenterConnections.cloud));
  const now = app.clock.now();
  return rows.map((row) => presentConnection(row, now));
}

export async function getConnection(app: AppContext, caller: Caller, cloud: string): Promise<ConnectionView> {
  const actor = manager(caller);
  const row = await connectionRow(app.database.db, actor.partnerId, parseConnectionCloud(cloud));
  if (!row) throw notFound('Connection');
  return presentConnection(row, app.clock.now());
}

/**
 * Creates or replaces the connection of one cloud instance. A new refresh token starts its 90 days
 * now; any change of credentials or endpoints makes the connection untested again.
 */
export async function saveConnection(
  app: AppContext,
  caller: Caller,
  cloudName: string,
  input: ConnectionInput,
): Promise<ConnectionView> {
  const actor = manager(caller);
  const cloud = parseConnectionCloud(cloudName);
  const tenantId = parseTenant(input.tenantId);
  const clientId = parseClientId(input.clientId);
  const clientSecret =
    input.clientSecret === undefined ? undefined : parseSecret(input.clientSecret, 'clientSecret');
  const refreshToken =
    input.refreshToken === undefined
      ? undefined
      : parseOptional(input.refreshToken, (value) => parseSecret(value, 'refreshToken'));
  const baseUrl = parseOptional(input.baseUrl, (value) => parseWebAddress(value, 'baseUrl'));
  const authority = parseOptional(input.authority, (value) => parseWebAddress(value, 'authority'));
  const now = app.clock.now();

  return withTransaction(app.database, async (tx) => {
    const current = await connectionRow(tx, actor.partnerId, cloud, true);
    const id = current?.id ?? randomUUID();
    const key = { partnerId: actor.partnerId, id };
    if (!current && clientSecret === undefined) {
      throw invalid('required', 'clientSecret is required for a new connection', { field: 'clientSecret' });
    }
    const replaced = [
      ...(clientSecret !== undefined ? ['clientSecret'] : []),
      ...(refreshToken !== undefined ? [refreshToken === null ? 'refreshTokenRemoved' : 'refreshToken'] : []),
    ];
    const values = {
      tenantId,
      clientId,
      baseUrl,
      authority,
      ...(clientSecret !== undefined && { clientSecret: seal(app, key, 'client_secret', clientSecret) }),
      ...(refreshToken !== undefined && {
        refreshToken: refreshToken === null ? null : seal(app, key, 'refresh_token', refreshToken),
        refreshTokenIssuedAt: refreshToken === null ? null : now,
      }),
    };
    if (!current) {
      const [row] = await tx
        .insert(partnerCenterConnections)
        .values({
          ...key,
          cloud,
          ...values,
          clientSecret: values.clientSecret!,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordAudit(tx, caller, {
        partnerId: actor.partnerId,
        action: 'connection.created',
        target: { type: 'connection', id },
        after: { ...auditable(row!), replaced },
      });
      return presentConnection(row!, now);
    }
    const changed =
      replaced.length > 0 ||
      tenantId !== current.tenantId ||
      clientId !== current.clientId ||
      baseUrl !== current.baseUrl ||
      authority !== current.authority;
    if (!changed) return presentConnection(current, now);
    const [row] = await updateRow(tx, current, {
      ...values,
      status: 'untested',
      lastError: null,
      updatedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      action: 'connection.updated',
      target: { type: 'connection', id },
      before: auditable(current),
      after: { ...auditable(row!), replaced },
    });
    return presentConnection(row!, now);
  });
}

export async function deleteConnection(app: AppContext, caller: Caller, cloudName: string): Promise<void> {
  const actor = manager(caller);
  const cloud = parseConnectionCloud(cloudName);
  await withTransaction(app.database, async (tx) => {
    const current = await connectionRow(tx, actor.partnerId, cloud, true);
    if (!current) throw notFound('Connection');
    await tx
      .delete(partnerCenterConnections)
      .where(
        and(
          eq(partnerCenterConnections.partnerId, current.partnerId),
          eq(partnerCenterConnections.id, current.id),
        ),
      );
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      action: 'connection.deleted',
      target: { type: 'connection', id: current.id },
      before: auditable(current),
    });
  });
}

type ClientTuning = Omit<
  PartnerCenterClientOptions,
  'cloud' | 'baseUrl' | 'authority' | 'credentials' | 'onRefreshToken'
>;

function clientOptions(
  app: AppContext,
  row: ConnectionRow,
  credentials: ReturnType<typeof open>,
  onRefreshToken: ((refreshToken: string) => Promise<void>) | undefined,
  tuning: ClientTuning,
): PartnerCenterClientOptions {
  return {
    ...tuning,
    cloud: row.cloud,
    ...(row.baseUrl !== null && { baseUrl: row.baseUrl }),
    // An overridden API base (the emulator) serves Graph's billing exports too; Microsoft's own
    // Graph endpoint is the instance's, and its exports exist for the public cloud only.
    ...(row.baseUrl !== null && { graphUrl: row.baseUrl }),
    ...(row.authority !== null && { authority: row.authority }),
    credentials,
    ...(onRefreshToken && { onRefreshToken }),
    now: () => app.clock.now().getTime(),
  };
}

function clientFor(
  app: AppContext,
  row: ConnectionRow,
  credentials: ReturnType<typeof open>,
  onRefreshToken: ((refreshToken: string) => Promise<void>) | undefined,
  tuning: ClientTuning = {},
): PartnerCenterClient {
  return createPartnerCenterClient(clientOptions(app, row, credentials, onRefreshToken, tuning));
}

/**
 * Stores a refresh token Entra handed back, with a new issued-at, unless the connection's credentials
 * were replaced meanwhile (then the new ones win).
 */
async function storeRotatedToken(
  app: AppContext,
  caller: Caller,
  read: ConnectionRow,
  refreshToken: string,
): Promise<void> {
  const now = app.clock.now();
  const stored = await withTransaction(app.database, async (tx) => {
    const current = await connectionRow(tx, read.partnerId, read.cloud, true);
    if (!current || !sameCredentials(current, read)) return undefined;
    const [row] = await updateRow(tx, current, {
      refreshToken: seal(app, current, 'refresh_token', refreshToken),
      refreshTokenIssuedAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId: current.partnerId,
      action: 'connection.refresh_token_renewed',
      target: { type: 'connection', id: current.id },
      before: { refreshTokenIssuedAt: current.refreshTokenIssuedAt },
      after: { refreshTokenIssuedAt: row!.refreshTokenIssuedAt },
    });
    return row!;
  });
  // The client keeps this row: the next rotation compares against what is stored now.
  if (stored) read.refreshToken = stored.refreshToken;
}

function sameCredentials(a: ConnectionRow, b: ConnectionRow): boolean {
  return (
    a.id === b.id &&
    a.clientSecret === b.clientSecret &&
    a.refreshToken === b.refreshToken &&
    a.tenantId === b.tenantId &&
    a.clientId === b.clientId &&
    a.baseUrl === b.baseUrl &&
    a.authority === b.authority
  );
}

/** Why a check failed, in Microsoft's words where it gave them. */
function failureText(error: unknown): string {
  if (error instanceof PartnerCenterError) return error.message.slice(0, 2000);
  if (error instanceof SecretError) {
    return `The stored secrets cannot be opened with this installation's keys (${error.message}); enter them again.`;
  }
  throw error;
}

/** The first customer (or none): enough for Partner Center to accept or refuse the token. */
async function probe(client: PartnerCenterClient): Promise<void> {
  for await (const _customer of client.listCustomers()) break;
}

/**
 * Asks Entra for an App-only token and, with a refresh token, an App+User token, and uses each once
 * against Partner Center — all outside any transaction — then records `ok` or `failed` with what
 * Microsoft said, in one short transaction with its audit event.
 */
export async function checkConnection(
  app: AppContext,
  caller: Caller,
  cloudName: string,
): Promise<ConnectionView> {
  const actor = manager(caller);
  const cloud = parseConnectionCloud(cloudName);
  const read = await connectionRow(app.database.db, actor.partnerId, cloud);
  if (!read) throw notFound('Connection');
  const tuning: ClientTuning = { maxAttempts: 3, timeoutMs: 30_000, maxWaitMs: 30_000, pageSize: 1 };

  let error: string | null = null;
  let rotated: string | undefined;
  try {
    const credentials = open(app, read);
    const { refreshToken, ...appOnly } = credentials;
    await probe(clientFor(app, read, appOnly, undefined, tuning));
    if (refreshToken !== undefined) {
      const keep = async (token: string) => {
        rotated = token;
      };
      await probe(clientFor(app, read, credentials, keep, tuning));
    }
  } catch (thrown) {
    error = failureText(thrown);
  }

  const now = app.clock.now();
  return withTransaction(app.database, async (tx) => {
    const current = await connectionRow(tx, actor.partnerId, cloud, true);
    if (!current) throw notFound('Connection');
    // Replaced while the check ran: the result speaks of credentials that are no longer stored.
    if (!sameCredentials(current, read)) return presentConnection(current, now);
    const status = error === null ? 'ok' : 'failed';
    // Entra handed back a new refresh token: it is the one to keep, and its 90 days start now.
    const renewed = rotated !== undefined && {
      refreshToken: seal(app, current, 'refresh_token', rotated),
      refreshTokenIssuedAt: now,
    };
    const [row] = await updateRow(tx, current, {
      status,
      lastError: error,
      lastCheckedAt: now,
      updatedAt: now,
      ...renewed,
    });
    await recordAudit(tx, caller, {
      partnerId: actor.partnerId,
      action: 'connection.checked',
      target: { type: 'connection', id: current.id },
      before: {
        status: current.status,
        lastError: current.lastError,
        refreshTokenIssuedAt: current.refreshTokenIssuedAt,
      },
      after: { status, lastError: error, refreshTokenIssuedAt: row!.refreshTokenIssuedAt },
    });
    return presentConnection(row!, now);
  });
}

/** The partner's connection to one cloud instance, opened for a job: its row, credentials and token keeper. */
async function openForJob(
  app: AppContext,
  partnerId: string,
  cloudName: string,
  caller: Caller = { actor: systemActor('partner-center') },
) {
  const cloud = parseConnectionCloud(cloudName);
  const row = await connectionRow(app.database.db, partnerId, cloud);
  if (!row) throw notFound('Connection');
  const credentials = open(app, row);
  const rotated =
    credentials.refreshToken === undefined
      ? undefined
      : (token: string) => storeRotatedToken(app, caller, row, token);
  return { row, credentials, rotated };
}

/**
 * A ready client for a partner's connection to one cloud instance, for the sync jobs. A refresh token
 * Entra rotates is stored at once, audited as done by `caller` (the system by default).
 */
export async function getConnectionClient(
  app: AppContext,
  partnerId: string,
  cloudName: string,
  options: { caller?: Caller; tuning?: ClientTuning } = {},
): Promise<PartnerCenterClient> {
  const { row, credentials, rotated } = await openForJob(app, partnerId, cloudName, options.caller);
  return clientFor(app, row, credentials, rotated, options.tuning);
}

/** The same connection's billing client: invoices, v1 line items and Graph billing exports. */
export async function getConnectionBillingClient(
  app: AppContext,
  partnerId: string,
  cloudName: string,
  options: { caller?: Caller; tuning?: ClientTuning } = {},
): Promise<PartnerCenterBillingClient> {
  const { row, credentials, rotated } = await openForJob(app, partnerId, cloudName, options.caller);
  return createBillingClient(clientOptions(app, row, credentials, rotated, options.tuning ?? {}));
}

/**
 * What a job learnt about a connection while using it — a revoked credential stops the sync and is
 * shown on the connection, a later success clears it — recorded with its audit event only when the
 * status changes, so a healthy hourly sync writes nothing here.
 */
export async function recordConnectionOutcome(
  app: AppContext,
  partnerId: string,
  cloudName: string,
  outcome: { error: string | null },
  caller: Caller = { actor: systemActor('partner-center') },
): Promise<void> {
  const cloud = parseConnectionCloud(cloudName);
  const now = app.clock.now();
  await withTransaction(app.database, async (tx) => {
    const current = await connectionRow(tx, partnerId, cloud, true);
    if (!current) return;
    const status = outcome.error === null ? 'ok' : 'failed';
    if (current.status === status && current.lastError === outcome.error) return;
    await updateRow(tx, current, { status, lastError: outcome.error, lastCheckedAt: now, updatedAt: now });
    await recordAudit(tx, caller, {
      partnerId,
      action: 'connection.checked',
      target: { type: 'connection', id: current.id },
      before: { status: current.status, lastError: current.lastError },
      after: { status, lastError: outcome.error },
    });
  });
}

/** One connected cloud instance of a partner, as anyone who pulls through it may see it: no secrets. */
export interface PartnerCloud {
  cloud: ConnectionCloud;
  status: ConnectionStatus;
  lastError: string | null;
}

/**
 * One partner's connected cloud instances and how their last use went. Unlike `listConnections` it
 * asks for no permission: the modules that work through a connection (vendor bills' pulls, for a
 * Billing admin without `partner.manage`) check their own.
 */
export function listPartnerClouds(db: Queryable, partnerId: string): Promise<PartnerCloud[]> {
  return db
    .select({
      cloud: partnerCenterConnections.cloud,
      status: partnerCenterConnections.status,
      lastError: partnerCenterConnections.lastError,
    })
    .from(partnerCenterConnections)
    .where(scoped(partnerCenterConnections, { partnerId }))
    .orderBy(asc(partnerCenterConnections.cloud));
}

/** Every partner's connected cloud instances, for the jobs that visit each connection in turn. */
export function listConnectedClouds(db: Queryable): Promise<{ partnerId: string; cloud: ConnectionCloud }[]> {
  return db
    .select({ partnerId: partnerCenterConnections.partnerId, cloud: partnerCenterConnections.cloud })
    .from(partnerCenterConnections)
    .orderBy(partnerCenterConnections.partnerId, partnerCenterConnections.cloud);
}
