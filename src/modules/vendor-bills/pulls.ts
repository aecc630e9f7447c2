import { and, eq, sql } from 'drizzle-orm';
import Type, { type Static } from 'typebox';
import { recordAudit } from '#modules/audit';
import {
  type BillingExport,
  type Invoice,
  PartnerCenterAuthError,
  type PartnerCenterBillingClient,
} from '#modules/partner-center';
import {
  getConnectionBillingClient,
  getPartner,
  listConnectedClouds,
  listPartnerClouds,
  partnerStaff,
  recordConnectionOutcome,
  requirePermission,
} from '#modules/partners';
import { type Caller, systemActor } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, selectRows, withTransaction } from '#platform/db';
import { invalid, notFound } from '#platform/errors';
import { defineJob } from '#platform/jobs';
import { importById, updateImport } from './import-queries.ts';
import { beginImport, loadImport } from './imports.ts';
import type { CostLine } from './lines.ts';
import { type ConnectorInvoice, upsertVendorInvoicesFromConnector, type VendorCloud } from './payables.ts';
import {
  bodiesOf,
  type JsonReadOptions,
  type JsonRow,
  readGraphExportRows,
  readV1LineItems,
} from './read/index.ts';
import { vendorInvoices } from './schema.ts';

export const pullClouds = ['public', 'usgov', 'china'] as const;
export const CloudSchema = Type.Union([Type.Literal('public'), Type.Literal('usgov'), Type.Literal('china')]);
export type PullWhat = 'invoices' | 'billed' | 'unbilled';
export type UnbilledPeriod = 'current' | 'previous';

/**
 * Reference §2.8.1: billing periods before February 2024 are read "exclusively" through the v1 invoice
 * line items; from then on the Graph exports (global cloud only) carry billed reconciliation and
 * billed daily usage alike.
 */
const GRAPH_BILLED_FROM = '2024-02-01';

/** Who a pull's imports are loaded by inside the job; the person who asked is on the audit event. */
export const pullCaller: Caller = { actor: systemActor('partner-center') };

const PulledForm = Type.Union([
  Type.Literal('billed_recon'),
  Type.Literal('daily_usage'),
  Type.Literal('legacy_license'),
]);
type PulledForm = Static<typeof PulledForm>;
const ImportStep = Type.Object({ importId: Type.String({ format: 'uuid' }), form: PulledForm });
const Route = Type.Union([Type.Literal('graph'), Type.Literal('v1')]);
const PullStep = Type.Union([
  Type.Object({ what: Type.Literal('invoices') }),
  Type.Object({
    what: Type.Literal('billed'),
    invoiceNumber: Type.String(),
    currency: Type.String(),
    route: Route,
    imports: Type.Array(ImportStep),
  }),
  Type.Object({
    what: Type.Literal('unbilled'),
    period: Type.Union([Type.Literal('current'), Type.Literal('previous')]),
    currency: Type.String(),
    route: Route,
    imports: Type.Array(ImportStep),
  }),
]);
export type PullStep = Static<typeof PullStep>;
type LineStep = Exclude<PullStep, { what: 'invoices' }>;

export const pullJob = defineJob({
  name: 'vendor-bills.pull',
  version: 1,
  payload: Type.Object({
    partnerId: Type.String({ format: 'uuid' }),
    cloud: CloudSchema,
    /**
     * The daily pull plans its own steps once it has read Microsoft's invoices: every new-commerce
     * invoice whose billed lines are not here yet, then the current estimate.
     */
    daily: Type.Boolean(),
    steps: Type.Array(PullStep),
  }),
  // A failed pull leaves its imports failed with the reason; the next one (daily, or by hand) starts over.
  retryLimit: 0,
  expireInSeconds: 6 * 60 * 60,
});
export type PullPayload = Static<typeof pullJob.payload>;

export const schedulePullsJob = defineJob({
  name: 'vendor-bills.schedule-pulls',
  version: 1,
  payload: Type.Object({}),
  retryLimit: 0,
});

