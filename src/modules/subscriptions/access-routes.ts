import Type, { type Static, type TSchema } from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { accessActions, accessReasons } from './access-rules.ts';
import {
  carryOutResellerRequest,
  declineResellerRequest,
  listAccessChanges,
  listResellerRequests,
  type ResellerRequest,
  requestAccessChange,
} from './access-service.ts';
import { adviceFor } from './microsoft-advice.ts';
import type { AccessChangeRow } from './queries.ts';
import { serviceFamilies, subscriptionAccessChanges } from './schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = () => Type.String({ format: 'date-time' });
const accessChangeStatuses = subscriptionAccessChanges.status.enumValues;

/**
 * One suspension or reactivation of one subscription. `errorCode` / `errorMessage` are Microsoft's
 * (or ours before Microsoft was asked); `advice` says in plain English what to do, by code.
 */
export const AccessChangeView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  batchId: Type.String({ format: 'uuid' }),
  subscriptionId: Type.String({ format: 'uuid' }),
  customerId: Type.String({ format: 'uuid' }),
  action: Type.Enum(accessActions),
  reason: Type.Enum(accessReasons),
  status: Type.Enum(accessChangeStatuses),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Instant()),
  errorCode: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  advice: Nullable(Type.String()),
  createdAt: Instant(),
  completedAt: Nullable(Instant()),
});
export type AccessChangeView = Static<typeof AccessChangeView>;

/** A reseller's request as its provider sees it: whose, for which customer and subscription. */
const ResellerRequestView = Type.Object({
  ...AccessChangeView.properties,
  resellerId: Type.String({ format: 'uuid' }),
  resellerName: Type.String(),
  customerName: Type.String(),
  subscriptionName: Type.String(),
  offerName: Type.String(),
  serviceFamily: Type.Enum(serviceFamilies),
});

export function presentAccessChange(change: AccessChangeRow): AccessChangeView {
  // A waiting change's next attempt is the schedule's; a pending one's is only its creator's lease.
  const nextAttemptAt = change.status === 'waiting' ? change.nextAttemptAt : null;
  return {
    id: change.id,
    batchId: change.batchId,
    subscriptionId: change.subscriptionId,
    customerId: change.customerId,
    action: change.action,
    reason: change.reason,
    status: change.status,
    attempts: change.attempts,
    nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    errorCode: change.errorCode,
    errorMessage: change.errorMessage,
    advice: change.status === 'declined' ? null : adviceFor(change.errorCode, nextAttemptAt),
    createdAt: change.createdAt.toISOString(),
    completedAt: change.completedAt?.toISOString() ?? null,
  };
}

function presentResellerRequest(request: ResellerRequest): Static<typeof ResellerRequestView> {
  return {
    ...presentAccessChange(request.change),
    resellerId: request.change.partnerId,
    resellerName: request.resellerName,
    customerName: request.customerName,
    subscriptionName: request.subscription.friendlyName,
    offerName: request.subscription.offerName,
    serviceFamily: request.subscription.serviceFamily,
  };
}

const CustomerParams = Type.Object({ customerId: Type.String({ format: 'uuid' }) });
const RequestParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const suspend = { access: { permission: 'subscriptions.suspend' } } as const;

export function accessChangeRoutes(api: Api, app: AppContext) {
  api.post(
    '/customers/:customerId/access-changes',
    {
      // It calls Microsoft: an Idempotency-Key makes a retried POST answer what the first one did.
      config: { ...suspend, idempotent: true },
      schema: {
        tags: ['subscriptions'],
        summary:
          "Suspend or reactivate one subscription, a service family's or all of a customer's; one is carried out at once, more by a job",
        params: CustomerParams,
        body: Type.Object(
          {
            action: Type.Enum(accessActions),
            subscriptionIds: Type.Optional(
              Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 }),
            ),
            serviceFamily: Type.Optional(Type.Enum(serviceFamilies)),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            batchId: Type.String({ format: 'uuid' }),
            jobId: Nullable(Type.String()),
            changes: Type.Array(AccessChangeView),
          }),
        },
      },
    },
    async (request, reply) => {
      const batch = await requestAccessChange(app, callerOf(request), {
        customerId: request.params.customerId,
        ...request.body,
      });
      return reply.code(202).send({ ...batch, changes: batch.changes.map(presentAccessChange) });
    },
  );

  api.get(
    '/customers/:customerId/access-changes',
    {
      config: { access: { permission: 'subscriptions.read' } },
      schema: {
        tags: ['subscriptions'],
        summary: "A customer's suspensions and reactivations, newest first; one batch's with batchId",
        params: CustomerParams,
        querystring: Type.Object({ batchId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Object({ items: Type.Array(AccessChangeView) }) },
      },
    },
    async (request) => ({
      items: (await listAccessChanges(app, callerOf(request), request.params.customerId, request.query)).map(
        presentAccessChange,
      ),
    }),
  );

  api.get(
    '/reseller-requests',
    {
      config: suspend,
      schema: {
        tags: ['subscriptions'],
        summary: "Suspensions and reactivations the partner's resellers asked it to carry out",
        querystring: Type.Object({ status: Type.Optional(Type.Enum(accessChangeStatuses)) }),
        response: { 200: Type.Object({ items: Type.Array(ResellerRequestView) }) },
      },
    },
    async (request) => ({
      items: (await listResellerRequests(app, callerOf(request), request.query)).map(presentResellerRequest),
    }),
  );

  api.post(
    '/reseller-requests/:id/carry-out',
    {
      config: { ...suspend, idempotent: true },
      schema: {
        tags: ['subscriptions'],
        summary: "Carry out a reseller's request through this partner's Partner Center connection",
        params: RequestParams,
        response: { 200: AccessChangeView },
      },
    },
    async (request) =>
      presentAccessChange(await carryOutResellerRequest(app, callerOf(request), request.params.id)),
  );

  api.post(
    '/reseller-requests/:id/decline',
    {
      config: suspend,
      schema: {
        tags: ['subscriptions'],
        summary: "Decline a reseller's request, saying why",
        params: RequestParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: AccessChangeView },
      },
    },
    async (request) =>
      presentAccessChange(
        await declineResellerRequest(app, callerOf(request), request.params.id, request.body.reason),
      ),
  );
}
