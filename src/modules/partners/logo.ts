import type { Readable } from 'node:stream';
import { recordAudit } from '#modules/audit';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { withTransaction } from '#platform/db';
import { notFound } from '#platform/errors';
import { logoContentType, logoFormat } from './logo-format.ts';
import { getPartner, getPartnerBySlug, type PartnerDetails } from './partners.ts';
import { partnerStaff, requirePermission } from './policies.ts';
import { type Partner, partnerForUpdate, providersOf, updatePartner } from './queries.ts';

export interface LogoUpload {
  contentType: string;
  bytes: Uint8Array;
}

/**
 * Stores a new logo under `partners/<id>/logo.<ext>` and points the partner at it. The file is written
 * before the transaction (storage is local, not an outside system); a logo of another format is removed
 * only once the new key is committed.
 */
export async function setPartnerLogo(
  app: AppContext,
  caller: Caller,
  upload: LogoUpload,
): Promise<PartnerDetails> {
  const actor = requirePermission(caller, 'partner.manage');
  const format = logoFormat(upload.contentType, upload.bytes);
  const key = `partners/${actor.partnerId}/logo.${format.extension}`;
  const stored = await app.storage.put(key, upload.bytes);
  const { details, previousKey } = await withTransaction(app.database, async (tx) => {
    const current = await partnerForUpdate(tx, actor.partnerId);
    if (!current) throw notFound('Partner');
    const partner = await updatePartner(tx, current.id, { logoKey: key, updatedAt: app.clock.now() });
    await recordAudit(tx, caller, {
      partnerId: partner.id,
      action: 'partner.logo_changed',
      target: { type: 'partner', id: partner.id },
      before: { logoKey: current.logoKey },
      after: { logoKey: key, size: stored.size, sha256: stored.sha256 },
    });
    return {
      details: { partner, providers: await providersOf(tx, partner.id) },
      previousKey: current.logoKey,
    };
  });
  if (previousKey && previousKey !== key) await app.storage.delete(previousKey);
  return details;
}

export interface LogoFile {
  contentType: string;
  body: Readable;
}

async function openLogo(app: AppContext, partner: Partner): Promise<LogoFile> {
  if (!partner.logoKey) throw notFound('Logo');
  return { contentType: logoContentType(partner.logoKey), body: await app.storage.get(partner.logoKey) };
}

/** The logo of the caller's own partner, for its staff. */
export async function getPartnerLogo(app: AppContext, caller: Caller): Promise<LogoFile> {
  const actor = partnerStaff(caller, 'Logo');
  return openLogo(app, await getPartner(app.database.db, actor.partnerId));
}

/** Anyone may see a partner's logo: its sign-in page shows it. */
export async function getPublicLogo(app: AppContext, slug: string): Promise<LogoFile> {
  return openLogo(app, await getPartnerBySlug(app.database.db, slug));
}
