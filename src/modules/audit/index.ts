import type { AppModule } from '#platform/app';
import { auditRoutes } from './routes.ts';

export { type AuditArea, areaOf, auditAreas } from './areas.ts';
export { REDACTED } from './changes.ts';
export { pruneAuditBefore, pseudonymiseActor, pseudonymOf } from './maintenance.ts';
export { readableAuditAreas } from './policies.ts';
export { AuditEventResponse, presentAuditEvent } from './presenters.ts';
export type { AuditEvent } from './queries.ts';
export { type AuditEventInput, INSTALLATION, recordAudit } from './record.ts';
export type { ActorKind, Changes, FieldChange } from './schema.ts';
export { type AuditPage, type AuditSearch, searchAudit } from './search.ts';

/** The audit log: recorded by every module's mutations, read by admins at GET /api/v1/audit-events. */
export const auditModule: AppModule = {
  name: 'audit',
  routes: auditRoutes,
};
