// The audit feature's public face: the app's page table wires AuditLogPage at /staff/audit.
export { AuditLogPage } from './audit-log-page.tsx';
