import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Actor, Caller } from '#platform/actor';
import type { RunningApp } from '#platform/app';
import { selectRows, withTransaction } from '#platform/db';
import { isDomainError } from '#platform/errors';
import { headerAuthenticator, staffHeader } from '#test/actors';
import { startTestApp } from '#test/app';
import { engines } from '#test/database';
import {
  type AuditEvent,
  auditModule,
  INSTALLATION,
  pruneAuditBefore,
  pseudonymiseActor,
  pseudonymOf,
  REDACTED,
  recordAudit,
  searchAudit,
} from './index.ts';
import { auditEvents } from './schema.ts';

function caller(actor: Actor): Caller {
  return { actor, ip: '203.0.113.9', requestId: 'req-42' };
}

function staff(partnerId: string, permissions: string[], id = 'admin-1'): Caller {
  return caller({ kind: 'staff', id, partnerId, permissions: new Set(permissions) });
}

const globalAdmin = (partnerId: string) =>
  staff(partnerId, ['audit.read', 'audit.read_users', 'audit.read_money']);

/** Drizzle wraps the database's error: the refusal is its cause. */
function appendOnly(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause;
  return /audit_events is append-only/.test(String(cause instanceof Error ? cause.message : error));
}

function rejectsWith(code: string, field?: string) {
  return (error: unknown) =>
    isDomainError(error) && error.code === code && (field === undefined || error.location.field === field);
}

