import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantColumns, tenantPrimaryKey } from '#platform/db';
import { partners } from '../partners/schema.ts';

/** What kind of lines a delivery holds: they are identified and versioned separately. */
export const lineForms = ['billed_recon', 'daily_usage', 'legacy_license', 'legacy_usage'] as const;
export const importSources = ['csv_upload', 'csv_cli', 'graph_export', 'v1_line_items'] as const;

/**
 * One import: a file (uploaded or given to the CLI) or one pull through the connector. Its lines belong
 * to deliveries; the import itself is the provenance and the progress people watch.
 */
export const vendorImports = pgTable(
  'vendor_imports',
  {
    ...tenantColumns(),
    source: text('source', { enum: importSources }).notNull(),
    /** Detected from the header (files) or known from the call (connector); null until detected. */
    form: text('form', { enum: lineForms }),
    cloud: text('cloud', { enum: ['public', 'usgov', 'china'] }).notNull(),
    fileName: text('file_name'),
    /** Where the file is kept (storage key), so a line's provenance leads back to its raw text. */
    storageKey: text('storage_key'),
    fileBytes: bigint('file_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    status: text('status', { enum: ['running', 'completed', 'unchanged', 'failed'] }).notNull(),
    rowsRead: integer('rows_read').notNull().default(0),
    /** Bytes read so far, against `file_bytes`: the progress bar of a file import. */
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    /** Where a refused file went wrong: its name, 1-based line and the column's header. */
    errorFile: text('error_file'),
    errorLine: integer('error_line'),
    errorColumn: text('error_column'),
    errorMessage: text('error_message'),
    /** Deliveries created, unchanged and superseded; unknown-customer lines; totals per invoice. */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
    startedBy: text('started_by').notNull(),
    jobId: text('job_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] }),
    index('vendor_imports_latest').on(t.partnerId, t.startedAt),
  ],
);

/**
 * One version of one billed invoice's lines of one form (identified by the invoice number), or of one
 * open period's estimate (identified by period and currency). Lines are visible only through a
 * `current` delivery: an import's lines appear together when it marks its deliveries current, or not at
 * all; a corrected re-delivery supersedes the old version, which is kept.
 */
export const vendorDeliveries = pgTable(
  'vendor_deliveries',
  {
    ...tenantColumns(),
    importId: uuid('import_id').notNull(),
    kind: text('kind', { enum: ['billed', 'estimate'] }).notNull(),
    form: text('form', { enum: lineForms }).notNull(),
    /** `billed:<invoice>:<form>` or `estimate:<yyyy-mm>:<currency>:<form>`. */
    deliveryKey: text('delivery_key').notNull(),
    invoiceNumber: text('invoice_number'),
    /** The billing month, first day (`2026-10-01`). */
    period: date('period'),
    currency: text('currency').notNull(),
    version: integer('version').notNull(),
    /** Order-independent digest of the normalised lines: the same lines from any source give the same. */
    fingerprint: text('fingerprint').notNull(),
    lineCount: integer('line_count').notNull(),
    /** Sum of the lines' cost (Microsoft's own amounts) in the billing currency. */
    total: numeric('total').notNull(),
    status: text('status', { enum: ['loading', 'current', 'superseded', 'discarded'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({
      columns: [t.partnerId, t.importId],
      foreignColumns: [vendorImports.partnerId, vendorImports.id],
    }),
    uniqueIndex('vendor_deliveries_version').on(t.partnerId, t.deliveryKey, t.version),
    uniqueIndex('vendor_deliveries_one_current')
      .on(t.partnerId, t.deliveryKey)
      .where(sql`${t.status} = 'current'`),
    index('vendor_deliveries_invoice').on(t.partnerId, t.invoiceNumber),
  ],
);

/**
 * Microsoft's lines, normalised, one row per source line, keyed by its delivery and line number (no
 * surrogate id: a million-row import stays a plain COPY). Cost is Microsoft's own amount, never
 * recomputed. Unknown extra columns are kept in `extra`; the raw text is the import's stored file at
 * `source_line`.
 */
export const vendorCostLines = pgTable(
  'vendor_cost_lines',
  {
    partnerId: uuid('partner_id').notNull(),
    deliveryId: uuid('delivery_id').notNull(),
    lineNumber: integer('line_number').notNull(),
    importId: uuid('import_id').notNull(),
    /** The blob or file the line came from, and its 1-based line in it (the header is line 1). */
    sourceName: text('source_name'),
    sourceLine: integer('source_line').notNull(),
    invoiceNumber: text('invoice_number'),
    customerTenantId: text('customer_tenant_id'),
    /** The local customer, when the tenant is known here; null lines are listed as unknown customers. */
    customerId: uuid('customer_id'),
    customerName: text('customer_name'),
    customerCountry: text('customer_country'),
    resellerMpnId: text('reseller_mpn_id'),
    subscriptionId: text('subscription_id'),
    entitlementId: text('entitlement_id'),
    orderId: text('order_id'),
    productId: text('product_id'),
    skuId: text('sku_id'),
    availabilityId: text('availability_id'),
    productName: text('product_name'),
    skuName: text('sku_name'),
    meterId: text('meter_id'),
    meterName: text('meter_name'),
    meterCategory: text('meter_category'),
    serviceFamily: text('service_family', { enum: ['azure', 'm365', 'd365', 'other'] }).notNull(),
    chargeType: text('charge_type').notNull(),
    /** Pairs a seat change's refund with its re-charge. */
    referenceId: text('reference_id'),
    periodStart: date('period_start'),
    periodEnd: date('period_end'),
    chargeStart: date('charge_start'),
    chargeEnd: date('charge_end'),
    usageDate: date('usage_date'),
    quantity: numeric('quantity'),
    unitPrice: numeric('unit_price'),
    effectiveUnitPrice: numeric('effective_unit_price'),
    subtotal: numeric('subtotal'),
    tax: numeric('tax'),
    /** The line's cost in the billing currency: `Total`/`totalForCustomer`, for usage `BillingPreTaxTotal`. */
    cost: numeric('cost').notNull(),
    currency: text('currency').notNull(),
    pricingCurrency: text('pricing_currency'),
    pricingTotal: numeric('pricing_total'),
    exchangeRate: numeric('exchange_rate'),
    /** Azure credits and reservations, recognised from the charge type, credit columns and meter. */
    creditType: text('credit_type'),
    isReservation: boolean('is_reservation').notNull().default(false),
    /** A daily usage line's billed line (the delivery and line it details), once linked. */
    billedDeliveryId: uuid('billed_delivery_id'),
    billedLineNumber: integer('billed_line_number'),
    extra: jsonb('extra').$type<Record<string, string>>(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.deliveryId, t.lineNumber] }),
    check('vendor_cost_lines_line', sql`${t.lineNumber} > 0 and ${t.sourceLine} > 0`),
  ],
);

/** Microsoft's invoices to the partner: the payables, with terms, due date and payment. */
export const vendorInvoices = pgTable(
  'vendor_invoices',
  {
    ...tenantColumns(),
    invoiceNumber: text('invoice_number').notNull(),
    cloud: text('cloud', { enum: ['public', 'usgov', 'china'] }).notNull(),
    documentType: text('document_type', { enum: ['invoice', 'credit_note'] })
      .notNull()
      .default('invoice'),
    invoiceDate: date('invoice_date').notNull(),
    billingPeriodStart: date('billing_period_start'),
    billingPeriodEnd: date('billing_period_end'),
    currency: text('currency').notNull(),
    /** Microsoft's total when the connector knows it; null for a CSV-only partner (check the PDF). */
    total: numeric('total'),
    /** Overrides the partner's payment terms (days) for this invoice; the Invoice resource has none. */
    termsDays: integer('terms_days'),
    paidAt: date('paid_at'),
    paidAmount: numeric('paid_amount'),
    paidSource: text('paid_source', { enum: ['manual', 'imported'] }),
    source: text('source', { enum: ['connector', 'import'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    foreignKey({ columns: [t.partnerId], foreignColumns: [partners.id] }),
    uniqueIndex('vendor_invoices_number').on(t.partnerId, t.invoiceNumber),
    check('vendor_invoices_terms', sql`${t.termsDays} is null or ${t.termsDays} between 0 and 365`),
  ],
);

/** The partner's payables settings beyond its payment terms (partners.payment_terms_days). */
export const vendorBillSettings = pgTable('vendor_bill_settings', {
  partnerId: uuid('partner_id')
    .primaryKey()
    .references(() => partners.id),
  /** Microsoft's credit limit for the partner, in USD, if the partner wants its headroom shown. */
  creditLimitUsd: numeric('credit_limit_usd'),
  /** Days before a due date when billing admins are warned. */
  warnDaysBefore: integer('warn_days_before').notNull().default(7),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Warnings sent about one invoice, so a re-run of the daily job never sends one twice. */
export const vendorInvoiceNotices = pgTable(
  'vendor_invoice_notices',
  {
    partnerId: uuid('partner_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    /** `due_soon`, `overdue`, `suspension_risk`. */
    notice: text('notice').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.invoiceId, t.notice] }),
    foreignKey({
      columns: [t.partnerId, t.invoiceId],
      foreignColumns: [vendorInvoices.partnerId, vendorInvoices.id],
    }),
  ],
);