export interface PullRequest {
  cloud: string;
  what: PullWhat;
  invoiceNumber?: string | undefined;
  /** `yyyy-mm` for billed lines, `current` | `previous` for the estimate. */
  period?: string | undefined;
}

// --- planning ---

type KnownInvoice = Pick<
  typeof vendorInvoices.$inferSelect,
  'invoiceNumber' | 'currency' | 'billingPeriodStart' | 'invoiceDate'
>;

/** Invoice numbers: new commerce starts with G, legacy licence-based billing with D (reference §2.7). */
const isLegacyInvoice = (invoiceNumber: string) => /^D/i.test(invoiceNumber);

/** What each form is called in an import's name and in progress messages. */
const formTitles: Record<PulledForm, string> = {
  billed_recon: 'reconciliation',
  daily_usage: 'daily rated usage',
  legacy_license: 'licence-based lines',
};

/**
 * The forms an invoice's billed lines come in: a legacy invoice has only licence-based lines
 * (`provider=office`), a new-commerce one reconciliation lines and the daily usage they detail.
 */
function billedForms(invoiceNumber: string): readonly PulledForm[] {
  return isLegacyInvoice(invoiceNumber) ? ['legacy_license'] : ['billed_recon', 'daily_usage'];
}

function billedRoute(cloud: VendorCloud, invoice: KnownInvoice): 'graph' | 'v1' {
  // Graph exports only new-commerce billing; legacy lines are read from the v1 API alone.
  if (isLegacyInvoice(invoice.invoiceNumber)) return 'v1';
  const period = invoice.billingPeriodStart ?? invoice.invoiceDate;
  return cloud === 'public' && period >= GRAPH_BILLED_FROM ? 'graph' : 'v1';
}

/** The one source an import of this route is recorded as. */
const sourceOf = (route: 'graph' | 'v1') => (route === 'graph' ? 'graph_export' : 'v1_line_items');

function knownInvoices(db: Queryable, partnerId: string, cloud: VendorCloud): Promise<KnownInvoice[]> {
  return db
    .select({
      invoiceNumber: vendorInvoices.invoiceNumber,
      currency: vendorInvoices.currency,
      billingPeriodStart: vendorInvoices.billingPeriodStart,
      invoiceDate: vendorInvoices.invoiceDate,
    })
    .from(vendorInvoices)
    .where(and(eq(vendorInvoices.partnerId, partnerId), eq(vendorInvoices.cloud, cloud)))
    .orderBy(vendorInvoices.invoiceDate, vendorInvoices.invoiceNumber);
}

/** Connector invoices whose billed lines (reconciliation or legacy licence-based) are not here yet, oldest first. */
async function invoicesWithoutLines(db: Queryable, partnerId: string, cloud: VendorCloud) {
  const imported = await selectRows<{ invoice_number: string }>(
    db,
    sql`select distinct invoice_number from vendor_deliveries
        where partner_id = ${partnerId} and kind = 'billed' and form in ('billed_recon', 'legacy_license')
          and status = 'current'`,
  );
  const done = new Set(imported.map((row) => row.invoice_number));
  return (await knownInvoices(db, partnerId, cloud)).filter((invoice) => !done.has(invoice.invoiceNumber));
}

/**
 * The billing currency of the partner's estimates: that of Microsoft's latest invoice of this cloud
 * (new commerce bills in the partner's location currency, reference §5.1), else the partner's own.
 */
async function billingCurrency(app: AppContext, partnerId: string, cloud: VendorCloud): Promise<string> {
  const invoices = await knownInvoices(app.database.db, partnerId, cloud);
  return invoices.at(-1)?.currency ?? (await getPartner(app.database.db, partnerId)).currency;
}

