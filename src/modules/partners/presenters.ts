import Type, { type Static, type TSchema } from 'typebox';
import type { PartnerDetails } from './partners.ts';
import type { Partner } from './queries.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The partner's settings as its staff see them; the fields a Global admin may edit, and what is fixed. */
export const PartnerSettingsResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  kind: Type.Union([
    Type.Literal('direct'),
    Type.Literal('indirect_provider'),
    Type.Literal('indirect_reseller'),
  ]),
  legalName: Type.String(),
  displayName: Type.String(),
  defaultLanguage: Type.String(),
  timeZone: Type.String(),
  currency: Type.String(),
  senderName: Nullable(Type.String()),
  senderAddress: Nullable(Type.String()),
  supportEmail: Nullable(Type.String()),
  supportPhone: Nullable(Type.String()),
  supportUrl: Nullable(Type.String()),
  brandColor: Type.String(),
  accentColor: Type.String(),
  paymentTermsDays: Type.Integer(),
  logoUrl: Nullable(Type.String()),
  providers: Type.Array(Type.Object({ id: Type.String(), slug: Type.String(), displayName: Type.String() })),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type PartnerSettingsResponse = Static<typeof PartnerSettingsResponse>;

/** What a sign-in page may show about a partner to anyone: nothing beyond its face and support contact. */
export const PublicBrandingResponse = Type.Object({
  slug: Type.String(),
  displayName: Type.String(),
  brandColor: Type.String(),
  accentColor: Type.String(),
  supportEmail: Nullable(Type.String()),
  supportPhone: Nullable(Type.String()),
  supportUrl: Nullable(Type.String()),
  logoUrl: Nullable(Type.String()),
});
export type PublicBrandingResponse = Static<typeof PublicBrandingResponse>;

/** The update time in the address makes browsers fetch a replaced logo at once. */
function logoUrl(partner: Partner, path: string): string | null {
  return partner.logoKey ? `${path}?v=${partner.updatedAt.getTime()}` : null;
}

export function presentPartnerSettings({ partner, providers }: PartnerDetails): PartnerSettingsResponse {
  return {
    id: partner.id,
    slug: partner.slug,
    kind: partner.kind,
    legalName: partner.legalName,
    displayName: partner.displayName,
    defaultLanguage: partner.defaultLanguage,
    timeZone: partner.timeZone,
    currency: partner.currency,
    senderName: partner.senderName,
    senderAddress: partner.senderAddress,
    supportEmail: partner.supportEmail,
    supportPhone: partner.supportPhone,
    supportUrl: partner.supportUrl,
    brandColor: partner.brandColor,
    accentColor: partner.accentColor,
    paymentTermsDays: partner.paymentTermsDays,
    logoUrl: logoUrl(partner, '/api/v1/partner/logo'),
    providers: providers.map((provider) => ({
      id: provider.id,
      slug: provider.slug,
      displayName: provider.displayName,
    })),
    updatedAt: partner.updatedAt.toISOString(),
  };
}

export function presentPublicBranding(partner: Partner): PublicBrandingResponse {
  return {
    slug: partner.slug,
    displayName: partner.displayName,
    brandColor: partner.brandColor,
    accentColor: partner.accentColor,
    supportEmail: partner.supportEmail,
    supportPhone: partner.supportPhone,
    supportUrl: partner.supportUrl,
    logoUrl: logoUrl(partner, `/api/v1/partners/${partner.slug}/logo`),
  };
}
