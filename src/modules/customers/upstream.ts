import { isDeepStrictEqual } from 'node:util';
import { recordAudit } from '#modules/audit';
import type { Customer as UpstreamCustomer } from '#modules/partner-center';
import { getPartner } from '#modules/partners';
import { type Caller, systemActor } from '#platform/actor';
import type { Queryable, Tx } from '#platform/db';
import { conflict } from '#platform/errors';
import { normalizeLocale } from '#platform/i18n';
import {
  type Customer,
  customerWithDomain,
  insertCustomer,
  mirroredCustomersNotSeen,
  mirroredTenantIds,
  mirrorTargetForUpdate,
  updateCustomerRow,
} from './queries.ts';

export type MirrorCloud = 'public' | 'usgov' | 'china';
export type MirrorOutcome = 'created' | 'updated' | 'unchanged';

const syncCaller: Caller = { actor: systemActor('partner-center') };

interface MirrorOptions {
  now?: Date;
  caller?: Caller;
}

/** JSON as the database gives it back: no undefined members. */
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The tenant facts kept in `upstream`: what Partner Center says, without links and etags. */
function tenantFacts(customer: UpstreamCustomer): Record<string, unknown> {
  return plainJson({
    id: customer.id,
    commerceId: customer.commerceId,
    companyProfile: customer.companyProfile,
    billingProfile: customer.billingProfile,
    relationshipToPartner: customer.relationshipToPartner,
    associatedPartnerId: customer.associatedPartnerId,
    customDomains: customer.customDomains,
  });
}

const COUNTRY = /^[A-Z]{2}$/;
const countryOfCloud: Record<MirrorCloud, string> = { public: 'US', usgov: 'US', china: 'CN' };

/**
 * The billing address's country, else the company address's, else the region of the billing
 * culture (`de-AT`), else the cloud's home market: staff correct it if that guess is wrong.
 */
function countryOf(customer: UpstreamCustomer, cloud: MirrorCloud): string {
  const billing = customer.billingProfile;
  const candidates = [
    billing?.defaultAddress?.country,
    customer.companyProfile?.address?.country,
    regionOf(billing?.culture),
  ];
  const found = candidates
    .map((code) => code?.trim().toUpperCase())
    .find((code) => code && COUNTRY.test(code));
  return found ?? countryOfCloud[cloud];
}

function regionOf(culture: string | undefined): string | undefined {
  if (!culture) return undefined;
  try {
    return new Intl.Locale(culture.replaceAll('_', '-')).region;
  } catch {
    return undefined;
  }
}

function languageOf(customer: UpstreamCustomer): string | undefined {
  const billing = customer.billingProfile;
  return normalizeLocale(billing?.culture) ?? normalizeLocale(billing?.language);
}

function domainOf(customer: UpstreamCustomer): string | undefined {
  return (customer.companyProfile?.domain ?? customer.customDomains[0])?.toLowerCase();
}

function nameOf(customer: UpstreamCustomer): string {
  return (
    customer.companyProfile?.companyName ??
    customer.billingProfile?.companyName ??
    domainOf(customer) ??
    customer.id
  );
}

