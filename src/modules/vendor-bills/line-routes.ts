import Type, { type TSchema } from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { listPeriods } from './completeness.ts';
import { listCostLines, listUnknownCustomers } from './lines-queries.ts';
import { lineForms, vendorCostLines, vendorDeliveries } from './schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = Nullable(Type.String());
const LocalDate = Nullable(Type.String({ format: 'date' }));
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const serviceFamilies = vendorCostLines.serviceFamily.enumValues;
const kinds = vendorDeliveries.kind.enumValues;
const access = { access: { permission: 'costs.manage' } } as const;

export const CostLineView = Type.Object({
  form: Type.Enum(lineForms),
  invoiceNumber: Text,
  period: Type.String(),
  sourceName: Type.String(),
  sourceLine: Type.Integer(),
  customerTenantId: Text,
  customerName: Text,
  customerCountry: Text,
  resellerMpnId: Text,
  subscriptionId: Text,
  entitlementId: Text,
  orderId: Text,
  productId: Text,
  skuId: Text,
  availabilityId: Text,
  productName: Text,
  skuName: Text,
  meterId: Text,
  meterName: Text,
  meterCategory: Text,
  serviceFamily: Type.Enum(serviceFamilies),
  chargeType: Type.String(),
  referenceId: Text,
  periodStart: LocalDate,
  periodEnd: LocalDate,
  chargeStart: LocalDate,
  chargeEnd: LocalDate,
  usageDate: LocalDate,
  quantity: Text,
  unitPrice: Text,
  effectiveUnitPrice: Text,
  subtotal: Text,
  tax: Text,
  cost: Type.String(),
  currency: Type.String(),
  pricingCurrency: Text,
  pricingTotal: Text,
  exchangeRate: Text,
  creditType: Text,
  isReservation: Type.Boolean(),
  extra: Nullable(Type.Record(Type.String(), Type.String())),
  deliveryId: Type.String({ format: 'uuid' }),
  lineNumber: Type.Integer(),
  importId: Type.String({ format: 'uuid' }),
  customerId: Nullable(Type.String({ format: 'uuid' })),
  deliveryVersion: Type.Integer(),
  kind: Type.Enum(kinds),
});

const CostByCurrency = Type.Object({ currency: Type.String(), cost: Type.String() });

/** Microsoft's cost lines, the customers they name that are not known here, and which months are final. */
export function lineRoutes(api: Api, app: AppContext) {
  api.get(
    '/vendor-bills/lines',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: 'Cost lines of current deliveries, filtered, with totals over every matching line',
        querystring: Type.Object({
          invoiceNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          period: Type.Optional(Month),
          customerId: Type.Optional(Type.String({ format: 'uuid' })),
          serviceFamily: Type.Optional(Type.Enum(serviceFamilies)),
          chargeType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          kind: Type.Optional(Type.Enum(kinds)),
          unknownCustomer: Type.Optional(Type.Boolean()),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(CostLineView),
            totals: Type.Array(
              Type.Object({ currency: Type.String(), cost: Type.String(), lines: Type.Integer() }),
            ),
            nextCursor: Nullable(Type.String()),
          }),
        },
      },
    },
    async (request) => listCostLines(app, callerOf(request), request.query),
  );

  api.get(
    '/vendor-bills/unknown-customers',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: 'Customer tenants on Microsoft’s lines that are not known here, with their lines and cost',
        response: {
          200: Type.Array(
            Type.Object({
              customerTenantId: Text,
              customerName: Text,
              lines: Type.Integer(),
              costByCurrency: Type.Array(CostByCurrency),
              lastPeriod: Nullable(Month),
            }),
          ),
        },
      },
    },
    async (request) => listUnknownCustomers(app, callerOf(request)),
  );

  api.get(
    '/vendor-bills/periods',
    {
      config: access,
      schema: {
        tags: ['vendor-bills'],
        summary: 'Each billing month with cost data: estimated until its billed data arrives, then final',
        querystring: Type.Object({ currency: Type.Optional(Currency) }),
        response: {
          200: Type.Array(
            Type.Object({
              period: Month,
              currency: Type.String(),
              status: Type.Union([Type.Literal('estimated'), Type.Literal('final')]),
              billedTotal: Text,
              estimateTotal: Text,
              invoiceNumbers: Type.Array(Type.String()),
              finalExpectedBy: Type.String({ format: 'date' }),
            }),
          ),
        },
      },
    },
    async (request) => listPeriods(app, callerOf(request), request.query),
  );
}
