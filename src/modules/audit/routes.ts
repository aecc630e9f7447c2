import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { auditAreas } from './areas.ts';
import { AuditEventResponse, presentAuditEvent } from './presenters.ts';
import { MAX_PAGE_SIZE, searchAudit } from './search.ts';

const Text = Type.String({ minLength: 1, maxLength: 200 });

const AuditEventsQuery = Type.Object({
  actorId: Type.Optional(Text),
  targetType: Type.Optional(Text),
  targetId: Type.Optional(Text),
  customerId: Type.Optional(Type.String({ format: 'uuid' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A prefix of the action' })),
  area: Type.Optional(Type.Enum(auditAreas)),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
});

const AuditPageResponse = Type.Object({
  events: Type.Array(AuditEventResponse),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export function auditRoutes(api: Api, app: AppContext) {
  api.get(
    '/audit-events',
    {
      // searchAudit narrows to what the caller's one (or more) of these permissions reads.
      config: { access: { anyPermission: ['audit.read', 'audit.read_users', 'audit.read_money'] } },
      schema: {
        tags: ['audit'],
        summary: "The partner's audit log, newest first, as far as the caller's role may read it",
        querystring: AuditEventsQuery,
        response: { 200: AuditPageResponse },
      },
    },
    async (request) => {
      const { from, to, ...query } = request.query;
      const page = await searchAudit(app, callerOf(request), {
        ...query,
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
      });
      return { events: page.events.map(presentAuditEvent), nextCursor: page.nextCursor };
    },
  );
}
