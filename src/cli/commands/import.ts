import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { findPartnerBySlug, listConnectedClouds, listPartners } from '#modules/partners';
import {
  beginImport,
  type ImportCloud,
  type ImportResult,
  loadImport,
  readCsvFile,
} from '#modules/vendor-bills';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { invalid } from '#platform/errors';
import { withApp } from '../with-app.ts';

const clouds = ['public', 'usgov', 'china'] as const;

export interface ReconImportOptions {
  files: readonly string[];
  /** The partner's slug; may be left out when the installation has one partner. */
  partner?: string | undefined;
  cloud?: ImportCloud | undefined;
  /** Where the tables go (stdout) and where progress and refusals go (stderr). */
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface FileOutcome {
  file: string;
  result: ImportResult | undefined;
  /** Why the file could not even be opened (missing, a folder). */
  error?: string;
}

async function partnerIdOf(app: AppContext, slug: string | undefined): Promise<string> {
  if (slug !== undefined) {
    const partner = await findPartnerBySlug(app.database.db, slug);
    if (!partner) throw invalid('unknown-partner', `--partner: no partner has the slug ${slug}`);
    return partner.id;
  }
  const all = await listPartners(app.database.db);
  if (all.length !== 1)
    throw invalid('partner-required', '--partner: name the partner (this installation has several, or none)');
  return all[0]!.partner.id;
}

/**
 * Imports reconciliation files one after the other, each its own import, with a progress bar driven
 * by the bytes read; a refused file is reported by file, line and column and the others still import.
 */
export async function importReconFiles(app: AppContext, caller: Caller, options: ReconImportOptions) {
  const partnerId = await partnerIdOf(app, options.partner);
  const connected = (await listConnectedClouds(app.database.db)).filter((row) => row.partnerId === partnerId);
  const cloud = options.cloud ?? (connected.length === 1 ? connected[0]!.cloud : 'public');
  const outcomes: FileOutcome[] = [];
  for (const file of options.files) {
    const size = await stat(file).then(
      (info) => (info.isFile() ? info.size : undefined),
      () => undefined,
    );
    if (size === undefined) {
      outcomes.push({ file, result: undefined, error: 'not a file that can be read' });
      options.err.write(`${file}: not a file that can be read\n`);
      continue;
    }
    const name = basename(file);
    const row = await beginImport(app, caller, {
      partnerId,
      source: 'csv_cli',
      cloud,
      fileName: name,
      fileBytes: size,
    });
    const bar = new SingleBar({
      format: `${name} [{bar}] {percentage}% {value}/{total} bytes {rows} rows {duration}s`,
      stream: options.err,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    });
    bar.start(size, 0, { rows: 0 });
    let bytesRead = 0;
    const result = await loadImport(
      app,
      caller,
      row,
      readCsvFile(createReadStream(file), name, {
        onBytes: (n: number) => {
          bytesRead = n;
          bar.update(n);
        },
      }),
      { bytesRead: () => bytesRead, onProgress: ({ rowsRead }) => bar.update(bytesRead, { rows: rowsRead }) },
    );
    if (result.import.status !== 'failed') bar.update(size, { rows: result.import.rowsRead });
    bar.stop();
    outcomes.push({ file, result });
  }
  writeReport(options, outcomes, connected.length === 0);
  return outcomes;
}

function writeReport(options: ReconImportOptions, outcomes: FileOutcome[], csvOnly: boolean) {
  const { out, err } = options;
  for (const { file, result } of outcomes) {
    if (!result) continue;
    const row = result.import;
    if (row.status === 'failed') {
      err.write(
        `${file}: refused — ${row.errorFile ?? basename(file)}` +
          `${row.errorLine === null ? '' : `, line ${row.errorLine}`}` +
          `${row.errorColumn === null ? '' : `, column ${row.errorColumn}`}: ${row.errorMessage}\n` +
          '  Nothing of this file was kept.\n',
      );
      continue;
    }
    const summary = result.summary!;
    out.write(
      `\n${file}: ${row.status} (${row.form ?? 'no lines'})\n` +
        table([
          ['ROWS', 'CREATED', 'UNCHANGED', 'SUPERSEDED', 'UNKNOWN-CUSTOMER LINES'],
          [
            String(summary.lines),
            String(summary.deliveriesCreated),
            String(summary.deliveriesUnchanged),
            String(summary.deliveriesSuperseded),
            String(summary.unknownCustomerLines),
          ],
        ]),
    );
    const totals = [
      ...summary.invoices.map((invoice) => [
        invoice.invoiceNumber,
        invoice.form,
        invoice.currency,
        String(invoice.lines),
        invoice.total,
      ]),
      ...summary.estimates.map((estimate) => [
        `estimate ${estimate.period}`,
        estimate.form,
        estimate.currency,
        String(estimate.lines),
        estimate.total,
      ]),
    ];
    if (totals.length > 0) out.write(table([['INVOICE', 'FORM', 'CURRENCY', 'LINES', 'TOTAL'], ...totals]));
    if (summary.unknownCustomers.length > 0) {
      // The ones with most lines first; the whole list is on the unknown-customers page.
      const shown = [...summary.unknownCustomers].sort((a, b) => b.lines - a.lines).slice(0, 5);
      const more = summary.unknownCustomers.length - shown.length;
      out.write(
        `  Lines of customers not known here (kept, listed under unknown customers): ${shown
          .map(
            (customer) =>
              `${customer.customerName ?? '?'} (${customer.customerTenantId ?? 'no tenant'}) ×${customer.lines}`,
          )
          .join('; ')}${more > 0 ? `; and ${more} more` : ''}\n`,
      );
    }
    if (csvOnly && summary.invoices.some((invoice) => invoice.form !== 'daily_usage')) {
      out.write(
        "  Check these per-invoice totals against the invoice PDF from Partner Center: no connection reads Microsoft's totals.\n",
      );
    }
  }
  for (const { file, error } of outcomes) if (error) err.write(`${file}: ${error}\n`);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map(
      (row) =>
        `  ${row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export function register(program: Command) {
  const importCommand = program.command('import').description("Import Microsoft's bills");
  importCommand
    .command('recon')
    .description('Import Partner Center reconciliation files (.csv or .csv.gz), each as its own import')
    .argument('<files...>', 'the files, as downloaded from Partner Center')
    .option('--partner <slug>', 'the partner they belong to (needed when the installation has several)')
    .addOption(new Option('--cloud <cloud>', 'the cloud instance they come from').choices(clouds))
    .action(async (files: string[], options: { partner?: string; cloud?: ImportCloud }) => {
      const caller: Caller = { actor: { kind: 'operator', name: operatorName() } };
      const outcomes = await withApp((app) =>
        importReconFiles(app, caller, {
          files,
          partner: options.partner,
          cloud: options.cloud,
          out: process.stdout,
          err: process.stderr,
        }),
      );
      if (
        outcomes.some(
          (outcome) =>
            outcome.result?.import.status !== 'completed' && outcome.result?.import.status !== 'unchanged',
        )
      )
        process.exitCode = 1;
    });
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}
