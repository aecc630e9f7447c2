import Type from 'typebox';
import { listPartnerClouds, partnerStaff, requirePermission } from '#modules/partners';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { CloudSchema, requestPull } from './pulls.ts';
import { reconcileInvoices } from './reconciliation.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const InvoiceReconciliationView = Type.Object({
  invoiceNumber: Type.String(),
  currency: Type.String(),
  microsoftTotal: Nullable(Type.String()),
  billedLinesTotal: Nullable(Type.String()),
  difference: Nullable(Type.String()),
  status: Type.Union([
    Type.Literal('matches'),
    Type.Literal('differs'),
    Type.Literal('no_lines'),
    Type.Literal('no_total'),
  ]),
});

const ConnectionStateView = Type.Object({
  cloud: CloudSchema,
  status: Type.Union([Type.Literal('untested'), Type.Literal('ok'), Type.Literal('failed')]),
  /** Why the last call through the connection failed, in Microsoft's words. */
  lastError: Nullable(Type.String()),
});

const manage = { access: { permission: 'costs.manage' } } as const;

/** Pulls through the partner's connection, and the check of Microsoft's invoices against their lines. */
export function pullRoutes(api: Api, app: AppContext) {
  api.post(
    '/vendor-bills/pulls',
    {
      config: manage,
      schema: {
        tags: ['vendor-bills'],
        summary:
          "Pull Microsoft's invoices, an invoice's (or a month's) billed lines, or the current or previous estimate through the connection",
        body: Type.Object(
          {
            cloud: CloudSchema,
            what: Type.Union([Type.Literal('invoices'), Type.Literal('billed'), Type.Literal('unbilled')]),
            invoiceNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            period: Type.Optional(Type.String({ maxLength: 16 })),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ jobId: Type.String(), importIds: Type.Array(Type.String({ format: 'uuid' })) }),
        },
      },
    },
    async (request, reply) => reply.code(202).send(await requestPull(app, callerOf(request), request.body)),
  );

  api.get(
    '/vendor-bills/connections',
    {
      config: manage,
      schema: {
        tags: ['vendor-bills'],
        summary:
          "The partner's connected Partner Center cloud instances to pull from, with how their last use went (never a secret)",
        response: { 200: Type.Object({ items: Type.Array(ConnectionStateView) }) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requirePermission(caller, 'costs.manage');
      const { partnerId } = partnerStaff(caller, 'Connection');
      return { items: await listPartnerClouds(app.database.db, partnerId) };
    },
  );

  api.get(
    '/vendor-bills/reconciliation',
    {
      config: manage,
      schema: {
        tags: ['vendor-bills'],
        summary:
          "Each of Microsoft's invoices (of one billing month, or all) against the sum of its current billed lines",
        querystring: Type.Object({ period: Type.Optional(Type.String({ maxLength: 16 })) }),
        response: { 200: Type.Object({ items: Type.Array(InvoiceReconciliationView) }) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requirePermission(caller, 'costs.manage');
      const { partnerId } = partnerStaff(caller, 'Invoice');
      return { items: await reconcileInvoices(app.database.db, partnerId, { period: request.query.period }) };
    },
  );
}
