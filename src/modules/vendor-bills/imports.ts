import type { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import { requirePermission } from '#modules/partners';
import { actorKey, type Caller, isScoped } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { bulkLoad, withTransaction } from '#platform/db';
import { invalid, notFound } from '#platform/errors';
import { parseDecimal } from '#platform/money';
import { loadCustomerMatcher, type UnknownCustomer } from './customer-matching.ts';
import {
  abandonedDeliveries,
  costLineColumns,
  costLinesTable,
  currentDelivery,
  type DeliveryRow,
  deleteDeliveries,
  deleteLinesBatch,
  deliveriesOfImport,
  discardedWithLines,
  type ImportRow,
  importById,
  importForUpdate,
  insertImport,
  insertLoadingDelivery,
  nextVersion,
  runningImports,
  updateDelivery,
  updateImport,
} from './import-queries.ts';
import { type CostLine, deliveryKeyOf, ImportFileError, type LineForm } from './lines.ts';
import { recordBilledInvoices } from './payables.ts';
import { createFingerprint } from './read/index.ts';
import { recordReconciliation } from './reconciliation.ts';
import type { importSources } from './schema.ts';
import { linkUsageToBilled } from './usage-links.ts';

export type { DeliveryRow, ImportRow } from './import-queries.ts';

export type ImportSource = (typeof importSources)[number];
export type ImportCloud = ImportRow['cloud'];

/**
 * Rows per COPY chunk (each its own short transaction). Cost lines are wide (44 columns): on PGlite a
 * chunk is one blob in the engine's memory, which never shrinks, so chunks are a quarter of the
 * platform's default there (the benchmark: about 600 MB above idle at 20,000 rows, about 200 at 5,000).
 */
const CHUNK_ROWS = { pglite: 5_000, postgres: 100_000 };
/** A running import that recorded no progress for this long is taken as stopped (its process gone). */
export const SILENT_IMPORT_MS = 10 * 60_000;
const INTERRUPTED =
  'The import stopped before it finished (its process ended); nothing of it was kept. Import the file again.';

export interface BeginImportInput {
  /** The partner; a signed-in caller's own partner when left out (the CLI and jobs must give it). */
  partnerId?: string;
  source: ImportSource;
  cloud: ImportCloud;
  fileName?: string;
  fileBytes?: number;
  storageKey?: string;
  sha256?: string;
  /** Known from the call (connector pulls); files have theirs detected from the header. */
  form?: LineForm;
  jobId?: string;
}

/** What the import row's `summary` holds once it finished. */
export interface ImportSummary {
  lines: number;
  deliveriesCreated: number;
  deliveriesUnchanged: number;
  deliveriesSuperseded: number;
  unknownCustomerLines: number;
  /** Tenants without a local customer (their lines are kept, with a null customer). */
  unknownCustomers: UnknownCustomer[];
  /** Billed lines per invoice (and form), in the invoice's currency: to check against Microsoft's. */
  invoices: Array<{ invoiceNumber: string; form: LineForm; currency: string; lines: number; total: string }>;
  /** Estimates per open period (and form) and currency. */
  estimates: Array<{ period: string; form: LineForm; currency: string; lines: number; total: string }>;
  /** Daily usage lines linked to the billed line they detail. */
  usageLinesLinked: number;
}

export interface ImportResult {
  import: ImportRow;
  /** This import's deliveries: `current` (new or corrected), `discarded` (the same as the current one). */
  deliveries: DeliveryRow[];
  /** Null when the import failed. */
  summary: ImportSummary | null;
}

export interface ImportProgress {
  rowsRead: number;
  bytesRead?: number;
}

export interface LoadOptions {
  onProgress?(progress: ImportProgress): void;
  /** Bytes of the file consumed so far (the reader's count), recorded with each chunk's progress. */
  bytesRead?(): number;
  /** Rows per COPY chunk; the platform's default for the engine when left out. */
  chunkRows?: number;
  /**
   * The lines come from Microsoft as they are read (export blobs, line-item pages): each chunk is read
   * whole before its COPY opens, so that no call to Microsoft waits inside the COPY's transaction.
   */
  remoteLines?: boolean;
}

/** Chunks of lines read ahead from Microsoft stay small: they are held in memory whole. */
const REMOTE_CHUNK_ROWS = 5_000;

function partnerOf(caller: Caller, partnerId: string | undefined): string {
  if (isScoped(caller.actor)) {
    const actor = requirePermission(caller, 'costs.manage');
    if (actor.customerId !== undefined || (partnerId !== undefined && partnerId !== actor.partnerId))
      throw notFound('Partner');
    return actor.partnerId;
  }
  if (partnerId === undefined)
    throw invalid('partner-required', 'An import outside a signed-in session names its partner', {
      field: 'partnerId',
    });
  return partnerId;
}

/**
 * Opens an import: a `vendor_imports` row `running`, committed on its own so progress and failure can
 * be recorded against it. Imports of the partner left behind by a stopped process are cleaned first.
 */
export async function beginImport(
  app: AppContext,
  caller: Caller,
  input: BeginImportInput,
): Promise<ImportRow> {
  const partnerId = partnerOf(caller, input.partnerId);
  await cleanUpInterruptedImports(app, partnerId);
  const now = app.clock.now();
  return insertImport(app.database.db, {
    partnerId,
    source: input.source,
    form: input.form ?? null,
    cloud: input.cloud,
    fileName: input.fileName ?? null,
    fileBytes: input.fileBytes ?? null,
    storageKey: input.storageKey ?? null,
    sha256: input.sha256 ?? null,
    jobId: input.jobId ?? null,
    status: 'running',
    summary: heartbeat(now),
    startedBy: actorKey(caller.actor),
    startedAt: now,
  });
}

/** While running, the summary holds only when progress was last recorded (see cleanUpInterruptedImports). */
function heartbeat(now: Date) {
  return { heartbeatAt: now.toISOString() };
}

interface Loading {
  row: DeliveryRow;
  lines: number;
  total: Decimal;
  fingerprint: ReturnType<typeof createFingerprint>;
}

/**
 * Streams `lines` into `vendor_cost_lines` by COPY in chunks (each its own short transaction, the event
 * loop free between them), under deliveries created `loading` as each key is first met; then commits
 * them all in one short transaction. Nothing is visible before that commit: lines are read only through
 * `current` deliveries. Any error fails the import with where it went wrong and removes what it loaded.
 * A loaded import's billed invoices are then checked against Microsoft's totals, whatever brought them
 * (a file, the command line, a pull): the check is kept on its summary.
 */
export async function loadImport(
  app: AppContext,
  caller: Caller,
  importRow: ImportRow,
  lines: AsyncIterable<CostLine>,
  options: LoadOptions = {},
): Promise<ImportResult> {
  const result = await loadAndCommit(app, caller, importRow, lines, options);
  if (result.import.status === 'failed') return result;
  const invoiceNumbers = [
    ...new Set(
      result.deliveries.flatMap((delivery) =>
        delivery.kind === 'billed' && delivery.form !== 'daily_usage' && delivery.invoiceNumber !== null
          ? [delivery.invoiceNumber]
          : [],
      ),
    ),
  ];
  if (invoiceNumbers.length > 0) {
    await recordReconciliation(app.database.db, importRow.partnerId, importRow.id, invoiceNumbers);
  }
  return result;
}

async function loadAndCommit(
  app: AppContext,
  caller: Caller,
  importRow: ImportRow,
  lines: AsyncIterable<CostLine>,
  options: LoadOptions,
): Promise<ImportResult> {
  const partnerId = partnerOf(caller, importRow.partnerId);
  if (importRow.status !== 'running')
    throw invalid('import-finished', `Import ${importRow.id} is not running`);
  const { database } = app;
  const chunkRows =
    options.chunkRows ??
    (options.remoteLines
      ? Math.min(REMOTE_CHUNK_ROWS, CHUNK_ROWS[database.engine])
      : CHUNK_ROWS[database.engine]);
  const deliveries = new Map<string, Loading>();
  let rowsRead = 0;
  let form: LineForm | null = importRow.form;
  try {
    const matcher = await loadCustomerMatcher(database.db, partnerId);

    const recordProgress = async () => {
      const bytesRead = options.bytesRead?.();
      await updateImport(database.db, importRow, {
        rowsRead,
        form,
        summary: heartbeat(app.clock.now()),
        ...(bytesRead === undefined ? {} : { bytesRead }),
      });
      options.onProgress?.({ rowsRead, ...(bytesRead === undefined ? {} : { bytesRead }) });
    };

    async function deliveryFor(line: CostLine): Promise<Loading> {
      const key = deliveryKeyOf(line);
      const known = deliveries.get(key);
      if (known) return known;
      const row = await insertLoadingDelivery(database.db, {
        partnerId,
        importId: importRow.id,
        kind: line.invoiceNumber === null ? 'estimate' : 'billed',
        form: line.form,
        deliveryKey: key,
        invoiceNumber: line.invoiceNumber,
        period: `${line.period.slice(0, 7)}-01`,
        currency: line.currency,
        fingerprint: '',
        lineCount: 0,
        total: '0',
        createdAt: app.clock.now(),
      });
      const loading: Loading = { row, lines: 0, total: parseDecimal('0'), fingerprint: createFingerprint() };
      deliveries.set(key, loading);
      return loading;
    }

    async function* rows(): AsyncGenerator<unknown[]> {
      const source = lines[Symbol.asyncIterator]();
      // Remote lines: a chunk read ahead whole. It is refilled when the COPY asks for a chunk's first
      // row, which bulkLoad reads before it opens the COPY.
      const ahead: CostLine[] = [];
      let aheadAt = 0;
      async function nextLine(): Promise<IteratorResult<CostLine, undefined>> {
        if (!options.remoteLines) return source.next();
        if (aheadAt === ahead.length) {
          ahead.length = 0;
          aheadAt = 0;
          while (ahead.length < chunkRows) {
            const next = await source.next();
            if (next.done) break;
            ahead.push(next.value);
          }
          if (ahead.length === 0) return { done: true, value: undefined };
        }
        return { done: false, value: ahead[aheadAt++]! };
      }
      try {
        for (;;) {
          if (rowsRead > 0 && rowsRead % chunkRows === 0) {
            // Between chunks (the last one committed, the next not begun): progress in its own
            // statement, and the event loop free for requests.
            await recordProgress();
            await new Promise((resolve) => setImmediate(resolve));
          }
          const next = await nextLine();
          if (next.done) return;
          const line = next.value;
          form ??= line.form;
          const delivery = await deliveryFor(line);
          delivery.lines += 1;
          delivery.total = delivery.total.plus(
            parseDecimal(line.cost, { file: line.sourceName, line: line.sourceLine, column: 'cost' }),
          );
          delivery.fingerprint.add(line);
          rowsRead += 1;
          yield costLineRow(partnerId, importRow.id, delivery.row.id, delivery.lines, line, matcher.match);
        }
      } finally {
        // A load that stops early (a database error) closes the reader and its file.
        await source.return?.();
      }
    }

    await bulkLoad(database, { table: costLinesTable, columns: costLineColumns, rows: rows(), chunkRows });
    await recordProgress();
    return await commitImport(app, caller, importRow, [...deliveries.values()], {
      rowsRead,
      form,
      unknownCustomers: matcher.unknown(),
      unknownCustomerLines: matcher.unknownLines(),
      chunkRows,
    });
  } catch (error) {
    return failImport(app, importRow, error, { rowsRead, form, chunkRows });
  }
}

function costLineRow(
  partnerId: string,
  importId: string,
  deliveryId: string,
  lineNumber: number,
  line: CostLine,
  match: (tenantId: string | null, name: string | null) => string | null,
): unknown[] {
  return [
    partnerId,
    deliveryId,
    lineNumber,
    importId,
    line.sourceName,
    line.sourceLine,
    line.invoiceNumber,
    line.customerTenantId,
    match(line.customerTenantId, line.customerName),
    line.customerName,
    line.customerCountry,
    line.resellerMpnId,
    line.subscriptionId,
    line.entitlementId,
    line.orderId,
    line.productId,
    line.skuId,
    line.availabilityId,
    line.productName,
    line.skuName,
    line.meterId,
    line.meterName,
    line.meterCategory,
    line.serviceFamily,
    line.chargeType,
    line.referenceId,
    line.periodStart,
    line.periodEnd,
    line.chargeStart,
    line.chargeEnd,
    line.usageDate,
    line.quantity,
    line.unitPrice,
    line.effectiveUnitPrice,
    line.subtotal,
    line.tax,
    line.cost,
    line.currency,
    line.pricingCurrency,
    line.pricingTotal,
    line.exchangeRate,
    line.creditType,
    line.isReservation,
    line.extra,
  ];
}

interface Loaded {
  rowsRead: number;
  form: LineForm | null;
  unknownCustomers: UnknownCustomer[];
  unknownCustomerLines: number;
  chunkRows: number;
}

/**
 * Makes the import's deliveries visible, in one transaction: each one the same as its key's current
 * delivery (same fingerprint and line count) is `discarded` — nothing changes, for billed data and
 * estimates alike; any other becomes `current` with the next version, superseding the previous one
 * (kept). Commits of one partner are serialised, so two imports of the same invoice cannot both
 * take the same version.
 */
async function commitImport(
  app: AppContext,
  caller: Caller,
  importRow: ImportRow,
  loaded: Loading[],
  facts: Loaded,
): Promise<ImportResult> {
  const { database } = app;
  const partnerId = importRow.partnerId;
  const outcome = await withTransaction(database, async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`vendor-deliveries:${partnerId}`}))`);
    if ((await importForUpdate(tx, importRow))?.status !== 'running') throw new Error(INTERRUPTED);
    const now = app.clock.now();
    const rows: DeliveryRow[] = [];
    let superseded = 0;
    for (const delivery of loaded) {
      const fingerprint = delivery.fingerprint.digest();
      const values = { fingerprint, lineCount: delivery.lines, total: delivery.total.toFixed() };
      const current = await currentDelivery(tx, partnerId, delivery.row.deliveryKey);
      if (current && current.fingerprint === fingerprint && current.lineCount === delivery.lines) {
        rows.push(await updateDelivery(tx, delivery.row, { ...values, status: 'discarded' }));
        continue;
      }
      const version = await nextVersion(tx, partnerId, delivery.row.deliveryKey);
      if (current) {
        await updateDelivery(tx, current, { status: 'superseded', supersededAt: now });
        superseded += 1;
      }
      rows.push(await updateDelivery(tx, delivery.row, { ...values, version, status: 'current' }));
    }
    const created = rows.filter((row) => row.status === 'current');
    const billed = created.filter((row) => row.kind === 'billed' && row.form !== 'daily_usage');
    if (billed.length > 0) {
      await recordBilledInvoices(
        tx,
        partnerId,
        importRow.cloud,
        billed.map((row) => ({
          invoiceNumber: row.invoiceNumber!,
          currency: row.currency,
          period: row.period!,
          total: row.total,
        })),
      );
    }
    const summary: ImportSummary = {
      lines: facts.rowsRead,
      deliveriesCreated: created.length,
      deliveriesUnchanged: rows.length - created.length,
      deliveriesSuperseded: superseded,
      unknownCustomerLines: facts.unknownCustomerLines,
      unknownCustomers: facts.unknownCustomers,
      invoices: rows
        .filter((row) => row.kind === 'billed')
        .map((row) => ({
          invoiceNumber: row.invoiceNumber!,
          form: row.form,
          currency: row.currency,
          lines: row.lineCount,
          total: row.total,
        })),
      estimates: rows
        .filter((row) => row.kind === 'estimate')
        .map((row) => ({
          period: row.period!.slice(0, 7),
          form: row.form,
          currency: row.currency,
          lines: row.lineCount,
          total: row.total,
        })),
      usageLinesLinked: 0,
    };
    const status = created.length === 0 ? 'unchanged' : 'completed';
    const finished = await updateImport(tx, importRow, {
      status,
      form: facts.form,
      rowsRead: facts.rowsRead,
      summary: { ...summary },
      finishedAt: now,
    });
    await recordAudit(tx, caller, {
      partnerId,
      action: `vendor_import.${status}`,
      target: { type: 'vendor_import', id: importRow.id },
      after: {
        source: importRow.source,
        form: facts.form,
        cloud: importRow.cloud,
        fileName: importRow.fileName,
        startedBy: importRow.startedBy,
        lines: summary.lines,
        deliveriesCreated: summary.deliveriesCreated,
        deliveriesUnchanged: summary.deliveriesUnchanged,
        deliveriesSuperseded: summary.deliveriesSuperseded,
        unknownCustomerLines: summary.unknownCustomerLines,
      },
    });
    return { finished, rows, summary, created };
  });

  // After the commit: the discarded copies' lines go in short batches, and usage is linked to the
  // billed lines it details, for every invoice whose billed or usage lines just changed.
  for (const row of outcome.rows) if (row.status === 'discarded') await purgeLines(app, row, facts.chunkRows);
  const invoices = [
    ...new Set(outcome.created.flatMap((row) => (row.invoiceNumber ? [row.invoiceNumber] : []))),
  ];
  let finished = outcome.finished;
  if (invoices.length > 0) {
    const usageLinesLinked = await linkUsageToBilled(database, partnerId, invoices, facts.chunkRows);
    if (usageLinesLinked > 0) {
      outcome.summary.usageLinesLinked = usageLinesLinked;
      finished = await updateImport(database.db, importRow, { summary: { ...outcome.summary } });
    }
  }
  return { import: finished, deliveries: outcome.rows, summary: outcome.summary };
}

/** Records why the import failed (file, line and column for a refused file), then removes its lines. */
async function failImport(
  app: AppContext,
  importRow: ImportRow,
  error: unknown,
  facts: Pick<Loaded, 'rowsRead' | 'form' | 'chunkRows'>,
): Promise<ImportResult> {
  const located = locate(error, importRow.fileName);
  const failed = await updateImport(app.database.db, importRow, {
    status: 'failed',
    rowsRead: facts.rowsRead,
    form: facts.form,
    errorFile: located.file,
    errorLine: located.line,
    errorColumn: located.column,
    errorMessage: located.message.slice(0, 4000),
    summary: {},
    finishedAt: app.clock.now(),
  });
  await removeLoadingDeliveries(app, importRow.partnerId, facts.chunkRows);
  return { import: failed, deliveries: [], summary: null };
}

function locate(error: unknown, fileName: string | null) {
  if (error instanceof ImportFileError) {
    // The message without the location prefix the error adds: the columns say where.
    const where = error.message.indexOf(': ');
    return {
      file: error.file,
      line: error.line,
      column: error.column,
      message: where >= 0 ? error.message.slice(where + 2) : error.message,
    };
  }
  const location = (error as { location?: { file?: string; line?: number; column?: string } }).location;
  return {
    file: location?.file ?? fileName,
    line: location?.line ?? null,
    column: location?.column ?? null,
    message: error instanceof Error ? error.message : String(error),
  };
}

async function purgeLines(app: AppContext, delivery: DeliveryRow, batch: number): Promise<void> {
  while ((await deleteLinesBatch(app.database.db, delivery, batch)) > 0) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Removes every `loading` delivery of imports no longer running, lines first (in short batches). */
async function removeLoadingDeliveries(app: AppContext, partnerId: string | undefined, batch: number) {
  const abandoned = await abandonedDeliveries(app.database.db, partnerId);
  for (const delivery of abandoned) await purgeLines(app, delivery, batch);
  for (const id of new Set(abandoned.map((delivery) => delivery.partnerId))) {
    await deleteDeliveries(
      app.database.db,
      id,
      abandoned.filter((delivery) => delivery.partnerId === id).map((delivery) => delivery.id),
    );
  }
}

/**
 * Finds imports a stopped process left `running` — no progress for SILENT_IMPORT_MS, and no queued job
 * still to run them — marks them failed ("interrupted") and removes their `loading` deliveries and
 * lines, and any lines of discarded deliveries left behind. Runs before each import and at each import
 * job's start; safe to run at any time. Returns the imports it marked.
 */
export async function cleanUpInterruptedImports(app: AppContext, partnerId?: string): Promise<ImportRow[]> {
  const { db } = app.database;
  const now = app.clock.now();
  const interrupted: ImportRow[] = [];
  for (const row of await runningImports(db, partnerId)) {
    const beat = (row.summary as { heartbeatAt?: string }).heartbeatAt;
    if (now.getTime() - (beat ? new Date(beat) : row.startedAt).getTime() < SILENT_IMPORT_MS) continue;
    if (row.jobId !== null) {
      // The job that runs it may still be queued, or busy elsewhere (a pull reading Microsoft first).
      const job = await app.jobs.progress(row.jobId, row.partnerId).catch(() => undefined);
      if (job?.status === 'queued') continue;
      // job_progress is stamped by the wall clock, not the app's.
      if (job?.status === 'running' && Date.now() - job.updatedAt.getTime() < SILENT_IMPORT_MS) continue;
    }
    interrupted.push(
      await updateImport(db, row, {
        status: 'failed',
        errorFile: row.fileName,
        errorMessage: INTERRUPTED,
        summary: {},
        finishedAt: now,
      }),
    );
  }
  const batch = CHUNK_ROWS[app.database.engine];
  await removeLoadingDeliveries(app, partnerId, batch);
  if (partnerId !== undefined) {
    for (const delivery of await discardedWithLines(db, partnerId)) await purgeLines(app, delivery, batch);
  }
  return interrupted;
}

/** One import with its deliveries, for the API. */
export async function getImport(
  app: AppContext,
  partnerId: string,
  id: string,
): Promise<{ import: ImportRow; deliveries: DeliveryRow[] }> {
  const row = await importById(app.database.db, partnerId, id);
  if (!row) throw notFound('Import');
  return { import: row, deliveries: await deliveriesOfImport(app.database.db, partnerId, id) };
}
