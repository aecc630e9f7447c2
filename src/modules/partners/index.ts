import type { AppModule } from '#platform/app';
import { connectionRoutes } from './connections-routes.ts';
import { seedDemoPartners } from './demo.ts';
import { partnerRoutes } from './routes.ts';

export {
  type ConnectionInput,
  type ConnectionView,
  checkConnection,
  deleteConnection,
  getConnection,
  getConnectionBillingClient,
  getConnectionClient,
  listConnectedClouds,
  listConnections,
  listPartnerClouds,
  type PartnerCloud,
  recordConnectionOutcome,
  saveConnection,
} from './connections.ts';
export { connectDemoPartnersTo, demoPartners } from './demo.ts';
export {
  changedValues,
  parseChoice,
  parseEmailAddress,
  parseGiven,
  parseLanguage,
  parseOptional,
  parsePhone,
  parseSlug,
  parseText,
} from './fields.ts';
export { getPartnerLogo, getPublicLogo, type LogoFile, type LogoUpload, setPartnerLogo } from './logo.ts';
export { logoMaxBytes } from './logo-format.ts';
export {
  type CreatePartnerInput,
  createPartner,
  findPartnerBySlug,
  getPartner,
  getPartnerBranding,
  getPartnerBySlug,
  getPartnerSettings,
  listPartners,
  listProviders,
  type PartnerBranding,
  type PartnerDetails,
  type PartnerKind,
  partnerKinds,
  updatePartnerSettings,
} from './partners.ts';
export { partnerStaff, requirePermission, signedIn } from './policies.ts';
export type { Partner } from './queries.ts';
export type { PartnerSettings, PartnerSettingsInput } from './settings.ts';

export const partnersModule: AppModule = {
  name: 'partners',
  routes: async (api, app) => {
    await partnerRoutes(api, app);
    await connectionRoutes(api, app);
  },
  seedDemo: seedDemoPartners,
};