/** The invoices a `billed` request names: one by number, or every one of a billing month. */
async function billedTargets(
  db: Queryable,
  partnerId: string,
  cloud: VendorCloud,
  request: PullRequest,
): Promise<KnownInvoice[]> {
  const known = await knownInvoices(db, partnerId, cloud);
  if (request.invoiceNumber !== undefined) {
    const number = request.invoiceNumber.trim().toUpperCase();
    const invoice = known.find((candidate) => candidate.invoiceNumber.toUpperCase() === number);
    if (!invoice) {
      throw invalid(
        'unknown-invoice',
        `Microsoft's invoice ${request.invoiceNumber} is not known here for the ${cloud} cloud: pull the invoices first`,
        { field: 'invoiceNumber' },
      );
    }
    return [invoice];
  }
  if (request.period === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(request.period)) {
    throw invalid(
      'invalid-period',
      'Name the invoice (invoiceNumber) or the billing month (period as yyyy-mm) whose billed lines to pull',
      { field: 'period' },
    );
  }
  const month = `${request.period}-01`;
  const targets = known.filter((invoice) => invoice.billingPeriodStart === month);
  if (targets.length === 0) {
    throw invalid(
      'no-invoice-for-period',
      `No invoice of Microsoft's for ${request.period} is known here for the ${cloud} cloud: pull the invoices first`,
      { field: 'period' },
    );
  }
  return targets;
}

/** The imports of a step's forms, created `running` (each in its own transaction) before any Microsoft call. */
async function importsFor(
  app: AppContext,
  caller: Caller,
  partnerId: string,
  cloud: VendorCloud,
  route: 'graph' | 'v1',
  name: string,
  forms: readonly PulledForm[],
  jobId?: string,
) {
  const imports = [];
  for (const form of forms) {
    const row = await beginImport(app, caller, {
      partnerId,
      source: sourceOf(route),
      cloud,
      fileName: `${name} (${formTitles[form]})`,
      form,
      ...(jobId !== undefined && { jobId }),
    });
    imports.push({ importId: row.id, form });
  }
  return imports;
}

async function billedStep(
  app: AppContext,
  caller: Caller,
  partnerId: string,
  cloud: VendorCloud,
  invoice: KnownInvoice,
  jobId?: string,
): Promise<LineStep> {
  const route = billedRoute(cloud, invoice);
  return {
    what: 'billed',
    invoiceNumber: invoice.invoiceNumber,
    currency: invoice.currency,
    route,
    imports: await importsFor(
      app,
      caller,
      partnerId,
      cloud,
      route,
      invoice.invoiceNumber,
      billedForms(invoice.invoiceNumber),
      jobId,
    ),
  };
}

async function unbilledStep(
  app: AppContext,
  caller: Caller,
  partnerId: string,
  cloud: VendorCloud,
  period: UnbilledPeriod,
  jobId?: string,
): Promise<LineStep> {
  const currency = await billingCurrency(app, partnerId, cloud);
  // Reference §2.8.1–2.8.2: the v1 unbilled daily usage is retired in the global cloud; the Graph
  // exports exist there only.
  const route = cloud === 'public' ? 'graph' : 'v1';
  return {
    what: 'unbilled',
    period,
    currency,
    route,
    imports: await importsFor(
      app,
      caller,
      partnerId,
      cloud,
      route,
      `Estimate ${period} ${currency}`,
      ['billed_recon', 'daily_usage'],
      jobId,
    ),
  };
}

function parseCloud(value: string): VendorCloud {
  const cloud = pullClouds.find((candidate) => candidate === value);
  if (!cloud)
    throw invalid('invalid-cloud', `cloud must be one of ${pullClouds.join(', ')}`, { field: 'cloud' });
  return cloud;
}

async function isConnected(app: AppContext, partnerId: string, cloud: VendorCloud): Promise<boolean> {
  const connected = await listPartnerClouds(app.database.db, partnerId);
  return connected.some((entry) => entry.cloud === cloud);
}

/**
 * A person asks for a pull through the partner's connection: the imports it will fill are created at
 * once (so their ids can be watched), then the job is queued with the audit event in one transaction.
 */
