import { recordAudit } from '#modules/audit';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { type Queryable, withTransaction } from '#platform/db';
import { DomainError, invalid, notFound } from '#platform/errors';
import type { Locale } from '#platform/i18n';
import { changedValues, parseChoice, parseSlug, parseText } from './fields.ts';
import { partnerStaff, requireOperator, requirePermission } from './policies.ts';
import {
  allPartners,
  insertPartner,
  type Partner,
  partnerById,
  partnerBySlug,
  partnerForUpdate,
  partnersBySlugs,
  providersOf,
  updatePartner,
} from './queries.ts';
import { type PartnerSettings, type PartnerSettingsInput, parsePartnerSettings } from './settings.ts';

export const partnerKinds = ['direct', 'indirect_provider', 'indirect_reseller'] as const;
export type PartnerKind = (typeof partnerKinds)[number];

/** A partner with the providers it transacts through (none unless it is an indirect reseller). */
export interface PartnerDetails {
  partner: Partner;
  providers: Partner[];
}

export interface CreatePartnerInput extends PartnerSettingsInput {
  slug: string;
  kind: string;
  legalName: string;
  /** Slugs of the indirect providers an indirect reseller transacts through. */
  providers?: readonly string[];
}

/** The operator creates a partner (its first Global admin is created by identity's `users create`). */
export async function createPartner(
  app: AppContext,
  caller: Caller,
  input: CreatePartnerInput,
): Promise<PartnerDetails> {
  requireOperator(caller);
  const slug = parseSlug(input.slug);
  const kind = parseChoice(input.kind, 'kind', partnerKinds);
  const legalName = parseText(input.legalName, 'legalName');
  const settings = parsePartnerSettings({ ...input, displayName: input.displayName ?? legalName });
  const providerSlugs = [...new Set(input.providers ?? [])].map((provider) =>
    parseSlug(provider, 'providers'),
  );
  if (kind === 'indirect_reseller' && providerSlugs.length === 0) {
    throw invalid('reseller-without-provider', 'providers must name at least one indirect provider', {
      field: 'providers',
    });
  }
  if (kind !== 'indirect_reseller' && providerSlugs.length > 0) {
    throw invalid('providers-not-allowed', `providers are named by indirect resellers only, not by ${kind}`, {
      field: 'providers',
    });
  }
  return withTransaction(app.database, async (tx) => {
    if (await partnerBySlug(tx, slug)) {
      throw new DomainError('conflict', 'slug-taken', `slug ${slug} is already used by another partner`, {
        field: 'slug',
      });
    }
    const found = await partnersBySlugs(tx, providerSlugs);
    const providers = providerSlugs.map((providerSlug) => {
      const provider = found.find((candidate) => candidate.slug === providerSlug);
      if (!provider) {
        throw invalid('unknown-provider', `providers: no partner has the slug ${providerSlug}`, {
          field: 'providers',
        });
      }
      if (provider.kind !== 'indirect_provider') {
        throw invalid(
          'not-a-provider',
          `providers: ${providerSlug} is ${provider.kind}, not indirect_provider`,
          {
            field: 'providers',
          },
        );
      }
      return provider;
    });
    const partner = await insertPartner(
      tx,
      { ...settings, slug, kind, legalName, displayName: settings.displayName ?? legalName },
      providers.map((provider) => provider.id),
    );
    await recordAudit(tx, caller, {
      partnerId: partner.id,
      action: 'partner.created',
      target: { type: 'partner', id: partner.id },
      after: { ...settings, slug, kind, legalName, providers: providerSlugs },
    });
    return { partner, providers };
  });
}

/** The partner; a missing one is not found. */
export async function getPartner(db: Queryable, partnerId: string): Promise<Partner> {
  const partner = await partnerById(db, partnerId);
  if (!partner) throw notFound('Partner');
  return partner;
}

export function findPartnerBySlug(db: Queryable, slug: string): Promise<Partner | undefined> {
  return partnerBySlug(db, slug);
}

/** The indirect providers a reseller transacts through; empty for other partners. */
export function listProviders(db: Queryable, partnerId: string): Promise<Partner[]> {
  return providersOf(db, partnerId);
}

/** Every partner of the installation, for the operator. */
export async function listPartners(db: Queryable): Promise<PartnerDetails[]> {
  const partners = await allPartners(db);
  return Promise.all(
    partners.map(async (partner) => ({ partner, providers: await providersOf(db, partner.id) })),
  );
}

/** The caller's own partner, for its staff. */
export async function getPartnerSettings(app: AppContext, caller: Caller): Promise<PartnerDetails> {
  const actor = partnerStaff(caller, 'Partner');
  const partner = await getPartner(app.database.db, actor.partnerId);
  return { partner, providers: await providersOf(app.database.db, partner.id) };
}

/** Changes the given settings; the audit event holds the changed ones only, before and after. */
export async function updatePartnerSettings(
  app: AppContext,
  caller: Caller,
  patch: PartnerSettingsInput,
): Promise<PartnerDetails> {
  const actor = requirePermission(caller, 'partner.manage');
  const settings = parsePartnerSettings(patch);
  return withTransaction(app.database, async (tx) => {
    const current = await partnerForUpdate(tx, actor.partnerId);
    if (!current) throw notFound('Partner');
    const { before, after } = changedValues<PartnerSettings>(current, settings);
    const providers = await providersOf(tx, current.id);
    if (Object.keys(after).length === 0) return { partner: current, providers };
    const partner = await updatePartner(tx, current.id, { ...after, updatedAt: app.clock.now() });
    await recordAudit(tx, caller, {
      partnerId: partner.id,
      action: 'partner.settings_changed',
      target: { type: 'partner', id: partner.id },
      before,
      after,
    });
    return { partner, providers };
  });
}

/** What mail and documents need to look like the partner's own. */
export interface PartnerBranding {
  displayName: string;
  legalName: string;
  senderName: string | null;
  senderAddress: string | null;
  supportEmail: string | null;
  supportPhone: string | null;
  supportUrl: string | null;
  brandColor: string;
  accentColor: string;
  /** Storage key of the logo, when one was uploaded. */
  logoKey: string | null;
  defaultLanguage: Locale;
  timeZone: string;
}

export async function getPartnerBranding(db: Queryable, partnerId: string): Promise<PartnerBranding> {
  const partner = await getPartner(db, partnerId);
  return {
    displayName: partner.displayName,
    legalName: partner.legalName,
    senderName: partner.senderName,
    senderAddress: partner.senderAddress,
    supportEmail: partner.supportEmail,
    supportPhone: partner.supportPhone,
    supportUrl: partner.supportUrl,
    brandColor: partner.brandColor,
    accentColor: partner.accentColor,
    logoKey: partner.logoKey,
    // The table's check constraint allows only the five locales.
    defaultLanguage: partner.defaultLanguage as Locale,
    timeZone: partner.timeZone,
  };
}

/** The partner a sign-in page belongs to; unknown slugs are not found. */
export async function getPartnerBySlug(db: Queryable, slug: string): Promise<Partner> {
  const partner = await partnerBySlug(db, slug);
  if (!partner) throw notFound('Partner');
  return partner;
}
