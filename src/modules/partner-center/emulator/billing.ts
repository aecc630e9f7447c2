import type { FastifyInstance } from 'fastify';
import { registerGraphExportRoutes } from './graph-exports.ts';
import { registerInvoiceRoutes } from './invoices.ts';
import type { PartnerCenterContext } from './requests.ts';

/** Partner Center's invoices and line items (v1) and Microsoft Graph's billing exports (v2). */
export function registerBillingRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  registerInvoiceRoutes(app, context);
  registerGraphExportRoutes(app, context);
}