export async function requestPull(
  app: AppContext,
  caller: Caller,
  request: PullRequest,
): Promise<{ jobId: string; importIds: string[] }> {
  requirePermission(caller, 'costs.manage');
  const { partnerId } = partnerStaff(caller, 'Connection');
  const cloud = parseCloud(request.cloud);
  if (!(await isConnected(app, partnerId, cloud))) throw notFound('Connection');
  const { db } = app.database;
  let steps: PullStep[];
  switch (request.what) {
    case 'invoices':
      steps = [{ what: 'invoices' }];
      break;
    case 'billed': {
      const targets = await billedTargets(db, partnerId, cloud, request);
      steps = [];
      for (const invoice of targets) steps.push(await billedStep(app, caller, partnerId, cloud, invoice));
      break;
    }
    case 'unbilled': {
      const period = request.period ?? 'current';
      if (period !== 'current' && period !== 'previous') {
        throw invalid('invalid-period', 'The estimate is pulled for period current or previous', {
          field: 'period',
        });
      }
      steps = [await unbilledStep(app, caller, partnerId, cloud, period)];
      break;
    }
    default:
      throw invalid('invalid-pull', 'what must be invoices, billed or unbilled', { field: 'what' });
  }
  const importIds = steps.flatMap((step) =>
    'imports' in step ? step.imports.map((entry) => entry.importId) : [],
  );
  const jobId = await withTransaction(app.database, async (tx) => {
    const id = await app.jobs.send(tx, pullJob, { partnerId, cloud, daily: false, steps }, { partnerId });
    // Tied to their job, the imports are not taken for abandoned while it waits in the queue.
    for (const importId of importIds) await updateImport(tx, { partnerId, id: importId }, { jobId: id });
    await recordAudit(tx, caller, {
      partnerId,
      action: 'vendor_bill.pull_requested',
      target: { type: 'connection' },
      after: {
        cloud,
        what: request.what,
        ...(request.invoiceNumber !== undefined && { invoiceNumber: request.invoiceNumber }),
        ...(request.period !== undefined && { period: request.period }),
        importIds,
        jobId: id,
      },
    });
    return id;
  });
  return { jobId: jobId!, importIds };
}

// --- running ---

/** An ISO instant or date as `yyyy-mm-dd` (every Partner Center date is UTC). */
const dateOf = (value: string) => (value === '' ? null : value.slice(0, 10));

/** Microsoft's Invoice resource as payables stores it. */
function connectorInvoice(invoice: Invoice): ConnectorInvoice {
  return {
    invoiceNumber: invoice.id,
    invoiceDate: invoice.invoiceDate.slice(0, 10),
    // Reference §2.7: "Credit Note" or "Invoice" (samples also show void and adjustment notes).
    documentType: /credit/i.test(invoice.documentType) ? 'credit_note' : 'invoice',
    currency: invoice.currencyCode,
    total: invoice.totalCharges,
    billingPeriodStart: dateOf(invoice.billingPeriodStartDate),
    billingPeriodEnd: dateOf(invoice.billingPeriodEndDate),
    paidAmount: invoice.paidAmount,
  };
}

/** Lists every invoice (all pages) outside any transaction, then stores them in one, with one audit event. */
async function pullInvoices(
  app: AppContext,
  client: PartnerCenterBillingClient,
  partnerId: string,
  cloud: VendorCloud,
): Promise<{ listed: number; created: number; updated: number }> {
  const invoices: ConnectorInvoice[] = [];
  for await (const invoice of client.listInvoices()) invoices.push(connectorInvoice(invoice));
  return withTransaction(app.database, async (tx) => {
    const outcome = await upsertVendorInvoicesFromConnector(tx, partnerId, cloud, invoices, app.clock.now());
    if (outcome.created + outcome.updated > 0) {
      await recordAudit(tx, pullCaller, {
        partnerId,
        action: 'vendor_bill.invoices_pulled',
        target: { type: 'vendor_invoices' },
        after: { cloud, listed: invoices.length, ...outcome },
      });
    }
    return { listed: invoices.length, ...outcome };
  });
}

/**
 * A Graph export's rows as the JSON Microsoft sent, requested only when the engine starts reading; each
 * line's provenance is its blob and its 1-based line within that blob.
 */
async function* exportedLines<T extends { raw: JsonRow }>(
  request: () => Promise<BillingExport<T>>,
  form: 'billed_recon' | 'daily_usage',
  options: JsonReadOptions,
): AsyncIterable<CostLine> {
  const exported = await request();
  for await (const blob of exported.blobs()) {
    yield* readGraphExportRows(bodiesOf(blob.rows), blob.name, form, options);
  }
}

