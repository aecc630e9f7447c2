import Type, { type TSchema } from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { payableNotices, payableStatuses } from './payable-terms.ts';
import {
  getPayablesSettings,
  listVendorInvoices,
  savePayablesSettings,
  updateVendorInvoice,
} from './payables.ts';
import { payablesSummary } from './payables-summary.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/*
 * Request values that may be null. One JSON type list, not a union: the server coerces types, and
 * within a union null would be coerced into the first branch (0 days, an empty string).
 */
const IntegerOrNull = Type.Unsafe<number | null>({ type: ['integer', 'null'] });
const StringOrNull = Type.Unsafe<string | null>({ type: ['string', 'null'] });
const LocalDate = Type.String({ format: 'date' });
/** Exact decimals travel as strings. */
const Amount = Type.String();
const access = { access: { permission: 'costs.manage' } } as const;

export const VendorInvoiceView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  invoiceNumber: Type.String(),
  cloud: Type.String(),
  documentType: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
  invoiceDate: LocalDate,
  billingPeriodStart: Nullable(LocalDate),
  billingPeriodEnd: Nullable(LocalDate),
  currency: Type.String(),
  total: Nullable(Amount),
  billedLinesTotal: Nullable(Amount),
  difference: Nullable(Amount),
  termsDays: Type.Integer(),
  termsOverridden: Type.Boolean(),
  dueDate: Nullable(LocalDate),
  paidAt: Nullable(LocalDate),
  paidAmount: Nullable(Amount),
  paidSource: Nullable(Type.Union([Type.Literal('manual'), Type.Literal('imported')])),
  status: Type.Enum(payableStatuses),
  daysOverdue: Type.Integer(),
  suspensionDate: Nullable(LocalDate),
  outstanding: Nullable(Amount),
  source: Type.Union([Type.Literal('connector'), Type.Literal('import')]),
});

const VendorInvoicePatch = Type.Object(
  {
    termsDays: Type.Optional(IntegerOrNull),
    paidAt: Type.Optional(StringOrNull),
    paidAmount: Type.Optional(StringOrNull),
  },
  { additionalProperties: false },
);

const PayablesSettingsView = Type.Object({
  creditLimitUsd: Nullable(Amount),
  warnDaysBefore: Type.Integer(),
  paymentTermsDays: Type.Integer(),
});

const PayablesSettingsBody = Type.Object(
  { creditLimitUsd: StringOrNull, warnDaysBefore: Type.Integer() },
  { additionalProperties: false },
);

const PayablesSummaryView = Type.Object({
  today: LocalDate,
  byCurrency: Type.Array(
    Type.Object({ currency: Type.String(), open: Amount, dueSoon: Amount, overdue: Amount }),
  ),
  dueByDate: Type.Array(Type.Object({ dueDate: LocalDate, currency: Type.String(), amount: Amount })),
  nextSuspensionDate: Nullable(LocalDate),
  daysToSuspension: Nullable(Type.Integer()),
  creditLimitUsd: Nullable(Amount),
  openUsd: Amount,
  unbilledUsd: Amount,
  headroomUsd: Nullable(Amount),
  currenciesNotInUsd: Type.Array(Type.String()),
  warnings: Type.Array(
    Type.Object({
      kind: Type.Enum([...payableNotices, 'credit_limit_exceeded']),
      invoiceId: Nullable(Type.String({ format: 'uuid' })),
      invoiceNumber: Nullable(Type.String()),
      currency: Type.String(),
      amount: Nullable(Amount),
      dueDate: Nullable(LocalDate),
      daysOverdue: Type.Integer(),
      suspensionDate: Nullable(LocalDate),
    }),
  ),
});

/** Microsoft's invoices to the partner: due dates, payment, warnings and the credit limit. */
export function payableRoutes(api: Api, app: AppContext) {
  api.get(
    '/vendor-bills/invoices',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: "Microsoft's invoices to the partner with terms, due date and payment, newest first",
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(payableStatuses)),
          currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(VendorInvoiceView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => listVendorInvoices(app, callerOf(request), request.query),
  );

  api.patch(
    '/vendor-bills/invoices/:id',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: "Set an invoice's own payment terms (null: the partner's) or record its payment by hand",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: VendorInvoicePatch,
        response: { 200: VendorInvoiceView },
      },
    },
    async (request) => updateVendorInvoice(app, callerOf(request), request.params.id, request.body),
  );

  api.get(
    '/vendor-bills/payables/summary',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary:
          'Open, due-soon and overdue amounts, the due-date chart, suspension countdown and credit limit',
        response: { 200: PayablesSummaryView },
      },
    },
    async (request) => payablesSummary(app, callerOf(request)),
  );

  api.get(
    '/vendor-bills/settings',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: 'The credit limit, when warnings go out, and the partner’s default payment terms',
        response: { 200: PayablesSettingsView },
      },
    },
    async (request) => getPayablesSettings(app, callerOf(request)),
  );

  api.put(
    '/vendor-bills/settings',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: 'Set the credit limit (USD, null for none) and how many days before a due date to warn',
        body: PayablesSettingsBody,
        response: { 200: PayablesSettingsView },
      },
    },
    async (request) => savePayablesSettings(app, callerOf(request), request.body),
  );
}
