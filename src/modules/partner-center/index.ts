export { type AuditRecord, parseAuditRecord } from './client/audit-records.ts';
export {
  type BillingClientOptions,
  type BillingExport,
  createBillingClient,
  type PartnerCenterBillingClient,
} from './client/billing.ts';
export {
  type DailyRatedUsageLine,
  type ExportManifest,
  type Invoice,
  type InvoiceDetail,
  parseDailyRatedUsageLine,
  parseExportManifest,
  parseInvoice,
  parseReconciliationLine,
  type ReconciliationLine,
} from './client/billing-resources.ts';
export {
  type CallOptions,
  createPartnerCenterClient,
  type PartnerCenterClient,
  type PartnerCenterClientOptions,
} from './client/client.ts';
export {
  type CloudInstance,
  type CloudName,
  cloudInstances,
  GRAPH_RESOURCE,
  isCloudName,
  PARTNER_CENTER_RESOURCE,
  resolveCloud,
} from './client/clouds.ts';
export {
  PartnerCenterAuthError,
  PartnerCenterError,
  type PartnerCenterErrorDetails,
  PartnerCenterResponseError,
  readErrorBody,
} from './client/errors.ts';
export { ResourceParseError } from './client/read-fields.ts';
export {
  type Address,
  type BillingCycle,
  type BillingProfile,
  billingCycles,
  type CompanyProfile,
  type Customer,
  type Link,
  type LinkHeader,
  type Page,
  parseCustomer,
  parseLink,
  parsePage,
  parseSubscription,
  type Subscription,
  type SubscriptionStatus,
  subscriptionPatchBody,
  subscriptionStatuses,
} from './client/resources.ts';
export type { PartnerCenterCredentials } from './client/tokens.ts';

// The local server of the same APIs, for the demo, development and tests.
export * from './emulator/index.ts';