/** The lines of one import of a step, fetched lazily so that every Microsoft error lands in the import. */
function linesOf(
  client: PartnerCenterBillingClient,
  step: LineStep,
  form: PulledForm,
): AsyncIterable<CostLine> {
  if (form === 'legacy_license') {
    // Planned for legacy invoices only (billedForms): licence-based lines are never estimated.
    if (step.what !== 'billed') {
      return refused(new Error('Legacy licence-based lines are pulled for a legacy invoice only'));
    }
    // The lines carry no invoice number: they get the one they were asked for.
    return readV1LineItems(
      client.legacyLicenseLineItems(step.invoiceNumber),
      `${step.invoiceNumber} licence-based line items`,
      form,
      { invoiceNumber: step.invoiceNumber },
    );
  }
  const recon = form === 'billed_recon';
  if (step.what === 'billed') {
    const { invoiceNumber, currency } = step;
    // Rows of another invoice than the one asked for are refused by the readers.
    const options = { invoiceNumber };
    if (step.route === 'graph') {
      return recon
        ? exportedLines(() => client.exportBilledReconciliation(invoiceNumber), form, options)
        : exportedLines(() => client.exportBilledUsage(invoiceNumber), form, options);
    }
    return recon
      ? readV1LineItems(
          client.billedLineItems(invoiceNumber, currency),
          `${invoiceNumber} line items`,
          form,
          options,
        )
      : readV1LineItems(
          client.billedUsage(invoiceNumber, currency),
          `${invoiceNumber} usage line items`,
          form,
          options,
        );
  }
  const { currency, period } = step;
  if (step.route === 'graph') {
    const graphPeriod = period === 'previous' ? 'last' : 'current';
    return recon
      ? exportedLines(() => client.exportUnbilledReconciliation(currency, graphPeriod), form, {})
      : exportedLines(() => client.exportUnbilledUsage(currency, graphPeriod), form, {});
  }
  return recon
    ? readV1LineItems(client.unbilledLineItems(currency, period), `unbilled ${period} line items`, form)
    : readV1LineItems(client.unbilledUsage(currency, period), `unbilled ${period} usage line items`, form);
}

/** Remembers the error an iterable threw, whatever the engine makes of it. */
async function* watched<T>(items: AsyncIterable<T>, failed: (error: unknown) => void): AsyncIterable<T> {
  try {
    yield* items;
  } catch (error) {
    failed(error);
    throw error;
  }
}

/** Lines that never come: the import fails with `error` without a call to Microsoft. */
function refused(error: unknown): AsyncIterable<CostLine> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}

export interface PullOutcome {
  invoices?: { listed: number; created: number; updated: number };
  imports: Array<{ importId: string; status: string; error: string | null }>;
  error: string | null;
}

type Report = (done: number, total: number, message?: string) => Promise<void>;

/** Why a step failed, in Microsoft's words where it gave them. */
function failureText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 4000);
}

/**
 * Runs a pull: Microsoft's invoices first (the daily pull then plans the billed lines it lacks and the
 * current estimate), then each import in turn — its lines streamed from Microsoft into the engine,
 * which commits them or nothing. Microsoft is never called inside a transaction. A refused credential
 * (or a connection that can no longer be opened) stops the pull: the imports not yet run fail with
 * the same reason, and a refused credential is shown on the connection until a pull succeeds.
 */
