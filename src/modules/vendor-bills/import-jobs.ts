import Type from 'typebox';
import { type Caller, systemActor } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { defineJob, handleJob } from '#platform/jobs';
import { importById } from './import-queries.ts';
import { cleanUpInterruptedImports, type ImportResult, loadImport } from './imports.ts';
import { readCsvFile } from './read/index.ts';

export const importFile = defineJob({
  name: 'vendor-bills.import-file',
  version: 1,
  payload: Type.Object({
    partnerId: Type.String({ format: 'uuid' }),
    importId: Type.String({ format: 'uuid' }),
  }),
  // A failed import is final (its row says why); the person imports the file again.
  retryLimit: 0,
  expireInSeconds: 6 * 60 * 60,
});

const importJobCaller: Caller = { actor: systemActor(importFile.name) };

/**
 * Imports a stored file (an upload) through the engine, reporting bytes read against the file's size
 * to the job's progress and to the import row. An import no longer running (finished, or marked
 * interrupted) is left as it is, so a redelivered job changes nothing.
 */
export async function runFileImport(
  app: AppContext,
  partnerId: string,
  importId: string,
  report: (done: number, total: number) => Promise<void> = async () => {},
): Promise<ImportResult | undefined> {
  await cleanUpInterruptedImports(app, partnerId);
  const row = await importById(app.database.db, partnerId, importId);
  if (row?.status !== 'running' || row.storageKey === null) return undefined;
  const total = row.fileBytes ?? 0;
  let bytesRead = 0;
  let reporting = Promise.resolve();
  const input = await app.storage.get(row.storageKey);
  const result = await loadImport(
    app,
    importJobCaller,
    row,
    readCsvFile(input, row.fileName ?? row.storageKey, {
      onBytes: (n) => {
        bytesRead = n;
      },
    }),
    {
      bytesRead: () => bytesRead,
      onProgress: ({ bytesRead: done }) => {
        // The job's progress follows each chunk, in order, without holding up the load.
        reporting = reporting.then(() => report(done ?? 0, total)).catch(() => {});
      },
    },
  );
  await reporting;
  if (result.import.status !== 'failed') await report(total, total);
  return result;
}

export const importJobTypes = [importFile];

export const importJobs = [
  handleJob(importFile, async ({ partnerId, importId }, job, app) => {
    const result = await runFileImport(app, partnerId, importId, (done, total) => job.progress(done, total));
    if (result?.import.status === 'failed')
      throw new Error(result.import.errorMessage ?? 'The import failed');
  }),
];
