import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BillingExport, BillingExportKind } from './billing-store.ts';
import { exportRow, presentDailyUsage, presentReconciliationLine } from './billing-wire.ts';
import { unbilledMonth } from './invoices.ts';
import type { PartnerCenterContext } from './requests.ts';
import { field, textField } from './wire.ts';

export const graphResource = 'https://graph.microsoft.com';
const billingPath = '/v1.0/reports/partners/billing';
/** Rows per blob: small, so that the seeded exports come in several blobs as large ones do. */
const rowsPerBlob = 100;

/** Microsoft Graph's error body: `{ error: { code, message } }`. */
class GraphError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function graphPartnerOf(context: PartnerCenterContext, request: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const token = match ? context.store.accessTokens.get(match[1]!) : undefined;
  if (!token || token.resource !== graphResource) {
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Access token is empty or not issued for Microsoft Graph (https://graph.microsoft.com).',
    );
  }
  if (token.expiresAt.getTime() <= context.clock.now().getTime()) {
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    );
  }
  const partner = context.store.partners.find((candidate) => candidate.tenantId === token.tenantId)!;
  // The partner billing API is in the global service only, not in US Government or 21Vianet (§2.1).
  if (partner.cloud !== 'public') {
    throw new GraphError(
      400,
      'BadRequest',
      `Resource not found for the segment 'partners': the partner billing reports exist in the global service only, not in the ${partner.cloud} cloud.`,
    );
  }
  return partner.tenantId;
}

