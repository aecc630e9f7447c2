import type { AppModule } from '#platform/app';
import { importJobs, importJobTypes } from './import-jobs.ts';
import { importRoutes } from './import-routes.ts';
import { lineRoutes } from './line-routes.ts';
import { payableJobs, payableJobTypes } from './payable-jobs.ts';
import { payableRoutes } from './payable-routes.ts';
import { pullJobs, pullJobTypes } from './pull-jobs.ts';
import { pullRoutes } from './pull-routes.ts';

export { type PeriodCompleteness, periodStatus } from './completeness.ts';
export {
  beginImport,
  cleanUpInterruptedImports,
  type ImportCloud,
  type ImportResult,
  type ImportRow,
  loadImport,
} from './imports.ts';
export { type CostLine, deliveryKeyOf, ImportFileError, type LineForm, type ServiceFamily } from './lines.ts';
export { sendPayablesWarnings } from './payable-jobs.ts';
export {
  type BilledInvoiceSeen,
  type ConnectorInvoice,
  recordBilledInvoices,
  type UpsertOutcome,
  upsertVendorInvoicesFromConnector,
} from './payables.ts';
export { scheduleDailyPulls } from './pulls.ts';
export * from './read/index.ts';

export const vendorBillsModule: AppModule = {
  name: 'vendor-bills',
  routes(api, app) {
    importRoutes(api, app);
    pullRoutes(api, app);
    payableRoutes(api, app);
    lineRoutes(api, app);
  },
  jobTypes: [...importJobTypes, ...pullJobTypes, ...payableJobTypes],
  jobs: [...importJobs, ...pullJobs, ...payableJobs],
};
