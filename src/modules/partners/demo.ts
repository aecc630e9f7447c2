import type { AppContext } from '#platform/app';
import { withTransaction } from '#platform/db';
import {
  type EmulatorConnection,
  insertEmulatorConnections,
  pointConnectionsAtEmulator,
} from './demo-connections.ts';
import { insertPartner, type NewPartner } from './queries.ts';

/**
 * The demo partners, with fixed ids so other modules' demo data (users, customers) can point at them:
 * a direct partner in Hungary, an indirect provider in the United States and a Taiwanese reseller of it.
 */
export const demoPartners = {
  contosoHu: { id: '0d1e0000-0000-4000-8000-000000000001', slug: 'contoso-hu' },
  northwindUs: { id: '0d1e0000-0000-4000-8000-000000000002', slug: 'northwind-us' },
  tailspinTw: { id: '0d1e0000-0000-4000-8000-000000000003', slug: 'tailspin-tw' },
} as const;

const partners: (NewPartner & { providerIds: string[] })[] = [
  {
    ...demoPartners.contosoHu,
    kind: 'direct',
    legalName: 'Contoso Informatikai Kft.',
    displayName: 'Contoso Hungary',
    defaultLanguage: 'hu',
    timeZone: 'Europe/Budapest',
    currency: 'HUF',
    senderName: 'Contoso ügyfélszolgálat',
    senderAddress: 'ugyfelszolgalat@contoso-hu.example',
    supportEmail: 'support@contoso-hu.example',
    supportPhone: '+36 1 555 0100',
    supportUrl: 'https://support.contoso-hu.example/',
    brandColor: '#2f9e44',
    accentColor: '#e8590c',
    providerIds: [],
  },
  {
    ...demoPartners.northwindUs,
    kind: 'indirect_provider',
    legalName: 'Northwind Cloud Distribution, Inc.',
    displayName: 'Northwind Cloud',
    defaultLanguage: 'en',
    timeZone: 'America/Chicago',
    currency: 'USD',
    senderName: 'Northwind Cloud Support',
    senderAddress: 'support@northwind-cloud.example',
    supportEmail: 'support@northwind-cloud.example',
    supportPhone: '+1 312 555 0142',
    supportUrl: 'https://help.northwind-cloud.example/',
    brandColor: '#1c7ed6',
    accentColor: '#f08c00',
    providerIds: [],
  },
  {
    ...demoPartners.tailspinTw,
    kind: 'indirect_reseller',
    legalName: '尾旋雲端服務股份有限公司',
    displayName: '尾旋雲端 Tailspin Cloud',
    defaultLanguage: 'zh-Hant',
    timeZone: 'Asia/Taipei',
    currency: 'TWD',
    senderName: '尾旋雲端客服',
    senderAddress: 'service@tailspin-cloud.example',
    supportEmail: 'service@tailspin-cloud.example',
    supportPhone: '+886 2 5555 0188',
    supportUrl: 'https://service.tailspin-cloud.example/',
    brandColor: '#ae3ec9',
    accentColor: '#0ca678',
    providerIds: [demoPartners.northwindUs.id],
  },
];

/**
 * The demo partners reach Partner Center through the local emulator, each cloud instance to one of its
 * seeded partner tenants. Tailspin, a reseller, has none: its provider transacts for it.
 */
const connections: EmulatorConnection[] = [
  { partnerId: demoPartners.contosoHu.id, cloud: 'public', emulatorPartner: 'contoso-hu' },
  { partnerId: demoPartners.northwindUs.id, cloud: 'public', emulatorPartner: 'northwind-us' },
  { partnerId: demoPartners.northwindUs.id, cloud: 'usgov', emulatorPartner: 'northwind-gov' },
  { partnerId: demoPartners.northwindUs.id, cloud: 'china', emulatorPartner: 'northwind-cn' },
];

export async function seedDemoPartners(app: AppContext): Promise<void> {
  await withTransaction(app.database, async (tx) => {
    for (const { providerIds, ...partner } of partners) await insertPartner(tx, partner, providerIds);
    await insertEmulatorConnections(app, tx, connections);
  });
}

/** Points the demo partners' connections to a local emulator at the one running at `url`; how many. */
export function connectDemoPartnersTo(app: AppContext, url: string): Promise<number> {
  return pointConnectionsAtEmulator(
    app,
    Object.values(demoPartners).map((partner) => partner.id),
    url,
  );
}
