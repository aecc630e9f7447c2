import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningApp } from '#platform/app';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { partnersModule } from './index.ts';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);

function customerHeader(partnerId: string, customerId: string, permissions: string[] = []) {
  return {
    'x-test-actor': JSON.stringify({ kind: 'customer', id: 'cu-1', partnerId, customerId, permissions }),
  };
}

for (const engine of engines()) {
  describe(`partners http on ${engine}`, () => {
    let running: RunningApp;
    let contoso: string;
    let fabrikam: string;
    before(async () => {
      running = await startTestApp({ engine, modules: [partnersModule], authenticator: headerAuthenticator });
      contoso = await createTestPartner(running.app, 'contoso-hu', {
        legalName: 'Contoso Informatikai Kft.',
        displayName: 'Contoso',
        defaultLanguage: 'hu',
        timeZone: 'Europe/Budapest',
        currency: 'HUF',
        senderAddress: 'noreply@contoso.hu',
        supportEmail: 'support@contoso.hu',
      });
      fabrikam = await createTestPartner(running.app, 'fabrikam', { legalName: 'Fabrikam Ltd' });
    });
    after(() => running.close());
    const request = (
      method: 'GET' | 'PATCH' | 'PUT',
      url: string,
      headers: Record<string, string> = {},
      payload?: unknown,
    ) =>
      running.http.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const admin = () => staffHeader(contoso, ['partner.manage']);

    it('GET /partner › 401 anonymous; any staff member reads their own partner; a customer user gets 404', async () => {
      assert.equal((await request('GET', '/api/v1/partner')).statusCode, 401);
      const agent = await request('GET', '/api/v1/partner', staffHeader(contoso, ['tickets.manage']));
      assert.equal(agent.statusCode, 200);
      assert.equal(agent.json().slug, 'contoso-hu');
      assert.equal(agent.json().timeZone, 'Europe/Budapest');
      assert.equal(agent.json().logoUrl, null);
      const customer = await request(
        'GET',
        '/api/v1/partner',
        customerHeader(contoso, '00000000-0000-4000-8000-0000000000c1'),
      );
      assert.equal(customer.statusCode, 404);
    });

    it('PATCH /partner › 403 without partner.manage; 400 names the field; 200 changes only the own partner', async () => {
      const forbidden = await request(
        'PATCH',
        '/api/v1/partner',
        staffHeader(contoso, ['customers.manage']),
        {
          displayName: 'X',
        },
      );
      assert.equal(forbidden.statusCode, 403);

      for (const [body, field] of [
        [{ currency: 'XYZ' }, 'currency'],
        [{ timeZone: 'Europe/Nowhere' }, 'timeZone'],
        [{ defaultLanguage: 'de' }, 'defaultLanguage'],
        [{ supportEmail: 'nobody' }, 'supportEmail'],
        [{ paymentTermsDays: 'soon' }, 'body.paymentTermsDays'],
      ] as const) {
        const response = await request('PATCH', '/api/v1/partner', admin(), body);
        assert.equal(response.statusCode, 400, JSON.stringify(body));
        assert.equal(response.json().field, field);
      }
      const slug = await request('PATCH', '/api/v1/partner', admin(), { slug: 'renamed' });
      assert.equal(slug.statusCode, 400, 'the slug is not a setting');

      const changed = await request('PATCH', '/api/v1/partner', admin(), {
        displayName: 'Contoso Magyarország',
        accentColor: '#E8590C',
        supportPhone: '+36 1 555 0100',
      });
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().displayName, 'Contoso Magyarország');
      assert.equal(changed.json().accentColor, '#e8590c');
      const other = await request('GET', '/api/v1/partner', staffHeader(fabrikam, []));
      assert.equal(other.json().displayName, 'Fabrikam Ltd');
    });

    it('PUT /partner/logo › takes a raw PNG, refuses other types and non-images with the field named', async () => {
      const put = (contentType: string, body: Buffer, headers = admin()) =>
        running.http.inject({
          method: 'PUT',
          url: '/api/v1/partner/logo',
          headers: { ...headers, 'content-type': contentType },
          payload: body,
        });
      assert.equal((await put('image/png', png, {})).statusCode, 401);
      assert.equal((await put('image/png', png, staffHeader(contoso, ['tickets.manage']))).statusCode, 403);
      assert.equal((await put('image/gif', Buffer.from('GIF89a'))).statusCode, 415);
      const fake = await put('image/png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
      assert.equal(fake.statusCode, 400);
      assert.equal(fake.json().field, 'logo');
      const large = Buffer.alloc(600 * 1024);
      png.copy(large);
      const tooLarge = await put('image/png', large);
      assert.equal(tooLarge.statusCode, 400);
      assert.equal(tooLarge.json().type, '/problems/logo-too-large');

      const stored = await put('image/png', png);
      assert.equal(stored.statusCode, 200);
      assert.match(stored.json().logoUrl, /^\/api\/v1\/partner\/logo\?v=\d+$/);
      const logo = await request('GET', stored.json().logoUrl, staffHeader(contoso, []));
      assert.equal(logo.statusCode, 200);
      assert.equal(logo.headers['content-type'], 'image/png');
      assert.deepEqual(logo.rawPayload, png);
      assert.equal((await request('GET', '/api/v1/partner/logo', staffHeader(fabrikam, []))).statusCode, 404);
    });

    it('GET /partners/:slug/branding › public, and only the face of the partner', async () => {
      const response = await request('GET', '/api/v1/partners/contoso-hu/branding');
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), [
        'accentColor',
        'brandColor',
        'displayName',
        'logoUrl',
        'slug',
        'supportEmail',
        'supportPhone',
        'supportUrl',
      ]);
      assert.equal(body.supportEmail, 'support@contoso.hu');
      assert.doesNotMatch(response.body, /Informatikai|noreply|HUF|Budapest/);
      const logo = await request('GET', body.logoUrl);
      assert.equal(logo.statusCode, 200);
      assert.deepEqual(logo.rawPayload, png);
      assert.equal((await request('GET', '/api/v1/partners/nobody/branding')).statusCode, 404);
      assert.equal((await request('GET', '/api/v1/partners/fabrikam/logo')).statusCode, 404);
    });
  });
}