/** `upstream.<key>` for each top-level fact that changed: what an audit event can show. */
function changedFacts(before: Record<string, unknown> | null, after: Record<string, unknown>) {
  const old = before ?? {};
  const keys = [...new Set([...Object.keys(old), ...Object.keys(after)])];
  const changed = keys.filter((key) => !isDeepStrictEqual(old[key], after[key]));
  return {
    before: Object.fromEntries(changed.map((key) => [`upstream.${key}`, old[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [`upstream.${key}`, after[key] ?? null])),
  };
}

/**
 * Stores one customer as the partner's Partner Center connection lists it, in the caller's
 * transaction. Matched by tenant id, else by domain (ignoring case) — a customer typed in here is
 * linked (its tenant id filled; it stays `local` and keeps its name) — else created as a
 * `partner_center` customer in the partner's language and currency unless the billing profile says
 * otherwise. For an indirect provider the match includes its resellers' customers, which are mirrored
 * in the reseller's rows. Only mirrored columns change; nothing differing means no write and no audit.
 */
export async function applyUpstreamCustomer(
  tx: Tx,
  partnerId: string,
  cloud: MirrorCloud,
  upstream: UpstreamCustomer,
  options: MirrorOptions = {},
): Promise<{ outcome: MirrorOutcome; customer: Customer }> {
  const now = options.now ?? new Date();
  const caller = options.caller ?? syncCaller;
  const tenantId = upstream.id.toLowerCase();
  const facts = tenantFacts(upstream);
  const current = await mirrorTargetForUpdate(tx, partnerId, cloud, tenantId, domainOf(upstream));
  if (!current) {
    const domain = domainOf(upstream) ?? tenantId;
    // The domain is here already, on a customer of another tenant or cloud instance: a person decides.
    const taken = await customerWithDomain(tx, { partnerId }, domain);
    if (taken) {
      throw conflict(
        'customer-domain-taken',
        `Partner Center lists tenant ${tenantId} (${cloud}) with the domain ${domain}, which the customer "${taken.name}" here already has (${taken.tenantId === null ? 'no tenant' : `tenant ${taken.tenantId}`}, ${taken.cloudInstance}): correct that customer, then sync again`,
      );
    }
    const partner = await getPartner(tx, partnerId);
    const customer = await insertCustomer(tx, {
      partnerId,
      name: nameOf(upstream),
      domain,
      tenantId,
      cloudInstance: cloud,
      country: countryOf(upstream, cloud),
      language: languageOf(upstream) ?? partner.defaultLanguage,
      currency: partner.currency,
      source: 'partner_center',
      upstream: facts,
      syncedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const { upstream: _facts, ...created } = customer;
    await recordAudit(tx, caller, {
      partnerId,
      customerId: customer.id,
      action: 'customer.created',
      target: { type: 'customer', id: customer.id },
      after: {
        name: created.name,
        domain: created.domain,
        tenantId,
        cloudInstance: cloud,
        country: created.country,
        language: created.language,
        currency: created.currency,
        source: created.source,
      },
    });
    return { outcome: 'created', customer };
  }

  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const mirrored = {
    tenantId,
    // A name typed in here is the partner's to keep; a mirrored customer follows Partner Center.
    ...(current.source === 'partner_center' && { name: nameOf(upstream) }),
    upstreamRemovedAt: null,
  };
  for (const [name, value] of Object.entries(mirrored)) {
    const old = current[name as keyof typeof mirrored];
    if (old === value) continue;
    before[name] = old;
    after[name] = value;
  }
  const factChanges = changedFacts(current.upstream, facts);
  if (Object.keys(after).length === 0 && Object.keys(factChanges.after).length === 0) {
    return { outcome: 'unchanged', customer: current };
  }
  const customer = await updateCustomerRow(tx, current, {
    ...mirrored,
    upstream: facts,
    syncedAt: now,
    updatedAt: now,
  });
  await recordAudit(tx, caller, {
    // A reseller's customer: the event is the reseller's, whose record changed.
    partnerId: current.partnerId,
    customerId: current.id,
    action: 'customer.updated',
    target: { type: 'customer', id: current.id },
    before: { ...before, ...factChanges.before },
    after: { ...after, ...factChanges.after },
  });
  return { outcome: 'updated', customer };
}

/**
 * After a full pass of one cloud's customers (`seenTenantIds` is every tenant it listed): marks the
 * mirrored customers Partner Center no longer lists as removed upstream — never deleted, their
 * history stays — and returns them, so their subscriptions can be marked too.
 */
export async function markCustomersRemovedUpstream(
  tx: Tx,
  partnerId: string,
  cloud: MirrorCloud,
  seenTenantIds: readonly string[],
  options: MirrorOptions = {},
): Promise<Customer[]> {
  const now = options.now ?? new Date();
  const gone = await mirroredCustomersNotSeen(
    tx,
    partnerId,
    cloud,
    seenTenantIds.map((id) => id.toLowerCase()),
  );
  const marked: Customer[] = [];
  for (const current of gone) {
    marked.push(await updateCustomerRow(tx, current, { upstreamRemovedAt: now, updatedAt: now }));
    await recordAudit(tx, options.caller ?? syncCaller, {
      partnerId: current.partnerId,
      customerId: current.id,
      action: 'customer.removed_upstream',
      target: { type: 'customer', id: current.id },
      before: { upstreamRemovedAt: null },
      after: { upstreamRemovedAt: now },
    });
  }
  return marked;
}

/** Tenant ids the partner's connection has already mirrored (its own customers and its resellers'). */
export function syncedTenantIds(db: Queryable, partnerId: string): Promise<Set<string>> {
  return mirroredTenantIds(db, partnerId);
}
