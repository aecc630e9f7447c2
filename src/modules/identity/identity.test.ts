import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq, sql } from 'drizzle-orm';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { outboxMail } from '#platform/outbox';
import { type FixedClock, fixedClock } from '#platform/time';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { browserless, signInAsDemo } from '#test/people';
import { modules } from '../../main.ts';
import { DEMO_PASSWORD, demoTotpSecret } from './demo.ts';
import { currentTotp } from './totp.ts';

const admin = 'admin@contoso-hu.example';
const customerAdmin = 'it@fourthcoffee.example';

/** The newest mail to an address, as the outbox holds it (no SMTP in these tests). */
async function lastMailTo(app: RunningApp, address: string) {
  const [row] = await app.app.database.db
    .select()
    .from(outboxMail)
    .where(eq(outboxMail.recipients, address))
    .orderBy(desc(outboxMail.createdAt))
    .limit(1);
  return row ? (row.message as { subject: string; text: string }) : undefined;
}

function linkToken(text: string, path: string): string {
  const match = text.match(new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`));
  assert.ok(match, `a ${path} link in:\n${text}`);
  return match[1]!;
}

async function auditActions(app: RunningApp, targetId: string): Promise<string[]> {
  const rows = await selectRows<{ action: string }>(
    app.app.database.db,
    sql`select action from audit_events where target_id = ${targetId} order by occurred_at, id`,
  );
  return rows.map((row) => row.action);
}

for (const engine of engines()) {
  describe(`identity on ${engine}`, { timeout: 120_000 }, () => {
    let app: RunningApp;
    let clock: FixedClock;
    before(async () => {
      clock = fixedClock('2026-11-23T09:00:00Z');
      app = await startTestApp({ engine, modules, config: { loadDemoData: true }, clock });
    });
    after(() => app.close());

    it('sign-in › staff give a TOTP code after the password, then /me is theirs', async () => {
      const person = browserless(app);
      const first = await person.request('POST', '/api/v1/auth/sign-in', {
        email: 'Admin@Contoso-HU.example ',
        password: DEMO_PASSWORD,
      });
      assert.deepEqual(first.json(), { step: 'mfa' });
      assert.equal(
        (await person.request('GET', '/api/v1/customers')).statusCode,
        401,
        'nothing opens before the second factor',
      );
      assert.equal((await person.request('GET', '/api/v1/me')).json().step, 'mfa');
      const pendingCookie = person.cookies.get('pd_session');
      clock.advance(30_000);
      const second = await person.request('POST', '/api/v1/auth/mfa', {
        code: currentTotp(demoTotpSecret(admin), clock.now()),
      });
      assert.deepEqual(second.json(), { step: 'done' });
      assert.notEqual(
        person.cookies.get('pd_session'),
        pendingCookie,
        'a new session token after MFA (no fixation)',
      );
      const me = (await person.request('GET', '/api/v1/me')).json();
      assert.equal(me.email, admin);
      assert.ok(me.permissions.includes('partner.manage'));
      const cookie = first.headers['set-cookie'] as string[];
      assert.match(cookie.find((line) => line.startsWith('pd_session='))!, /HttpOnly; ?|HttpOnly$/);
      assert.match(cookie.find((line) => line.startsWith('pd_session='))!, /SameSite=Lax/);
    });

    it('sign-in › a wrong password and an unknown address get the same answer', async () => {
      const wrong = await browserless(app).request('POST', '/api/v1/auth/sign-in', {
        email: admin,
        password: 'not the password at all',
      });
      const unknown = await browserless(app).request('POST', '/api/v1/auth/sign-in', {
        email: 'nobody@contoso-hu.example',
        password: 'whatever it is',
      });
      assert.equal(wrong.statusCode, 400);
      assert.deepEqual(
        { type: wrong.json().type, detail: wrong.json().detail },
        { type: unknown.json().type, detail: unknown.json().detail },
      );
      assert.equal(wrong.json().type, '/problems/invalid-credentials');
    });

    it('sign-in › a malformed address is refused naming the field', async () => {
      const response = await browserless(app).request('POST', '/api/v1/auth/sign-in', {
        email: 'not-an-address',
        password: 'x',
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().field, 'email');
    });

    it('lockout › five failures lock the address for 15 minutes, whether or not it exists, across the database', async () => {
      for (const email of ['sales@contoso-hu.example', 'ghost@contoso-hu.example']) {
        for (let attempt = 0; attempt < 5; attempt++) {
          await browserless(app).request('POST', '/api/v1/auth/sign-in', {
            email,
            password: `wrong-${attempt}`,
          });
        }
        const locked = await browserless(app).request('POST', '/api/v1/auth/sign-in', {
          email,
          password: DEMO_PASSWORD,
        });
        assert.equal(locked.statusCode, 429, email);
        assert.equal(locked.json().type, '/problems/sign-in-locked');
      }
      clock.advance(16 * 60_000);
      const afterLock = await browserless(app).request('POST', '/api/v1/auth/sign-in', {
        email: 'sales@contoso-hu.example',
        password: DEMO_PASSWORD,
      });
      assert.equal(afterLock.json().step, 'mfa');
    });

    it('MFA › a wrong code and a replayed code are refused; a recovery code works once', async () => {
      const person = browserless(app);
      await person.request('POST', '/api/v1/auth/sign-in', {
        email: 'billing@contoso-hu.example',
        password: DEMO_PASSWORD,
      });
      clock.advance(30_000);
      const code = currentTotp(demoTotpSecret('billing@contoso-hu.example'), clock.now());
      const wrong = await person.request('POST', '/api/v1/auth/mfa', {
        code: code === '000000' ? '111111' : '000000',
      });
      assert.equal(wrong.json().type, '/problems/invalid-mfa-code');
      assert.equal((await person.request('POST', '/api/v1/auth/mfa', { code })).json().step, 'done');
      // The same code again, in another browser within the same 30 seconds: replay.
      const other = browserless(app);
      await other.request('POST', '/api/v1/auth/sign-in', {
        email: 'billing@contoso-hu.example',
        password: DEMO_PASSWORD,
      });
      const replay = await other.request('POST', '/api/v1/auth/mfa', { code });
      assert.equal(replay.json().type, '/problems/invalid-mfa-code');
      // Recovery codes: generated with a fresh TOTP code, each accepted once.
      clock.advance(30_000);
      const codes = (
        await person.request('POST', '/api/v1/me/mfa/recovery-codes', {
          code: currentTotp(demoTotpSecret('billing@contoso-hu.example'), clock.now()),
        })
      ).json().recoveryCodes as string[];
      assert.equal(codes.length, 10);
      assert.equal(
        (await other.request('POST', '/api/v1/auth/mfa', { recoveryCode: codes[0]!.toUpperCase() })).json()
          .step,
        'done',
      );
      const third = browserless(app);
      await third.request('POST', '/api/v1/auth/sign-in', {
        email: 'billing@contoso-hu.example',
        password: DEMO_PASSWORD,
      });
      assert.equal(
        (await third.request('POST', '/api/v1/auth/mfa', { recoveryCode: codes[0] })).statusCode,
        400,
      );
    });

    it('sessions › a tampered cookie is nobody; a mutation without the CSRF header is refused', async () => {
      const person = await signInAsDemo(app, 'helpdesk@contoso-hu.example');
      const token = person.cookies.get('pd_session')!;
      const tampered = browserless(app);
      tampered.cookies.set('pd_session', `${token.slice(0, -2)}xx`);
      const response = await tampered.request('GET', '/api/v1/me');
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().type, '/problems/unauthenticated');
      const noCsrf = await app.http.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        payload: { name: 'Changed' },
        headers: { cookie: `pd_session=${token}` },
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(noCsrf.json().type, '/problems/csrf-token-invalid');
      assert.equal((await person.request('GET', '/api/v1/me')).json().name, 'Szabó Eszter');
    });

    it('sign out everywhere › ends every session of the person', async () => {
      const laptop = await signInAsDemo(app, 'users@contoso-hu.example');
      const phone = await signInAsDemo(app, 'users@contoso-hu.example');
      assert.equal((await phone.request('POST', '/api/v1/auth/sign-out-everywhere')).statusCode, 204);
      assert.equal((await laptop.request('GET', '/api/v1/me')).statusCode, 401);
      assert.equal((await phone.request('GET', '/api/v1/me')).statusCode, 401);
    });

    it('invitation › a Global admin invites a Billing admin, who sets a password, enrols TOTP and signs in', async () => {
      const globalAdmin = await signInAsDemo(app, admin);
      const invited = await globalAdmin.request('POST', '/api/v1/users', {
        email: 'zsofia.fekete@contoso-hu.example',
        name: 'Fekete Zsófia',
        roles: ['billing_admin'],
        language: 'hu',
      });
      assert.equal(invited.statusCode, 201, invited.body);
      const mail = await lastMailTo(app, 'zsofia.fekete@contoso-hu.example');
      assert.ok(mail, 'an invitation mail is in the outbox');
      const token = linkToken(mail.text, '/accept-invitation');
      const newcomer = browserless(app);
      const inspect = (await newcomer.request('POST', '/api/v1/auth/invitations/inspect', { token })).json();
      assert.deepEqual(inspect, {
        email: 'zsofia.fekete@contoso-hu.example',
        name: 'Fekete Zsófia',
        organisationName: 'Contoso Hungary',
        kind: 'staff',
      });
      const weak = await newcomer.request('POST', '/api/v1/auth/invitations/accept', {
        token,
        password: 'password1234',
      });
      assert.deepEqual(
        [weak.statusCode, weak.json().type, weak.json().field],
        [400, '/problems/weak-password', 'password'],
      );
      const short = await newcomer.request('POST', '/api/v1/auth/invitations/accept', {
        token,
        password: 'Sh0rt!pw',
      });
      assert.equal(short.json().type, '/problems/weak-password');
      assert.equal(
        (
          await newcomer.request('POST', '/api/v1/auth/invitations/accept', {
            token,
            password: 'Kávé és mérleg 2026',
          })
        ).statusCode,
        204,
      );
      const reused = await newcomer.request('POST', '/api/v1/auth/invitations/accept', {
        token,
        password: 'Kávé és mérleg 2027',
      });
      assert.equal(reused.json().type, '/problems/invalid-token');
      const signIn = await newcomer.request('POST', '/api/v1/auth/sign-in', {
        email: 'zsofia.fekete@contoso-hu.example',
        password: 'Kávé és mérleg 2026',
      });
      assert.deepEqual(signIn.json(), { step: 'mfa-enrolment' });
      const blocked = await newcomer.request('GET', '/api/v1/customers');
      assert.deepEqual([blocked.statusCode, blocked.json().type], [401, '/problems/mfa-enrolment-required']);
      const enrolment = (await newcomer.request('POST', '/api/v1/auth/mfa/enrolment')).json();
      assert.match(enrolment.otpauthUri, /^otpauth:\/\/totp\/.*secret=/);
      assert.match(enrolment.qrSvg, /^<svg/);
      clock.advance(30_000);
      const confirmed = await newcomer.request('POST', '/api/v1/auth/mfa/enrolment/confirm', {
        code: currentTotp(enrolment.secret, clock.now()),
      });
      assert.equal(confirmed.json().recoveryCodes.length, 10);
      const me = (await newcomer.request('GET', '/api/v1/me')).json();
      assert.deepEqual([me.step, me.roles, me.mfa.enabled], ['done', ['billing_admin'], true]);
      assert.ok(me.permissions.includes('invoices.manage'));
      const actions = await auditActions(app, me.id);
      for (const action of [
        'user.invited',
        'user.invitation_accepted',
        'user.mfa_enabled',
        'user.signed_in',
      ]) {
        assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
      }
    });

    it('User admin › may invite staff but never create or change a Global admin', async () => {
      const userAdmin = await signInAsDemo(app, 'users@contoso-hu.example');
      const refused = await userAdmin.request('POST', '/api/v1/users', {
        email: 'boss@contoso-hu.example',
        name: 'Boss',
        roles: ['global_admin'],
      });
      assert.equal(refused.statusCode, 403);
      const staff = (await userAdmin.request('GET', '/api/v1/users')).json().users as {
        id: string;
        roles: string[];
      }[];
      const globalAdmin = staff.find((user) => user.roles.includes('global_admin'))!;
      assert.equal(
        (await userAdmin.request('POST', `/api/v1/users/${globalAdmin.id}/deactivate`)).statusCode,
        403,
      );
      const allowed = await userAdmin.request('POST', '/api/v1/users', {
        email: 'agent2@contoso-hu.example',
        name: 'Agent Two',
        roles: ['helpdesk_agent'],
      });
      assert.equal(allowed.statusCode, 201);
    });

    it('customer admin › invites a customer user of their own customer only', async () => {
      const person = await signInAsDemo(app, customerAdmin);
      const invited = await person.request('POST', '/api/v1/portal/users', {
        email: 'new.user@fourthcoffee.example',
        name: 'Új Felhasználó',
        role: 'customer_user',
      });
      assert.equal(invited.statusCode, 201, invited.body);
      const listed = (await person.request('GET', '/api/v1/portal/users')).json().users as {
        email: string;
      }[];
      assert.ok(listed.some((user) => user.email === 'new.user@fourthcoffee.example'));
      assert.ok(
        listed.every((user) => user.email.endsWith('@fourthcoffee.example')),
        'only their customer’s users',
      );
      const mail = await lastMailTo(app, 'new.user@fourthcoffee.example');
      assert.match(mail!.text, /Fourth Coffee/);
    });

    it('password reset › always 202; the mailed link sets a password once and ends every session', async () => {
      const person = await signInAsDemo(app, 'sales@contoso-hu.example');
      const unknown = await browserless(app).request('POST', '/api/v1/auth/password-reset', {
        email: 'ghost2@contoso-hu.example',
      });
      const known = await browserless(app).request('POST', '/api/v1/auth/password-reset', {
        email: 'sales@contoso-hu.example',
      });
      assert.deepEqual([unknown.statusCode, known.statusCode], [202, 202]);
      assert.equal(await lastMailTo(app, 'ghost2@contoso-hu.example'), undefined);
      const token = linkToken((await lastMailTo(app, 'sales@contoso-hu.example'))!.text, '/reset-password');
      const reset = await browserless(app).request('POST', '/api/v1/auth/password-reset/complete', {
        token,
        password: 'Új jelszó a hétre 2026',
      });
      assert.equal(reset.statusCode, 204);
      assert.equal((await person.request('GET', '/api/v1/me')).statusCode, 401, 'old sessions end');
      const again = await browserless(app).request('POST', '/api/v1/auth/password-reset/complete', {
        token,
        password: 'Másik jelszó a hétre 2026',
      });
      assert.equal(again.json().type, '/problems/invalid-token');
      // An expired link: requested, then more than an hour passes.
      await browserless(app).request('POST', '/api/v1/auth/password-reset', {
        email: 'sales@contoso-hu.example',
      });
      const expiring = linkToken(
        (await lastMailTo(app, 'sales@contoso-hu.example'))!.text,
        '/reset-password',
      );
      clock.advance(61 * 60_000);
      const expired = await browserless(app).request('POST', '/api/v1/auth/password-reset/complete', {
        token: expiring,
        password: 'Harmadik jelszó 2026 tél',
      });
      assert.equal(expired.json().type, '/problems/invalid-token');
    });

    it('API tokens › shown once, limited to the owner’s permissions, usable as Bearer, revocable', async () => {
      const person = await signInAsDemo(app, 'helpdesk@contoso-hu.example');
      const tooMuch = await person.request('POST', '/api/v1/me/tokens', {
        name: 'x',
        permissions: ['partner.manage'],
        expiresInDays: 30,
      });
      assert.equal(tooMuch.json().field, 'permissions');
      const created = await person.request('POST', '/api/v1/me/tokens', {
        name: 'Ticket sync',
        permissions: ['customers.read'],
        expiresInDays: 30,
      });
      assert.equal(created.statusCode, 201);
      const secret = created.json().token as string;
      assert.match(secret, /^pdt_/);
      const listed = (await person.request('GET', '/api/v1/me/tokens')).json().tokens;
      assert.equal(JSON.stringify(listed).includes(secret), false, 'the secret is never listed');
      const bearer = { authorization: `Bearer ${secret}` };
      assert.equal((await app.http.inject({ url: '/api/v1/customers', headers: bearer })).statusCode, 200);
      assert.equal(
        (
          await app.http.inject({
            method: 'PATCH',
            url: '/api/v1/me',
            payload: { name: 'x' },
            headers: bearer,
          })
        ).statusCode,
        200,
      );
      assert.equal(
        (await app.http.inject({ url: '/api/v1/users', headers: bearer })).statusCode,
        403,
        'helpdesk cannot, so neither can its token',
      );
      assert.equal(
        (await person.request('DELETE', `/api/v1/me/tokens/${created.json().id}`)).statusCode,
        204,
      );
      assert.equal((await app.http.inject({ url: '/api/v1/customers', headers: bearer })).statusCode, 401);
      const [stored] = await selectRows<{ token_hash: string }>(
        app.app.database.db,
        sql`select token_hash from api_tokens`,
      );
      assert.notEqual(stored!.token_hash, secret);
    });

    it('TOTP secrets › are stored encrypted, never in the clear', async () => {
      const rows = await selectRows<{ totp_secret: string | null; email: string }>(
        app.app.database.db,
        sql`select totp_secret, email from users where totp_secret is not null`,
      );
      assert.ok(rows.length > 0);
      for (const row of rows) assert.ok(!row.totp_secret!.includes(demoTotpSecret(row.email)), row.email);
    });
  });
}
