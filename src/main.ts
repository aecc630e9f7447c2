import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auditModule } from '#modules/audit';
import { customersModule } from '#modules/customers';
import { identityModule } from '#modules/identity';
import { notificationsModule } from '#modules/notifications';
import { partnersModule } from '#modules/partners';
import { subscriptionsModule } from '#modules/subscriptions';
import { vendorBillsModule } from '#modules/vendor-bills';
import type { AppModule } from '#platform/app';

/** The business modules, in the dependency order of ARCHITECTURE.md; each adds its routes, jobs and demo data. */
export const modules: readonly AppModule[] = [
  auditModule,
  partnersModule,
  notificationsModule,
  customersModule,
  identityModule,
  subscriptionsModule,
  vendorBillsModule,
];

export const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

export const webDist = fileURLToPath(new URL('../web/dist', import.meta.url));