for (const engine of engines()) {
  describe(`audit on ${engine}`, () => {
    let running: RunningApp;
    before(async () => {
      running = await startTestApp({ engine, modules: [auditModule], authenticator: headerAuthenticator });
    });
    after(() => running.close());
    const db = () => running.app.database.db;

    /** Every event of a partner, newest first, as a Global admin sees them. */
    async function eventsOf(partnerId: string): Promise<AuditEvent[]> {
      return (await searchAudit(running.app, globalAdmin(partnerId), { limit: 200 })).events;
    }

    /** An event at a chosen time, for time ranges and retention (inserting is what the log allows). */
    async function recordAt(
      partnerId: string,
      occurredAt: string,
      action = 'customer.updated',
      area = 'customers',
    ) {
      const [row] = await db()
        .insert(auditEvents)
        .values({
          partnerId,
          occurredAt: new Date(occurredAt),
          actorKind: 'staff',
          actorId: 'user-1',
          actorLabel: 'ann@contoso.example',
          action,
          area,
          targetType: 'customer',
          targetId: 'c-1',
        })
        .returning();
      return row!;
    }

    async function count(where = sql`true`): Promise<number> {
      const [row] = await selectRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from audit_events where ${where}`,
      );
      return row!.n;
    }

    it("record › the event is written in the caller's transaction and disappears with a rollback", async () => {
      const partnerId = randomUUID();
      const customerId = randomUUID();
      await assert.rejects(
        withTransaction(running.app.database, async (tx) => {
          await recordAudit(tx, staff(partnerId, []), {
            partnerId,
            action: 'customer.updated',
            target: { type: 'customer', id: customerId },
          });
          const [inside] = await selectRows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from audit_events where partner_id = ${partnerId}`,
          );
          assert.equal(inside!.n, 1, 'visible inside its transaction');
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      assert.deepEqual(await eventsOf(partnerId), []);

      const id = await withTransaction(running.app.database, (tx) =>
        recordAudit(tx, staff(partnerId, [], 'user-7'), {
          partnerId,
          customerId,
          action: 'customer.updated',
          target: { type: 'customer', id: customerId },
          before: { name: 'Contoso', country: 'HU' },
          after: { name: 'Contoso Ltd', country: 'HU' },
          actorLabel: 'ann@partner.example',
        }),
      );
      const [event] = await eventsOf(partnerId);
      assert.deepEqual(
        { ...event, occurredAt: undefined },
        {
          partnerId,
          id,
          occurredAt: undefined,
          actorKind: 'staff',
          actorId: 'user-7',
          actorLabel: 'ann@partner.example',
          tokenId: null,
          customerId,
          action: 'customer.updated',
          area: 'customers',
          targetType: 'customer',
          targetId: customerId,
          changes: { name: { before: 'Contoso', after: 'Contoso Ltd' } },
          ip: '203.0.113.9',
          requestId: 'req-42',
        },
      );
      assert.ok(Math.abs(event!.occurredAt.getTime() - Date.now()) < 60_000);
    });

    it('record › actor columns follow every kind of actor', async () => {
      const partnerId = randomUUID();
      const customerId = randomUUID();
      const actors: Actor[] = [
        { kind: 'token', id: 'user-2', tokenId: 'tok-9', partnerId, permissions: new Set() },
        { kind: 'customer', id: 'user-3', partnerId, customerId, permissions: new Set() },
        { kind: 'signing-in', id: 'user-4', partnerId, step: 'mfa' },
        { kind: 'operator', name: 'root' },
        { kind: 'system', name: 'collections.evaluate-dunning' },
        { kind: 'anonymous' },
      ];
      await withTransaction(running.app.database, async (tx) => {
        for (const actor of actors) {
          await recordAudit(
            tx,
            { actor },
            { partnerId, action: 'user.updated', target: { type: 'user', id: 'u' } },
          );
        }
      });
      const rows = (await eventsOf(partnerId))
        .map((event) => [event.actorKind, event.actorId, event.actorLabel, event.tokenId, event.customerId])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(rows, [
        ['anonymous', null, null, null, null],
        ['customer', 'user-3', null, null, customerId],
        ['operator', 'root', 'root', null, null],
        ['signing-in', 'user-4', null, null, null],
        ['system', 'collections.evaluate-dunning', 'collections.evaluate-dunning', null, null],
        ['token', 'user-2', null, 'tok-9', null],
      ]);
    });

    it('record › secrets never reach the stored row', async () => {
      const partnerId = randomUUID();
      await withTransaction(running.app.database, (tx) =>
        recordAudit(tx, staff(partnerId, []), {
          partnerId,
          action: 'user.updated',
          target: { type: 'user', id: 'u-1' },
          before: { email: 'a@x.example', passwordHash: '$argon2id$old-hash' },
          after: { email: 'b@x.example', passwordHash: '$argon2id$new-hash', totpSecret: 'JBSWY3DPEHPK3PXP' },
        }),
      );
      const [raw] = await selectRows<{ changes: string }>(
        db(),
        sql`select changes::text as changes from audit_events where partner_id = ${partnerId}`,
      );
      assert.doesNotMatch(raw!.changes, /argon2|JBSWY3DP/);
      assert.deepEqual((await eventsOf(partnerId))[0]!.changes, {
        email: { before: 'a@x.example', after: 'b@x.example' },
        passwordHash: { before: REDACTED, after: REDACTED },
        totpSecret: { before: null, after: REDACTED },
      });
    });

    it('append-only › the database refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
      const partnerId = randomUUID();
      await recordAt(partnerId, '2025-02-10T10:00:00Z');
      const attempts = [
        sql`update audit_events set actor_label = 'someone else' where partner_id = ${partnerId}`,
        sql`delete from audit_events where partner_id = ${partnerId}`,
        sql`truncate audit_events`,
      ];
      for (const statement of attempts) {
        await assert.rejects(db().execute(statement), appendOnly);
        await assert.rejects(
          withTransaction(running.app.database, (tx) => tx.execute(statement)),
          appendOnly,
        );
      }
      const [event] = await eventsOf(partnerId);
      assert.equal(event!.actorLabel, 'ann@contoso.example');
    });

    it('maintenance › prune deletes every partner’s events before the month and records audit.pruned', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await recordAt(a, '2000-12-31T23:59:59.999Z');
      await recordAt(b, '2000-11-15T08:00:00Z');
      const kept = await recordAt(a, '2001-01-01T00:00:00Z');
      const old = await count(sql`occurred_at < '2001-01-01T00:00:00Z'`);
      assert.ok(old >= 2);

      const result = await pruneAuditBefore(running.app, 'root', '2001-01');
      assert.equal(result.deleted, old);
      assert.equal(result.cutoff.toISOString(), '2001-01-01T00:00:00.000Z');
      assert.equal(await count(sql`occurred_at < '2001-01-01T00:00:00Z'`), 0);
      assert.deepEqual(
        (await eventsOf(a)).map((event) => event.id),
        [kept.id],
      );
      assert.deepEqual(await eventsOf(b), []);

      const [pruned] = await selectRows<{
        actor_kind: string;
        actor_id: string;
        area: string;
        changes: unknown;
      }>(
        db(),
        sql`select actor_kind, actor_id, area, changes from audit_events
            where partner_id = ${INSTALLATION} and action = 'audit.pruned' order by occurred_at desc limit 1`,
      );
      assert.deepEqual(pruned, {
        actor_kind: 'operator',
        actor_id: 'root',
        area: 'system',
        changes: {
          deleted: { before: null, after: old },
          olderThan: { before: null, after: '2001-01-01T00:00:00.000Z' },
        },
      });
      // The guard is lifted for the maintenance transaction only.
      await assert.rejects(db().execute(sql`delete from audit_events where partner_id = ${a}`), appendOnly);
    });

    it('maintenance › prune refuses a malformed month and one that has not begun', async () => {
      await assert.rejects(
        pruneAuditBefore(running.app, 'root', '2025-13'),
        rejectsWith('invalid-month', 'before'),
      );
      await assert.rejects(
        pruneAuditBefore(running.app, 'root', '25-01'),
        rejectsWith('invalid-month', 'before'),
      );
      await assert.rejects(
        pruneAuditBefore(running.app, 'root', '2999-01'),
        rejectsWith('month-in-future', 'before'),
      );
    });

    it('maintenance › pseudonymise replaces the actor’s label on every partner’s events and records itself', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const erased = `user-${randomUUID()}`;
      const other = `user-${randomUUID()}`;
      for (const [partnerId, actorId] of [
        [a, erased],
        [b, erased],
        [a, other],
      ] as const) {
        await withTransaction(running.app.database, (tx) =>
          recordAudit(tx, staff(partnerId, [], actorId), {
            partnerId,
            action: 'user.signed_in',
            target: { type: 'user', id: actorId },
            actorLabel: `${actorId}@contoso.example`,
          }),
        );
      }
      const result = await pseudonymiseActor(running.app, 'root', erased);
      assert.deepEqual(result, { pseudonym: pseudonymOf(erased), updated: 2 });
      assert.match(result.pseudonym, /^erased-[0-9a-f]{12}$/);
      const labels = [...(await eventsOf(a)), ...(await eventsOf(b))]
        .map((event) => [event.actorId, event.actorLabel])
        .sort();
      assert.deepEqual(
        labels,
        [
          [erased, result.pseudonym],
          [erased, result.pseudonym],
          [other, `${other}@contoso.example`],
        ].sort(),
      );
      assert.equal(
        await count(
          sql`partner_id = ${INSTALLATION} and action = 'audit.actor_pseudonymised' and target_id = ${erased}`,
        ),
        1,
      );
      assert.equal(await count(sql`actor_label like ${`${erased}@%`}`), 0);
      assert.deepEqual(await pseudonymiseActor(running.app, 'root', erased), {
        pseudonym: result.pseudonym,
        updated: 0,
      });
    });

    it('search › filters by actor, target, action prefix, customer and time range', async () => {
      const partnerId = randomUUID();
      const customerId = randomUUID();
      const record = (
        actorId: string,
        action: string,
        target: { type: string; id: string },
        forCustomer = false,
      ) =>
        withTransaction(running.app.database, (tx) =>
          recordAudit(tx, staff(partnerId, [], actorId), {
            partnerId,
            action,
            target,
            ...(forCustomer ? { customerId } : {}),
          }),
        );
      const updated = await record('ann', 'customer.updated', { type: 'customer', id: 'c-1' }, true);
      const created = await record('bob', 'customer.created', { type: 'customer', id: 'c-2' });
      const invited = await record('ann', 'customer_user.invited', { type: 'user', id: 'u-1' }, true);
      const issued = await record('bob', 'invoice.issued', { type: 'invoice', id: 'i-1' });
      const admin = globalAdmin(partnerId);
      const ids = async (search: Parameters<typeof searchAudit>[2]) =>
        (await searchAudit(running.app, admin, search)).events.map((event) => event.id).sort();

      assert.deepEqual(await ids({ actorId: 'ann' }), [updated, invited].sort());
      assert.deepEqual(await ids({ targetType: 'customer' }), [updated, created].sort());
      assert.deepEqual(await ids({ targetType: 'customer', targetId: 'c-2' }), [created]);
      assert.deepEqual(await ids({ action: 'customer.' }), [updated, created].sort());
      assert.deepEqual(await ids({ action: 'customer' }), [updated, created, invited].sort());
      assert.deepEqual(await ids({ action: 'customer_%' }), [], 'LIKE wildcards are matched literally');
      assert.deepEqual(await ids({ customerId }), [updated, invited].sort());
      assert.deepEqual(await ids({ area: 'money' }), [issued]);

      const timed = randomUUID();
      await recordAt(timed, '2025-03-09T06:59:59.999Z');
      const inside = await recordAt(timed, '2025-03-09T07:00:00Z');
      const last = await recordAt(timed, '2025-03-10T03:59:59.999Z');
      await recordAt(timed, '2025-03-10T04:00:00Z');
      const range = await searchAudit(running.app, globalAdmin(timed), {
        from: new Date('2025-03-09T07:00:00Z'),
        to: new Date('2025-03-10T04:00:00Z'),
      });
      assert.deepEqual(
        range.events.map((event) => event.id),
        [last.id, inside.id],
        'from is inclusive, to exclusive, newest first',
      );
    });

    it('search › scoped to the caller’s partner: partner B sees none of A’s events', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await recordAt(a, '2025-04-01T10:00:00Z');
      await recordAt(a, '2025-04-01T11:00:00Z');
      assert.equal((await eventsOf(a)).length, 2);
      assert.deepEqual(await eventsOf(b), []);
      assert.deepEqual((await searchAudit(running.app, globalAdmin(b), { targetId: 'c-1' })).events, []);
      const installationWide = await searchAudit(running.app, globalAdmin(INSTALLATION), {});
      assert.ok(installationWide.events.every((event) => event.partnerId === INSTALLATION));
    });

    it('search › User admins read users, Billing admins money, Global admins all; other roles are refused', async () => {
      const partnerId = randomUUID();
      await recordAt(partnerId, '2025-05-01T10:00:00Z', 'user.invited', 'users');
      await recordAt(partnerId, '2025-05-01T11:00:00Z', 'invoice.issued', 'money');
      await recordAt(partnerId, '2025-05-01T12:00:00Z', 'customer.updated', 'customers');
      const actions = async (permissions: string[], area?: 'users' | 'money') =>
        (await searchAudit(running.app, staff(partnerId, permissions), area ? { area } : {})).events.map(
          (event) => event.action,
        );

      assert.deepEqual(await actions(['audit.read_users']), ['user.invited']);
      assert.deepEqual(await actions(['audit.read_money']), ['invoice.issued']);
      assert.deepEqual(await actions(['audit.read_users', 'audit.read_money']), [
        'invoice.issued',
        'user.invited',
      ]);
      assert.deepEqual(await actions(['audit.read']), ['customer.updated', 'invoice.issued', 'user.invited']);
      assert.deepEqual(await actions(['audit.read'], 'money'), ['invoice.issued']);
      await assert.rejects(actions(['audit.read_users'], 'money'), rejectsWith('forbidden'));
      await assert.rejects(actions(['customers.manage', 'tickets.manage']), rejectsWith('forbidden'));
      await assert.rejects(
        searchAudit(running.app, caller({ kind: 'operator', name: 'root' }), {}),
        rejectsWith('forbidden'),
      );
    });

    it('search › the cursor walks every event once, newest first, even within one millisecond', async () => {
      const partnerId = randomUUID();
      for (let i = 0; i < 4; i++) await recordAt(partnerId, '2025-06-01T12:00:00.000Z');
      for (let i = 0; i < 3; i++) await recordAt(partnerId, `2025-06-0${i + 2}T12:00:00.000Z`);
      const all = await eventsOf(partnerId);
      assert.equal(all.length, 7);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await searchAudit(running.app, globalAdmin(partnerId), { limit: 3, cursor });
        seen.push(...page.events.map((event) => event.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(
        seen,
        all.map((event) => event.id),
      );
      const order = all.map((event) => [event.occurredAt.getTime(), event.id] as const);
      for (let i = 1; i < order.length; i++) {
        const [time, id] = order[i]!;
        const [previousTime, previousId] = order[i - 1]!;
        assert.ok(
          time < previousTime || (time === previousTime && id < previousId),
          'newest first, then by id',
        );
      }
      await assert.rejects(
        searchAudit(running.app, globalAdmin(partnerId), { cursor: 'not-a-cursor' }),
        rejectsWith('invalid-cursor', 'cursor'),
      );
    });

    describe('GET /api/v1/audit-events', () => {
      const get = (query: string, headers: Record<string, string> = {}) =>
        running.http.inject({ method: 'GET', url: `/api/v1/audit-events${query}`, headers });

      it('401 when signed out, 403 without an audit permission', async () => {
        const partnerId = randomUUID();
        assert.equal((await get('')).statusCode, 401);
        const forbidden = await get('', staffHeader(partnerId, ['customers.manage']));
        assert.equal(forbidden.statusCode, 403);
        assert.equal(forbidden.json().type, '/problems/forbidden');
      });

      it('400 names the bad field', async () => {
        const headers = staffHeader(randomUUID(), ['audit.read']);
        assert.equal((await get('?limit=0', headers)).json().field, 'querystring.limit');
        assert.equal((await get('?from=yesterday', headers)).json().field, 'querystring.from');
        const cursor = await get('?cursor=bm9wZQ', headers);
        assert.equal(cursor.statusCode, 400);
        assert.deepEqual([cursor.json().type, cursor.json().field], ['/problems/invalid-cursor', 'cursor']);
      });

      it('200 presents the role’s events with changes, and pages with the cursor', async () => {
        const partnerId = randomUUID();
        await withTransaction(running.app.database, async (tx) => {
          await recordAudit(tx, staff(partnerId, [], 'user-9'), {
            partnerId,
            action: 'user.invited',
            target: { type: 'user', id: 'u-2' },
            after: { email: 'new@contoso.example', roles: ['helpdesk_agent'] },
            actorLabel: 'admin@contoso.example',
          });
          await recordAudit(tx, staff(partnerId, [], 'user-9'), {
            partnerId,
            action: 'invoice.issued',
            target: { type: 'invoice', id: 'i-1' },
          });
        });
        const response = await get('?limit=1', staffHeader(partnerId, ['audit.read_users']));
        assert.equal(response.statusCode, 200);
        const body = response.json();
        assert.equal(body.events.length, 1);
        const [event] = body.events;
        assert.deepEqual(
          { ...event, id: undefined, occurredAt: undefined, ip: undefined, requestId: undefined },
          {
            id: undefined,
            occurredAt: undefined,
            ip: undefined,
            requestId: undefined,
            actor: { kind: 'staff', id: 'user-9', label: 'admin@contoso.example', tokenId: null },
            customerId: null,
            action: 'user.invited',
            area: 'users',
            target: { type: 'user', id: 'u-2' },
            changes: {
              email: { before: null, after: 'new@contoso.example' },
              roles: { before: null, after: ['helpdesk_agent'] },
            },
          },
        );
        assert.match(event.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(body.nextCursor, null, 'the money event is not in a User admin’s view');

        const globalHeaders = staffHeader(partnerId, ['audit.read']);
        const first = (await get('?limit=1', globalHeaders)).json();
        const second = (
          await get(`?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`, globalHeaders)
        ).json();
        assert.deepEqual(
          [...first.events, ...second.events].map((e: { action: string }) => e.action).sort(),
          ['invoice.issued', 'user.invited'],
        );
        assert.equal(second.nextCursor, null);
      });
    });
  });
}