/** Answers Graph's own error shape rather than Partner Center's. */
function graphRoute<R extends FastifyRequest>(
  handler: (request: R, reply: FastifyReply) => Promise<unknown>,
) {
  return async (request: R, reply: FastifyReply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    }
  };
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host}`;
}

/** The rows an export holds, as JSON values: the v1 line items' values under the export's names. */
function exportRows(
  context: PartnerCenterContext,
  partnerTenantId: string,
  kind: BillingExportKind,
  body: unknown,
): Array<Record<string, unknown>> {
  const { store } = context;
  const usage = kind === 'billed-usage' || kind === 'unbilled-usage';
  let selected: { invoiceId?: string; month?: string };
  if (kind === 'billed-reconciliation' || kind === 'billed-usage') {
    const invoiceId = textField(body, 'invoiceId');
    if (invoiceId === undefined)
      throw new GraphError(400, 'BadRequest', "The parameter 'invoiceId' is required.");
    selected = { invoiceId: invoiceId.toUpperCase() };
  } else {
    const currencyCode = textField(body, 'currencyCode');
    const period = textField(body, 'billingPeriod')?.toLowerCase();
    if (currencyCode === undefined || (period !== 'current' && period !== 'last')) {
      throw new GraphError(
        400,
        'BadRequest',
        "The parameters 'currencyCode' and 'billingPeriod' (current or last) are required.",
      );
    }
    const partner = store.partners.find((candidate) => candidate.tenantId === partnerTenantId)!;
    const month =
      currencyCode.toUpperCase() === partner.currencyCode
        ? unbilledMonth(
            store,
            partnerTenantId,
            period === 'last' ? 'previous' : 'current',
            context.clock.now(),
          )
        : undefined;
    if (month === undefined) return [];
    selected = { month };
  }
  const chosen = <T extends { partnerTenantId: string; invoiceId?: string; month: string }>(items: T[]) =>
    items.filter(
      (item) =>
        item.partnerTenantId === partnerTenantId &&
        (selected.invoiceId !== undefined
          ? item.invoiceId === selected.invoiceId
          : item.month === selected.month && item.invoiceId === undefined),
    );
  return usage
    ? chosen(store.dailyUsage).map((line) => exportRow(presentDailyUsage(store, line), true))
    : chosen(store.reconciliationLines).map((line) =>
        exportRow(presentReconciliationLine(store, line), false),
      );
}

function createExport(
  context: PartnerCenterContext,
  partnerTenantId: string,
  kind: BillingExportKind,
  body: unknown,
): BillingExport {
  const attributeSet = textField(body, 'attributeSet') ?? 'full';
  if (attributeSet !== 'full' && attributeSet !== 'basic') {
    throw new GraphError(400, 'BadRequest', "attributeSet must be 'full' or 'basic'.");
  }
  const rows = exportRows(context, partnerTenantId, kind, body);
  const id = randomUUID();
  const now = context.clock.now();
  const blobs = [];
  for (let start = 0; start < rows.length; start += rowsPerBlob) {
    const lines = rows.slice(start, start + rowsPerBlob).map((row) => `${JSON.stringify(row)}\n`);
    blobs.push({
      name: `part-${String(blobs.length).padStart(5, '0')}-${randomUUID()}.c000.json.gz`,
      content: gzipSync(lines.join('')),
    });
  }
  const expires = new Date(now.getTime() + 3_600_000).toISOString().slice(0, 19);
  return {
    id,
    partnerTenantId,
    kind,
    createdAt: now,
    polls: 0,
    lastActionAt: now,
    ...(rows.length === 0 ? { failure: { code: '5000', message: 'No data available' } } : {}),
    manifestId: randomUUID(),
    rootPath: `/_blobs/${partnerTenantId}/${id}`,
    sasToken: `sv=2021-08-06&sr=c&se=${encodeURIComponent(`${expires}Z`)}&sp=r&sig=${randomBytes(24).toString('base64url')}`,
    blobs,
  };
}

const exportPaths: Record<string, BillingExportKind> = {
  'reconciliation/billed/export': 'billed-reconciliation',
  'reconciliation/unbilled/export': 'unbilled-reconciliation',
  'usage/billed/export': 'billed-usage',
  'usage/unbilled/export': 'unbilled-usage',
};

/**
 * Microsoft Graph's asynchronous billing exports (reference §2.8.2): POST an export → 202 with the
 * operation's `Location`; the operation answers `running` once, then `succeeded` with the manifest's link
 * (or `failed` when there is nothing to export); the manifest lists gzipped JSON-lines blobs, served
 * under `/_blobs/` with their SAS token. Graph tokens only; the global (public) cloud only.
 */
export function registerGraphExportRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  const { store } = context;

  for (const [path, kind] of Object.entries(exportPaths)) {
    app.post(
      `${billingPath}/${path}`,
      graphRoute(async (request, reply) => {
        const partnerTenantId = graphPartnerOf(context, request);
        const created = createExport(context, partnerTenantId, kind, request.body);
        store.billingExports.set(created.id, created);
        return reply
          .code(202)
          .header('Location', `${originOf(request)}${billingPath}/operations/${created.id}`)
          .send();
      }),
    );
  }

  const exportOf = (partnerTenantId: string, found: BillingExport | undefined, what: string) => {
    if (!found || found.partnerTenantId !== partnerTenantId) {
      throw new GraphError(404, 'ResourceNotFound', `The ${what} was not found.`);
    }
    return found;
  };

  app.get<{ Params: { operationId: string } }>(
    `${billingPath}/operations/:operationId`,
    graphRoute(async (request, reply) => {
      const partnerTenantId = graphPartnerOf(context, request);
      const operation = exportOf(
        partnerTenantId,
        store.billingExports.get(request.params.operationId),
        'operation',
      );
      operation.polls += 1;
      const common = {
        id: operation.id,
        createdDateTime: operation.createdAt.toISOString().slice(0, 19),
        lastActionDateTime: context.clock.now().toISOString(),
      };
      if (operation.polls === 1) {
        reply.header('Retry-After', '1');
        return {
          '@odata.type': '#microsoft.graph.partners.billing.runningOperation',
          ...common,
          status: 'running',
        };
      }
      if (operation.failure) {
        return {
          '@odata.type': '#microsoft.graph.partners.billing.failedOperation',
          ...common,
          status: 'failed',
          error: operation.failure,
        };
      }
      return {
        '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation',
        ...common,
        status: 'succeeded',
        'resourceLocation@odata.navigationLink': `${originOf(request)}${billingPath}/manifests/${operation.manifestId}`,
      };
    }),
  );

  app.get<{ Params: { manifestId: string } }>(
    `${billingPath}/manifests/:manifestId`,
    graphRoute(async (request) => {
      const partnerTenantId = graphPartnerOf(context, request);
      const found = [...store.billingExports.values()].find(
        (candidate) =>
          candidate.manifestId === request.params.manifestId && candidate.polls > 1 && !candidate.failure,
      );
      const operation = exportOf(partnerTenantId, found, 'manifest');
      return {
        id: operation.manifestId,
        schemaVersion: '2',
        dataFormat: 'compressedJSONLines',
        createdDateTime: operation.createdAt.toISOString(),
        eTag: operation.id.replaceAll('-', '').slice(0, 17),
        partnerTenantId,
        rootDirectory: `${originOf(request)}${operation.rootPath}`,
        sasToken: operation.sasToken,
        partitionType: 'default',
        blobCount: operation.blobs.length,
        blobs: operation.blobs.map((blob) => ({ name: blob.name, partitionValue: 'default' })),
      };
    }),
  );

  // Stands for Azure Blob Storage: the SAS token's signature is the only credential.
  app.get<{ Params: { partnerTenantId: string; operationId: string; name: string } }>(
    '/_blobs/:partnerTenantId/:operationId/:name',
    async (request, reply) => {
      const operation = store.billingExports.get(request.params.operationId);
      const blob = operation?.blobs.find((candidate) => candidate.name === request.params.name);
      const signature = new URLSearchParams(operation?.sasToken ?? '').get('sig');
      if (!operation || !blob || operation.partnerTenantId !== request.params.partnerTenantId) {
        return reply.code(404).type('text/plain').send('The specified blob does not exist.');
      }
      if (field(request.query, 'sig') !== signature) {
        return reply
          .code(403)
          .type('text/plain')
          .send('Server failed to authenticate the request. Make sure the SAS token is complete.');
      }
      return reply.type('application/octet-stream').send(blob.content);
    },
  );
}
