import type { MultipartFile } from '@fastify/multipart';
import multipart from '@fastify/multipart';
import Type, { type Static, type TSchema } from 'typebox';
import { userNamesByIds } from '#modules/identity';
import { listPartnerClouds } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, withTransaction } from '#platform/db';
import { DomainError, invalid } from '#platform/errors';
import { type Api, callerOf } from '#platform/http';
import { importFile } from './import-jobs.ts';
import {
  type DeliveryRow,
  deliveryHistory,
  type ImportRow,
  listImportRows,
  updateImport,
} from './import-queries.ts';
import { beginImport, getImport, type ImportCloud } from './imports.ts';
import { lineForms } from './schema.ts';

/** The largest file an upload takes: a year of a large partner's daily usage, compressed or not. */
export const IMPORT_UPLOAD_MAX_BYTES = 2 * 1024 ** 3;

const clouds = ['public', 'usgov', 'china'] as const;
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });

export const ImportView = Type.Object({
  id: Uuid,
  source: Type.String(),
  form: Nullable(Type.Enum(lineForms)),
  cloud: Type.Enum(clouds),
  fileName: Nullable(Type.String()),
  fileBytes: Nullable(Type.Integer()),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('completed'),
    Type.Literal('unchanged'),
    Type.Literal('failed'),
  ]),
  rowsRead: Type.Integer(),
  bytesRead: Type.Integer(),
  errorFile: Nullable(Type.String()),
  errorLine: Nullable(Type.Integer()),
  errorColumn: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  /** Empty while running; see ImportSummary in imports.ts once finished. */
  summary: Type.Object({}, { additionalProperties: true }),
  /** `kind:id` of the actor: `staff:<user id>`, `system:<name>`, `operator:<login>`, `token:<token id>`. */
  startedBy: Type.String(),
  /** The person's name, or what started it (the daily pull, the command line); null when unknown. */
  startedByName: Nullable(Type.String()),
  jobId: Nullable(Type.String()),
  startedAt: Instant,
  finishedAt: Nullable(Instant),
});
export type ImportView = Static<typeof ImportView>;

export const DeliveryView = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('billed'), Type.Literal('estimate')]),
  form: Type.Enum(lineForms),
  deliveryKey: Type.String(),
  invoiceNumber: Nullable(Type.String()),
  /** `yyyy-mm`. */
  period: Nullable(Type.String()),
  currency: Type.String(),
  /** Null for a discarded delivery (the same lines as the current one): it never became a version. */
  version: Nullable(Type.Integer()),
  lineCount: Type.Integer(),
  total: Type.String(),
  status: Type.Union([
    Type.Literal('loading'),
    Type.Literal('current'),
    Type.Literal('superseded'),
    Type.Literal('discarded'),
  ]),
  createdAt: Instant,
  supersededAt: Nullable(Instant),
});
export type DeliveryView = Static<typeof DeliveryView>;

/** Who started the imports a system actor starts by itself: the connector's pulls are the daily pull's. */
const systemStarters: Record<string, string> = { 'partner-center': 'Daily pull' };

/**
 * Names who started each of a page of imports, the people's names read in one query: a person's pull
 * or upload is started by that person (staff), the daily pull by the connector, `partnerdesk import`
 * by an operator.
 */
async function starterNames(
  db: Queryable,
  partnerId: string,
  rows: readonly ImportRow[],
): Promise<(startedBy: string) => string | null> {
  const split = (startedBy: string) => {
    const [kind = '', ...rest] = startedBy.split(':');
    return { kind, id: rest.join(':') };
  };
  const staffIds = rows.map((row) => split(row.startedBy)).filter((key) => key.kind === 'staff');
  const names = await userNamesByIds(
    db,
    partnerId,
    staffIds.map((key) => key.id),
  );
  return (startedBy) => {
    const { kind, id } = split(startedBy);
    if (kind === 'staff') return names.get(id) ?? null;
    if (kind === 'operator') return 'Command line';
    if (kind === 'system') return systemStarters[id] ?? 'Partner Center';
    return null;
  };
}

/** Imports as the API shows them, with who started each. */
async function presentImports(db: Queryable, partnerId: string, rows: readonly ImportRow[]) {
  const nameOf = await starterNames(db, partnerId, rows);
  return rows.map((row) => presentImport(row, nameOf(row.startedBy)));
}

