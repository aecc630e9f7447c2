import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Caller, SignedIn } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { selectRows } from '#platform/db';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import { createTestPartner } from '#test/factories';
import { startOidcProvider, type TestOidcProvider } from '#test/oidc-provider';
import { modules } from '../../main.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from './mfa.ts';
import { saveOidcConnection } from './oidc.ts';
import type { User } from './queries.ts';
import { currentTotp } from './totp.ts';
import { acceptInvitation, changeUser, inviteUser } from './users.ts';

const operator: Caller = { actor: { kind: 'operator', name: 'ops' } };
const nobody: Caller = { actor: { kind: 'anonymous' } };
const PASSWORD = 'Quiet-harbour-lantern-2026';

type Jar = Map<string, string>;

function cookieHeader(jar: Jar): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function keepCookies(jar: Jar, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0]!;
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function staffCaller(user: User, permissions: string[]): Caller & { actor: SignedIn } {
  return {
    actor: { kind: 'staff', id: user.id, partnerId: user.partnerId, permissions: new Set(permissions) },
  };
}

for (const engine of engines()) {
  describe(`identity › OpenID Connect on ${engine}`, { timeout: 120_000 }, () => {
    let running: RunningApp;
    let appUrl: string;
    let callbackUrl: string;
    let alphaIdp: TestOidcProvider;
    let betaIdp: TestOidcProvider;
    let gammaIdp: TestOidcProvider;
    let alpha: string;
    let beta: string;
    let delta: string;
    const people: Record<string, User> = {};
    let tomSecret: string;

    before(async () => {
      const port = await freePort();
      appUrl = `http://127.0.0.1:${port}`;
      callbackUrl = `${appUrl}/api/v1/auth/oidc/callback`;
      running = await startTestApp({ engine, modules, listen: true, config: { port, publicUrl: appUrl } });
      const app = running.app;
      [alphaIdp, betaIdp, gammaIdp] = await Promise.all([
        startOidcProvider({
          issuerPath: '/alpha-tenant/v2.0',
          redirectUri: callbackUrl,
          accounts: {
            anna: { email: 'anna@alpha.example', amr: ['pwd', 'mfa'] },
            ella: { email: 'Ella@Alpha.example', amr: ['pwd', 'mfa'] },
            tom: { email: 'tom@alpha.example', amr: ['pwd'] },
            sam: { email: 'sam@alpha.example', amr: ['pwd'] },
            gone: { email: 'gone@alpha.example', amr: ['pwd', 'mfa'] },
            stranger: { email: 'stranger@alpha.example', amr: ['pwd', 'mfa'] },
            intruder: { email: 'ben@beta.example', amr: ['pwd', 'mfa'] },
          },
        }),
        startOidcProvider({
          issuerPath: '/beta-tenant/v2.0',
          redirectUri: callbackUrl,
          accounts: { ben: { email: 'ben@beta.example', amr: ['pwd', 'mfa'] } },
        }),
        startOidcProvider({
          redirectUri: callbackUrl,
          accounts: { gail: { email: 'gail@gamma.example', amr: ['mfa'] } },
        }),
      ]);
      alpha = await createTestPartner(app, 'alpha', { legalName: 'Alpha Kft.' });
      beta = await createTestPartner(app, 'beta', { legalName: 'Beta Ltd' });
      const gamma = await createTestPartner(app, 'gamma', { legalName: 'Gamma GmbH' });
      delta = await createTestPartner(app, 'delta', { legalName: 'Delta SA' });

      const staff: [string, string, string, string[]][] = [
        ['anna', alpha, 'anna@alpha.example', ['global_admin']],
        ['ella', alpha, 'ella@alpha.example', ['sales_agent']],
        ['tom', alpha, 'tom@alpha.example', ['helpdesk_agent']],
        ['sam', alpha, 'sam@alpha.example', ['sales_agent']],
        ['gone', alpha, 'gone@alpha.example', ['sales_agent']],
        ['ben', beta, 'ben@beta.example', ['global_admin']],
        ['gail', gamma, 'gail@gamma.example', ['global_admin']],
      ];
      for (const [key, partnerId, email, roles] of staff) {
        const { user, acceptUrl } = await inviteUser(
          app,
          operator,
          partnerId,
          null,
          { email, name: key, roles: roles as never },
          'Ops',
        );
        await acceptInvitation(app, nobody, {
          token: new URL(acceptUrl).searchParams.get('token')!,
          password: PASSWORD,
        });
        people[key] = user;
      }
      const admin = staffCaller(people.anna!, ['partner.manage', 'partner_users.manage']);
      tomSecret = (await startTotpEnrolment(app, admin, people.tom!)).secret;
      await confirmTotpEnrolment(
        app,
        admin,
        people.tom!,
        undefined,
        {},
        currentTotp(tomSecret, app.clock.now()),
      );
      await changeUser(app, admin, null, people.gone!.id, 'deactivate', '');
      for (const [person, idp] of [
        [people.anna!, alphaIdp],
        [people.ben!, betaIdp],
      ] as const) {
        await saveOidcConnection(app, staffCaller(person, ['partner.manage']), {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          enabled: true,
        });
      }
    });
    after(async () => {
      await running.close();
      await Promise.all([alphaIdp.close(), betaIdp.close(), gammaIdp.close()]);
    });

    /** From the app's start URL through the provider, as a browser goes, up to the callback (not yet visited). */
    async function toCallback(idp: TestOidcProvider, sub: string, query = ''): Promise<URL> {
      idp.signInAs(sub);
      const start = await fetch(`${appUrl}/api/v1/auth/oidc/start${query}`, { redirect: 'manual' });
      assert.equal(start.status, 302, await start.text());
      let next = new URL(start.headers.get('location')!);
      assert.ok(next.href.startsWith(idp.issuer), `${next} is at ${idp.issuer}`);
      assert.equal(next.searchParams.get('redirect_uri'), callbackUrl);
      assert.equal(next.searchParams.get('scope'), 'openid email profile');
      assert.equal(next.searchParams.get('code_challenge_method'), 'S256');
      const jar: Jar = new Map();
      while (!next.href.startsWith(callbackUrl)) {
        const response = await fetch(next, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
        keepCookies(jar, response);
        const location = response.headers.get('location');
        assert.ok(location, `a redirect from ${next}, not ${response.status} ${await response.text()}`);
        next = new URL(location, next);
      }
      return next;
    }

    /** The browser arriving back at the app: where it is sent, and the cookies it gets. */
    async function visit(callback: URL) {
      const response = await fetch(callback, { redirect: 'manual', headers: { 'user-agent': 'oidc-tests' } });
      const cookies: Jar = new Map();
      keepCookies(cookies, response);
      return { status: response.status, location: response.headers.get('location'), cookies };
    }

    async function call(cookies: Jar, method: string, path: string, body?: unknown) {
      const response = await fetch(`${appUrl}/api/v1${path}`, {
        method,
        headers: {
          cookie: cookieHeader(cookies),
          ...(method === 'GET' ? {} : { 'x-csrf-token': decodeURIComponent(cookies.get('pd_csrf') ?? '') }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
    }

    const sessionsOf = async (user: User) =>
      (
        await selectRows<{ n: number }>(
          running.app.database.db,
          sql`select count(*)::int as n from sessions where user_id = ${user.id}`,
        )
      )[0]!.n;

    const auditOf = (partnerId: string, action: string) =>
      selectRows<{
        changes: Record<string, { before: unknown; after: unknown }> | null;
        target_id: string | null;
      }>(
        running.app.database.db,
        sql`select changes, target_id from audit_events where partner_id = ${partnerId} and action = ${action} order by occurred_at, id`,
      );

    async function signIn(idp: TestOidcProvider, sub: string, query: string) {
      const arrived = await visit(await toCallback(idp, sub, query));
      assert.equal(arrived.status, 302);
      return arrived;
    }

    it('sign-in › an amr with mfa signs staff in fully; the audit says oidc', async () => {
      const arrived = await signIn(alphaIdp, 'anna', '?partner=alpha');
      assert.equal(arrived.location, '/');
      assert.ok(arrived.cookies.get('pd_session'));
      const me = await call(arrived.cookies, 'GET', '/me');
      assert.equal(me.status, 200);
      assert.equal(me.json.email, 'anna@alpha.example');
      assert.equal(me.json.step, 'done');
      const [signedIn] = (await auditOf(alpha, 'user.signed_in')).filter(
        (event) => event.target_id === people.anna!.id,
      );
      assert.deepEqual(signedIn?.changes?.method, { before: null, after: 'oidc' });
    });

    it('sign-in › without mfa in amr, TOTP is still asked (or its enrolment, for staff without it)', async () => {
      const tom = await signIn(alphaIdp, 'tom', '?partner=alpha');
      assert.equal(tom.location, '/sign-in/mfa');
      assert.equal((await call(tom.cookies, 'GET', '/me')).json.step, 'mfa');
      assert.equal(
        (await call(tom.cookies, 'GET', '/customers')).status,
        401,
        'nothing opens before the code',
      );
      const code = currentTotp(tomSecret, new Date(running.app.clock.now().getTime() + 30_000));
      const second = await call(tom.cookies, 'POST', '/auth/mfa', { code });
      assert.deepEqual(second.json, { step: 'done' });

      const sam = await signIn(alphaIdp, 'sam', '?partner=alpha');
      assert.equal(sam.location, '/sign-in/enrol');
      assert.equal((await call(sam.cookies, 'GET', '/me')).json.step, 'mfa-enrolment');
    });

    it('refusal › another partner’s user, a deactivated user and an unknown address look the same; no session', async () => {
      const before = { ben: await sessionsOf(people.ben!), gone: await sessionsOf(people.gone!) };
      const failuresBefore = (await auditOf(alpha, 'user.oidc_sign_in_failed')).length;
      const answers = [];
      for (const sub of ['intruder', 'gone', 'stranger']) {
        const arrived = await signIn(alphaIdp, sub, '?partner=alpha');
        answers.push({ location: arrived.location, cookies: [...arrived.cookies.keys()] });
      }
      for (const answer of answers)
        assert.deepEqual(answer, { location: '/sign-in?error=oidc-no-account', cookies: [] });
      assert.deepEqual({ ben: await sessionsOf(people.ben!), gone: await sessionsOf(people.gone!) }, before);
      const failures = (await auditOf(alpha, 'user.oidc_sign_in_failed')).slice(failuresBefore);
      assert.deepEqual(
        failures.map((event) => event.changes?.reason?.after),
        ['no-account', 'no-account', 'no-account'],
      );
      assert.equal(
        (await auditOf(beta, 'user.oidc_sign_in_failed')).length,
        0,
        'partner B hears nothing of it',
      );
    });

    it('refusal › a state is used once', async () => {
      const callback = await toCallback(alphaIdp, 'anna', '?partner=alpha');
      assert.equal((await visit(callback)).location, '/');
      const sessions = await sessionsOf(people.anna!);
      const replay = await visit(callback);
      assert.deepEqual([replay.location, replay.cookies.size], ['/sign-in?error=oidc-state-invalid', 0]);
      assert.equal(await sessionsOf(people.anna!), sessions);
    });

    it('refusal › an expired state is refused', async () => {
      const callback = await toCallback(alphaIdp, 'anna', '?partner=alpha');
      const state = callback.searchParams.get('state')!;
      await running.app.database.db.execute(
        sql`update oidc_states set expires_at = now() - interval '1 second' where state = ${state}`,
      );
      const sessions = await sessionsOf(people.anna!);
      const expired = await visit(callback);
      assert.deepEqual([expired.location, expired.cookies.size], ['/sign-in?error=oidc-state-invalid', 0]);
      assert.equal(await sessionsOf(people.anna!), sessions);
      const [last] = (await auditOf(alpha, 'user.oidc_sign_in_failed')).slice(-1);
      assert.equal(last?.changes?.reason?.after, 'state-expired');
    });

    it('refusal › a code from partner B’s issuer answering partner A’s sign-in is refused, with or without iss', async () => {
      const fromBeta = await toCallback(betaIdp, 'ben', '?partner=beta');
      const sessions = await sessionsOf(people.ben!);
      const mixUp = async (withIss: boolean) => {
        const forAlpha = await toCallback(alphaIdp, 'anna', '?partner=alpha');
        const forged = new URL(callbackUrl);
        forged.searchParams.set('code', fromBeta.searchParams.get('code')!);
        forged.searchParams.set('state', forAlpha.searchParams.get('state')!);
        if (withIss) forged.searchParams.set('iss', fromBeta.searchParams.get('iss')!);
        return visit(forged);
      };
      const named = await mixUp(true);
      assert.deepEqual([named.location, named.cookies.size], ['/sign-in?error=oidc-issuer-mismatch', 0]);
      const unnamed = await mixUp(false);
      assert.deepEqual([unnamed.location, unnamed.cookies.size], ['/sign-in?error=oidc-failed', 0]);
      assert.equal(await sessionsOf(people.ben!), sessions, 'nothing signed in');
      const reasons = (await auditOf(alpha, 'user.oidc_sign_in_failed'))
        .slice(-2)
        .map((event) => event.changes?.reason?.after);
      assert.deepEqual(reasons, ['issuer-mismatch', 'exchange-failed']);
      assert.equal((await auditOf(beta, 'user.oidc_sign_in_failed')).length, 0);
    });

    it('start › an unknown partner and one without a connection get the same 404; an unreachable provider 503', async () => {
      const unknown = await fetch(`${appUrl}/api/v1/auth/oidc/start?partner=nope`, { redirect: 'manual' });
      const unconnected = await fetch(`${appUrl}/api/v1/auth/oidc/start?partner=delta`, {
        redirect: 'manual',
      });
      assert.deepEqual([unknown.status, unconnected.status], [404, 404]);
      const [a, b] = [await unknown.json(), await unconnected.json()];
      assert.deepEqual([a.type, a.detail], [b.type, b.detail]);
      const none = await fetch(`${appUrl}/api/v1/auth/oidc/start`, { redirect: 'manual' });
      assert.equal(none.status, 404, 'no slug and no environment default');
      const offered = async (query: string) =>
        (await (await fetch(`${appUrl}/api/v1/auth/oidc/available${query}`)).json()).available;
      assert.deepEqual(
        [
          await offered('?partner=alpha'),
          await offered('?partner=delta'),
          await offered('?partner=nope'),
          await offered(''),
        ],
        [true, false, false, false],
        'the sign-in page offers the button only where a sign-in would start',
      );

      const closedPort = await freePort();
      const deltaAdmin: Caller = {
        actor: {
          kind: 'staff',
          id: randomUUID(),
          partnerId: delta,
          permissions: new Set(['partner.manage']),
        },
      };
      await saveOidcConnection(running.app, deltaAdmin, {
        issuer: `http://127.0.0.1:${closedPort}/delta`,
        clientId: 'delta',
        clientSecret: 'delta-secret',
        enabled: true,
      });
      const unreachable = await fetch(`${appUrl}/api/v1/auth/oidc/start?partner=delta`, {
        redirect: 'manual',
      });
      assert.equal(unreachable.status, 503);
      assert.equal((await unreachable.json()).type, '/problems/oidc-unavailable');
    });

    it('connections › partner.manage only; the secret is never shown or audited; an issuer belongs to one partner', async () => {
      const anna = (await signIn(alphaIdp, 'anna', '?partner=alpha')).cookies;
      const ella = (await signIn(alphaIdp, 'ella', '?partner=alpha')).cookies;
      assert.equal((await call(ella, 'GET', '/partner/oidc')).status, 403);
      assert.equal((await call(new Map(), 'GET', '/partner/oidc')).status, 401);

      const shown = await call(anna, 'GET', '/partner/oidc');
      assert.deepEqual(shown.json, {
        connection: {
          issuer: alphaIdp.issuer,
          clientId: alphaIdp.clientId,
          clientSecretSet: true,
          enabled: true,
          source: 'partner',
        },
      });
      const taken = await call(anna, 'PUT', '/partner/oidc', {
        issuer: betaIdp.issuer,
        clientId: 'x',
        clientSecret: 'y',
        enabled: true,
      });
      assert.equal(taken.status, 409);
      assert.equal(taken.json.type, '/problems/issuer-taken');
      assert.doesNotMatch(taken.text, /beta/i, 'which partner holds it is not said');

      const newSecret = `${alphaIdp.clientSecret}-not-at-the-provider`;
      const rotated = await call(anna, 'PUT', '/partner/oidc', {
        issuer: alphaIdp.issuer,
        clientId: alphaIdp.clientId,
        clientSecret: newSecret,
        enabled: false,
      });
      assert.equal(rotated.status, 200);
      assert.equal(
        (await fetch(`${appUrl}/api/v1/auth/oidc/start?partner=alpha`, { redirect: 'manual' })).status,
        404,
        'switched off',
      );
      const restored = await call(anna, 'PUT', '/partner/oidc', {
        issuer: alphaIdp.issuer,
        clientId: alphaIdp.clientId,
        clientSecret: alphaIdp.clientSecret,
        enabled: true,
      });
      assert.equal(restored.status, 200);
      const kept = await call(anna, 'PUT', '/partner/oidc', {
        issuer: alphaIdp.issuer,
        clientId: alphaIdp.clientId,
        enabled: true,
      });
      assert.equal(kept.status, 200, 'no secret given keeps the stored one');
      assert.equal(
        (await signIn(alphaIdp, 'anna', '?partner=alpha')).location,
        '/',
        'the kept secret still works',
      );

      assert.equal((await auditOf(alpha, 'oidc.connection_created')).length, 1);
      const changed = await auditOf(alpha, 'oidc.connection_changed');
      assert.equal(changed.length, 3);
      assert.deepEqual(changed[0]!.changes?.enabled, { before: true, after: false });
      const secrets = [alphaIdp.clientSecret, betaIdp.clientSecret, newSecret];
      const stored = await selectRows<{ client_secret: string }>(
        running.app.database.db,
        sql`select client_secret from oidc_connections`,
      );
      assert.ok(
        stored.every((row) => !secrets.some((secret) => row.client_secret.includes(secret))),
        'encrypted at rest',
      );
      const audit = await selectRows<{ row: string }>(
        running.app.database.db,
        sql`select row_to_json(audit_events)::text as row from audit_events`,
      );
      for (const text of [
        ...audit.map((event) => event.row),
        shown.text,
        rotated.text,
        restored.text,
        kept.text,
      ]) {
        for (const secret of [...secrets, ...stored.map((row) => row.client_secret)])
          assert.ok(!text.includes(secret), `a secret in ${text}`);
      }

      assert.equal((await call(anna, 'DELETE', '/partner/oidc')).status, 204);
      assert.deepEqual((await call(anna, 'GET', '/partner/oidc')).json, { connection: null });
      assert.equal(
        (await fetch(`${appUrl}/api/v1/auth/oidc/start?partner=alpha`, { redirect: 'manual' })).status,
        404,
      );
      assert.equal((await auditOf(alpha, 'oidc.connection_removed')).length, 1);
      assert.equal((await call(anna, 'DELETE', '/partner/oidc')).status, 404);
    });

    it('environment default › serves its partner without a slug; its issuer belongs to that partner', async () => {
      // As loadConfig reads OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_PARTNER.
      running.app.config.oidc = {
        issuer: gammaIdp.issuer,
        clientId: gammaIdp.clientId,
        clientSecret: gammaIdp.clientSecret,
        partnerSlug: 'gamma',
      };
      try {
        const gail = await signIn(gammaIdp, 'gail', '');
        assert.equal(gail.location, '/');
        assert.equal((await signIn(gammaIdp, 'gail', '?partner=gamma')).location, '/');
        const shown = await call(gail.cookies, 'GET', '/partner/oidc');
        assert.deepEqual(shown.json.connection, {
          issuer: gammaIdp.issuer,
          clientId: gammaIdp.clientId,
          clientSecretSet: true,
          enabled: true,
          source: 'environment',
        });
        assert.ok(!shown.text.includes(gammaIdp.clientSecret));
        const ben = (await signIn(betaIdp, 'ben', '?partner=beta')).cookies;
        const taken = await call(ben, 'PUT', '/partner/oidc', {
          issuer: gammaIdp.issuer,
          clientId: 'x',
          clientSecret: 'y',
          enabled: true,
        });
        assert.equal(taken.status, 409);
      } finally {
        running.app.config.oidc = undefined;
      }
    });
  });
}