export async function runPull(
  app: AppContext,
  payload: PullPayload,
  options: { jobId?: string; report?: Report } = {},
): Promise<PullOutcome> {
  const report = options.report ?? (async () => {});
  const { partnerId, cloud } = payload;
  const steps: PullStep[] = payload.daily ? [{ what: 'invoices' }] : [...payload.steps];
  const outcome: PullOutcome = { imports: [], error: null };
  let total = steps.reduce((count, step) => count + ('imports' in step ? step.imports.length : 1), 0);
  let done = 0;
  /** What stops the rest of the pull: a refused credential, or a connection that cannot be opened. */
  let stopped: unknown;
  let client: PartnerCenterBillingClient | undefined;
  try {
    client = await getConnectionBillingClient(app, partnerId, cloud, { caller: pullCaller });
  } catch (error) {
    stopped = error;
    outcome.error = `The ${cloud} connection: ${failureText(error)}`;
  }

  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (step.what === 'invoices') {
      if (client === undefined) break;
      await report(done, total, 'Reading Microsoft’s invoices');
      try {
        outcome.invoices = await pullInvoices(app, client, partnerId, cloud);
      } catch (error) {
        outcome.error = `Microsoft’s invoices: ${failureText(error)}`;
        if (error instanceof PartnerCenterAuthError) stopped = error;
        break;
      }
      done += 1;
      if (payload.daily) {
        const planned = await dailySteps(app, partnerId, cloud, options.jobId);
        steps.push(...planned);
        total += planned.reduce((count, next) => count + next.imports.length, 0);
      }
      continue;
    }
    const label = step.what === 'billed' ? step.invoiceNumber : `the ${step.period} estimate`;
    for (const { importId, form } of step.imports) {
      const row = await importById(app.database.db, partnerId, importId);
      if (row === undefined) continue;
      let failure: unknown;
      let rowsRead = 0;
      const message = () => `${label}: ${formTitles[form]}, ${rowsRead} lines`;
      let reported = Promise.resolve();
      if (row.status === 'running') {
        const lines =
          stopped !== undefined || client === undefined
            ? refused(stopped)
            : watched(linesOf(client, step, form), (error) => {
                failure = error;
              });
        await loadImport(app, pullCaller, row, lines, {
          remoteLines: true,
          // Called once per COPY chunk: the job's progress follows, its writes chained, never overlapping.
          onProgress: (progress) => {
            rowsRead = progress.rowsRead;
            reported = reported.then(() => report(done, total, message()));
          },
        }).catch((error: unknown) => {
          failure ??= error;
        });
        await reported;
      }
      if (failure instanceof PartnerCenterAuthError) stopped ??= failure;
      const finished = await importById(app.database.db, partnerId, importId);
      const error = finished?.errorMessage ?? (failure === undefined ? null : failureText(failure));
      outcome.imports.push({ importId, status: finished?.status ?? 'failed', error });
      if (error !== null) outcome.error ??= `${label}: ${error}`;
      done += 1;
      await report(done, total, message());
    }
  }

  if (stopped instanceof PartnerCenterAuthError) {
    await recordConnectionOutcome(app, partnerId, cloud, { error: failureText(stopped) }, pullCaller);
  } else if (outcome.error === null) {
    await recordConnectionOutcome(app, partnerId, cloud, { error: null }, pullCaller);
  }
  await report(done, total, outcome.error ?? 'Done');
  return outcome;
}

/** After the invoices: the billed lines of every invoice not imported yet, then the current estimate. */
async function dailySteps(
  app: AppContext,
  partnerId: string,
  cloud: VendorCloud,
  jobId: string | undefined,
): Promise<LineStep[]> {
  const steps: LineStep[] = [];
  for (const invoice of await invoicesWithoutLines(app.database.db, partnerId, cloud)) {
    steps.push(await billedStep(app, pullCaller, partnerId, cloud, invoice, jobId));
  }
  steps.push(await unbilledStep(app, pullCaller, partnerId, cloud, 'current', jobId));
  return steps;
}

/**
 * Every day, one pull per connection; a connection whose pull is still queued gets no second one.
 * Returns the jobs queued.
 */
export async function scheduleDailyPulls(app: AppContext): Promise<string[]> {
  const queued: string[] = [];
  for (const { partnerId, cloud } of await listConnectedClouds(app.database.db)) {
    const id = await withTransaction(app.database, (tx) =>
      app.jobs.send(
        tx,
        pullJob,
        { partnerId, cloud, daily: true, steps: [] },
        { partnerId, singletonKey: `vendor-bills.pull:${partnerId}:${cloud}` },
      ),
    );
    if (id !== null) queued.push(id);
  }
  return queued;
}