export function presentImport(row: ImportRow, startedByName: string | null): ImportView {
  const { heartbeatAt: _running, ...summary } = row.summary as Record<string, unknown>;
  return {
    id: row.id,
    source: row.source,
    form: row.form,
    cloud: row.cloud,
    fileName: row.fileName,
    fileBytes: row.fileBytes,
    status: row.status,
    rowsRead: row.rowsRead,
    bytesRead: row.bytesRead,
    errorFile: row.errorFile,
    errorLine: row.errorLine,
    errorColumn: row.errorColumn,
    errorMessage: row.errorMessage,
    summary,
    startedBy: row.startedBy,
    startedByName,
    jobId: row.jobId,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function presentDelivery(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    kind: row.kind,
    form: row.form,
    deliveryKey: row.deliveryKey,
    invoiceNumber: row.invoiceNumber,
    period: row.period?.slice(0, 7) ?? null,
    currency: row.currency,
    version: row.version > 0 ? row.version : null,
    lineCount: row.lineCount,
    total: row.total,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    supersededAt: row.supersededAt?.toISOString() ?? null,
  };
}

function partnerOf(caller: Caller): string {
  const actor = caller.actor;
  if (!('partnerId' in actor) || actor.kind === 'signing-in' || actor.customerId !== undefined)
    throw new DomainError('forbidden', 'forbidden', 'Only partner staff work with vendor bills');
  return actor.partnerId;
}

function encodeCursor(row: ImportRow): string {
  return Buffer.from(JSON.stringify([row.startedAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const startedAt = new Date(String(time));
    if (typeof id === 'string' && !Number.isNaN(startedAt.getTime())) return { startedAt, id };
  } catch {
    // Reported below like any other malformed cursor.
  }
  throw invalid('invalid-cursor', 'cursor is not one this list returned', { field: 'cursor' });
}

/** The cloud of an upload that names none: the partner's only connection's, else the public cloud. */
async function defaultCloud(app: AppContext, partnerId: string): Promise<ImportCloud> {
  const connected = await listPartnerClouds(app.database.db, partnerId);
  return connected.length === 1 ? connected[0]!.cloud : 'public';
}

/** A file name made safe as one storage key segment; the name as given stays on the import row. */
function storageName(fileName: string): string {
  const safe = fileName
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-120);
  return safe === '' ? 'upload.csv' : safe;
}

function parseCloud(value: string): ImportCloud {
  const cloud = clouds.find((name) => name === value);
  if (!cloud) throw invalid('invalid-cloud', `cloud must be one of ${clouds.join(', ')}`, { field: 'cloud' });
  return cloud;
}

/**
 * Stores an uploaded reconciliation file (streamed, never held in memory) under
 * `vendor-imports/<import id>/<file name>` and queues the job that imports it. A failed upload leaves
 * the import failed with the reason.
 */
async function acceptUpload(
  app: AppContext,
  caller: Caller,
  partnerId: string,
  file: MultipartFile,
  fields: { cloud?: string },
): Promise<{ import: ImportRow; jobId: string }> {
  const cloud = fields.cloud === undefined ? await defaultCloud(app, partnerId) : parseCloud(fields.cloud);
  const row = await beginImport(app, caller, {
    partnerId,
    source: 'csv_upload',
    cloud,
    fileName: file.filename,
  });
  try {
    const storageKey = `vendor-imports/${row.id}/${storageName(file.filename)}`;
    const stored = await app.storage.put(storageKey, file.file);
    if (file.file.truncated) throw tooLarge();
    return await withTransaction(app.database, async (tx) => {
      const jobId = (await app.jobs.send(tx, importFile, { partnerId, importId: row.id }, { partnerId }))!;
      const updated = await updateImport(tx, row, {
        storageKey,
        fileBytes: stored.size,
        sha256: stored.sha256,
        jobId,
      });
      return { import: updated, jobId };
    });
  } catch (error) {
    const refused = (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge() : error;
    await updateImport(app.database.db, row, {
      status: 'failed',
      errorFile: file.filename,
      errorMessage: refused instanceof Error ? refused.message : String(refused),
      summary: {},
      finishedAt: app.clock.now(),
    });
    throw refused;
  }
}

function tooLarge(): DomainError {
  return invalid(
    'file-too-large',
    `The file is larger than ${IMPORT_UPLOAD_MAX_BYTES / 1024 ** 3} GB; import it with partnerdesk import recon`,
    { field: 'file' },
  );
}

const ImportParams = Type.Object({ id: Uuid });

/** Upload a reconciliation file and watch imports, their deliveries and every version of one. */
export function importRoutes(api: Api, app: AppContext): void {
  // The multipart parser stays inside this plugin, so no other route accepts multipart bodies. Fastify
  // queues the plugin and loads it before the server is ready: there is nothing to await here.
  api.register(async (uploads: Api) => {
    await uploads.register(multipart, {
      limits: { fileSize: IMPORT_UPLOAD_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024 },
    });
    uploads.post(
      '/vendor-bills/imports',
      {
        config: { access: { permission: 'costs.manage' } },
        schema: {
          tags: ['vendor-bills'],
          summary:
            'Import a Partner Center reconciliation file (.csv or .csv.gz), multipart field "file"; optional ' +
            'field "cloud" (public, usgov, china) before the file. Imported by a job: watch the import.',
          consumes: ['multipart/form-data'],
          response: { 202: Type.Object({ import: ImportView, jobId: Type.String() }) },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const partnerId = partnerOf(caller);
        const fields: { cloud?: string } = {};
        let accepted: { import: ImportRow; jobId: string } | undefined;
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === 'cloud') fields.cloud = String(part.value);
            continue;
          }
          if (part.fieldname !== 'file' || accepted) {
            await part.toBuffer().catch(() => undefined);
            throw invalid('unexpected-file', 'Send one file, in the field "file"', { field: part.fieldname });
          }
          accepted = await acceptUpload(app, caller, partnerId, part, fields);
        }
        if (!accepted) throw invalid('file-required', 'Send the file in the field "file"', { field: 'file' });
        const [view] = await presentImports(app.database.db, partnerId, [accepted.import]);
        return reply.code(202).send({ import: view!, jobId: accepted.jobId });
      },
    );
  });

  api.get(
    '/vendor-bills/imports',
    {
      config: { access: { permission: 'costs.manage' } },
      schema: {
        tags: ['vendor-bills'],
        summary: 'Imports of Microsoft bills (files and connector pulls), latest first',
        querystring: Type.Object({
          cursor: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(ImportView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const partnerId = partnerOf(callerOf(request));
      const limit = request.query.limit ?? 25;
      const cursor = request.query.cursor;
      const rows = await listImportRows(app.database.db, partnerId, {
        after: cursor === undefined ? undefined : decodeCursor(cursor),
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      return {
        items: await presentImports(app.database.db, partnerId, items),
        nextCursor: rows.length > limit ? encodeCursor(items.at(-1)!) : null,
      };
    },
  );

  api.get(
    '/vendor-bills/imports/:id',
    {
      config: { access: { permission: 'costs.manage' } },
      schema: {
        tags: ['vendor-bills'],
        summary: 'One import: progress, error (file, line, column), summary and the deliveries it made',
        params: ImportParams,
        response: { 200: Type.Object({ ...ImportView.properties, deliveries: Type.Array(DeliveryView) }) },
      },
    },
    async (request) => {
      const partnerId = partnerOf(callerOf(request));
      const found = await getImport(app, partnerId, request.params.id);
      const [view] = await presentImports(app.database.db, partnerId, [found.import]);
      return { ...view!, deliveries: found.deliveries.map(presentDelivery) };
    },
  );

  api.get(
    '/vendor-bills/deliveries',
    {
      config: { access: { permission: 'costs.manage' } },
      schema: {
        tags: ['vendor-bills'],
        summary:
          'Every version of one delivery (billed:<invoice>:<form> or estimate:<yyyy-mm>:<currency>:<form>)',
        querystring: Type.Object({ key: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: { 200: Type.Object({ items: Type.Array(DeliveryView) }) },
      },
    },
    async (request) => {
      const rows = await deliveryHistory(app.database.db, partnerOf(callerOf(request)), request.query.key);
      return { items: rows.map(presentDelivery) };
    },
  );
}
