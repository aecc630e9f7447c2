import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { type AuditEvent, searchAudit } from '#modules/audit';
import type { Caller } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { isDomainError } from '#platform/errors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import {
  createPartner,
  findPartnerBySlug,
  getPartnerBranding,
  getPartnerLogo,
  listPartners,
  listProviders,
  setPartnerLogo,
  updatePartnerSettings,
} from './index.ts';

const operator: Caller = { actor: { kind: 'operator', name: 'ops' } };

function staff(partnerId: string, permissions: string[], customerId?: string): Caller {
  return {
    actor: { kind: 'staff', id: 'admin-1', partnerId, permissions: new Set(permissions), customerId },
    ip: '203.0.113.7',
  };
}

const globalAdmin = (partnerId: string) => staff(partnerId, ['partner.manage', 'audit.read']);

function rejectsWith(code: string, field?: string) {
  return (error: unknown) =>
    isDomainError(error) && error.code === code && (field === undefined || error.location.field === field);
}

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6]);

for (const engine of engines()) {
  describe(`partners on ${engine}`, () => {
    let running: RunningApp;
    let providerId: string;
    before(async () => {
      running = await startTestApp({ engine });
      providerId = (
        await createPartner(running.app, operator, {
          slug: 'northwind-us',
          kind: 'indirect_provider',
          legalName: 'Northwind Cloud Distribution, Inc.',
        })
      ).partner.id;
    });
    after(() => running.close());

    async function eventsOf(partnerId: string): Promise<AuditEvent[]> {
      return (await searchAudit(running.app, staff(partnerId, ['audit.read']), { limit: 200 })).events;
    }

    async function partnerCount(): Promise<number> {
      return (await listPartners(running.app.database.db)).length;
    }

    it('create › a direct partner with its settings, defaults for the rest, and one audit event', async () => {
      const { partner, providers } = await createPartner(running.app, operator, {
        slug: 'contoso-hu',
        kind: 'direct',
        legalName: '  Contoso Informatikai Kft. ',
        defaultLanguage: 'hu',
        timeZone: 'Europe/Budapest',
        currency: 'huf',
        supportEmail: 'support@contoso.hu',
      });
      assert.deepEqual(providers, []);
      assert.equal(partner.legalName, 'Contoso Informatikai Kft.');
      assert.equal(
        partner.displayName,
        'Contoso Informatikai Kft.',
        'the display name defaults to the legal name',
      );
      assert.equal(partner.currency, 'HUF');
      assert.equal(partner.paymentTermsDays, 60);
      const events = await eventsOf(partner.id);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.action, 'partner.created');
      assert.equal(events[0]!.actorKind, 'operator');
      assert.equal(events[0]!.actorId, 'ops');
      assert.deepEqual(events[0]!.changes?.slug, { before: null, after: 'contoso-hu' });
      assert.deepEqual(events[0]!.changes?.timeZone, { before: null, after: 'Europe/Budapest' });
    });

    it('create › a reseller names existing providers, kept in partner_providers', async () => {
      const { partner, providers } = await createPartner(running.app, operator, {
        slug: 'tailspin-tw',
        kind: 'indirect_reseller',
        legalName: '尾旋雲端服務股份有限公司',
        displayName: '尾旋雲端',
        defaultLanguage: 'zh-Hant',
        timeZone: 'Asia/Taipei',
        currency: 'TWD',
        providers: ['northwind-us'],
      });
      assert.deepEqual(
        providers.map((provider) => provider.id),
        [providerId],
      );
      assert.deepEqual(
        (await listProviders(running.app.database.db, partner.id)).map((provider) => provider.slug),
        ['northwind-us'],
      );
      assert.deepEqual((await eventsOf(partner.id))[0]!.changes?.providers, {
        before: null,
        after: ['northwind-us'],
      });
    });

    it('create › bad input names the field and writes nothing', async () => {
      const before = await partnerCount();
      const base = { slug: 'fabrikam', kind: 'direct', legalName: 'Fabrikam Ltd' };
      const cases: [Parameters<typeof createPartner>[2], string, string][] = [
        [{ ...base, slug: 'Fabrikam Ltd' }, 'invalid-slug', 'slug'],
        [{ ...base, kind: 'distributor' }, 'invalid-choice', 'kind'],
        [{ ...base, legalName: ' ' }, 'required', 'legalName'],
        [{ ...base, currency: 'XYZ' }, 'unknown-currency', 'currency'],
        [{ ...base, timeZone: 'Europe/Budapesht' }, 'invalid-zone', 'timeZone'],
        [{ ...base, defaultLanguage: 'de' }, 'unsupported-language', 'defaultLanguage'],
        [{ ...base, supportEmail: 'support-at-fabrikam' }, 'invalid-email', 'supportEmail'],
        [{ ...base, senderAddress: 'noreply@' }, 'invalid-email', 'senderAddress'],
        [{ ...base, kind: 'indirect_reseller' }, 'reseller-without-provider', 'providers'],
        [{ ...base, kind: 'indirect_reseller', providers: ['contoso-hu'] }, 'not-a-provider', 'providers'],
        [{ ...base, kind: 'indirect_reseller', providers: ['nobody-here'] }, 'unknown-provider', 'providers'],
        [
          { ...base, kind: 'indirect_provider', providers: ['northwind-us'] },
          'providers-not-allowed',
          'providers',
        ],
        [{ ...base, slug: 'contoso-hu' }, 'slug-taken', 'slug'],
      ];
      for (const [input, code, field] of cases) {
        await assert.rejects(
          createPartner(running.app, operator, input),
          rejectsWith(code, field),
          `${code} ${field}`,
        );
      }
      assert.equal(await partnerCount(), before);
      assert.equal(await findPartnerBySlug(running.app.database.db, 'fabrikam'), undefined);
    });

    it('create › only the operator creates partners', async () => {
      await assert.rejects(
        createPartner(running.app, globalAdmin(providerId), {
          slug: 'sneaky',
          kind: 'direct',
          legalName: 'Sneaky',
        }),
        rejectsWith('operator-only'),
      );
    });

    it('settings › a change records only the changed fields, before and after', async () => {
      const before = (await eventsOf(providerId)).length;
      const { partner } = await updatePartnerSettings(running.app, globalAdmin(providerId), {
        legalName: 'Northwind Cloud Distribution, Inc.',
        brandColor: '#FF8800',
        supportPhone: '+1 312 555 0142',
        senderName: null,
      });
      assert.equal(partner.brandColor, '#ff8800');
      const events = await eventsOf(providerId);
      assert.equal(events.length, before + 1);
      assert.equal(events[0]!.action, 'partner.settings_changed');
      assert.equal(events[0]!.actorId, 'admin-1');
      assert.deepEqual(events[0]!.changes, {
        brandColor: { before: '#1c7ed6', after: '#ff8800' },
        supportPhone: { before: null, after: '+1 312 555 0142' },
      });
    });

    it('settings › a patch that changes nothing writes no event', async () => {
      const before = (await eventsOf(providerId)).length;
      await updatePartnerSettings(running.app, globalAdmin(providerId), { brandColor: '#ff8800' });
      assert.equal((await eventsOf(providerId)).length, before);
    });

    it('settings › bad values name the field and change nothing', async () => {
      for (const [patch, field] of [
        [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
        [{ currency: 'EURO' }, 'currency'],
        [{ accentColor: 'teal' }, 'accentColor'],
        [{ paymentTermsDays: 400 }, 'paymentTermsDays'],
        [{ supportUrl: 'javascript:alert(1)' }, 'supportUrl'],
      ] as const) {
        await assert.rejects(
          updatePartnerSettings(running.app, globalAdmin(providerId), { displayName: 'Changed', ...patch }),
          (error) => isDomainError(error) && error.location.field === field,
        );
      }
      assert.equal(
        (await getPartnerBranding(running.app.database.db, providerId)).displayName,
        'Northwind Cloud Distribution, Inc.',
      );
    });

    it('settings › need partner.manage', async () => {
      await assert.rejects(
        updatePartnerSettings(running.app, staff(providerId, ['customers.manage']), { displayName: 'X' }),
        rejectsWith('forbidden'),
      );
    });

    it('branding › gives notifications exactly its fields', async () => {
      const branding = await getPartnerBranding(running.app.database.db, providerId);
      assert.deepEqual(Object.keys(branding).sort(), [
        'accentColor',
        'brandColor',
        'defaultLanguage',
        'displayName',
        'legalName',
        'logoKey',
        'senderAddress',
        'senderName',
        'supportEmail',
        'supportPhone',
        'supportUrl',
        'timeZone',
      ]);
      assert.equal(branding.supportPhone, '+1 312 555 0142');
      await assert.rejects(
        getPartnerBranding(running.app.database.db, '00000000-0000-4000-8000-000000000000'),
        rejectsWith('not-found'),
      );
    });

    it('logo › stored under the partner, audited, and replaced by a logo of another format', async () => {
      const admin = globalAdmin(providerId);
      const first = await setPartnerLogo(running.app, admin, { contentType: 'image/png', bytes: png });
      assert.equal(first.partner.logoKey, `partners/${providerId}/logo.png`);
      const stored = await getPartnerLogo(running.app, admin);
      assert.equal(stored.contentType, 'image/png');
      assert.equal(await text(stored.body), png.toString());
      const [event] = await eventsOf(providerId);
      assert.equal(event!.action, 'partner.logo_changed');
      assert.deepEqual(event!.changes?.logoKey, { before: null, after: `partners/${providerId}/logo.png` });

      const second = await setPartnerLogo(running.app, admin, { contentType: 'image/jpeg', bytes: jpeg });
      assert.equal(second.partner.logoKey, `partners/${providerId}/logo.jpg`);
      assert.equal(await running.app.storage.exists(`partners/${providerId}/logo.png`), false);
      assert.equal((await getPartnerLogo(running.app, admin)).contentType, 'image/jpeg');
    });

    it('logo › a file that is not the image it claims is refused and nothing changes', async () => {
      const before = await eventsOf(providerId);
      await assert.rejects(
        setPartnerLogo(running.app, globalAdmin(providerId), { contentType: 'image/png', bytes: jpeg }),
        rejectsWith('logo-not-image', 'logo'),
      );
      assert.equal((await eventsOf(providerId)).length, before.length);
      assert.equal(
        (await getPartnerBranding(running.app.database.db, providerId)).logoKey,
        `partners/${providerId}/logo.jpg`,
      );
    });

    it('logo › a customer user cannot read the partner-side logo route', async () => {
      await assert.rejects(
        getPartnerLogo(running.app, staff(providerId, [], '00000000-0000-4000-8000-0000000000c1')),
        rejectsWith('not-found'),
      );
    });
  });
}
