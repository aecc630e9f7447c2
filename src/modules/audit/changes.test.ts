import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { areaOf } from './areas.ts';
import { diffChanges, REDACTED } from './changes.ts';

describe('audit › changes', () => {
  it('keeps only the fields whose values differ, as { before, after }', () => {
    assert.deepEqual(
      diffChanges(
        { name: 'Contoso', country: 'HU', tags: ['a', 'b'], limits: { seats: 5, users: 2 } },
        { name: 'Contoso Ltd', country: 'HU', tags: ['a', 'b'], limits: { users: 2, seats: 5 } },
      ),
      { name: { before: 'Contoso', after: 'Contoso Ltd' } },
    );
  });

  it('a field on one side only is null on the other; a creation lists what was set', () => {
    assert.deepEqual(diffChanges(undefined, { name: 'Fabrikam', phone: null, domain: 'fabrikam.com' }), {
      domain: { before: null, after: 'fabrikam.com' },
      name: { before: null, after: 'Fabrikam' },
    });
    assert.deepEqual(diffChanges({ phone: '+36 1 234 5678' }, {}), {
      phone: { before: '+36 1 234 5678', after: null },
    });
  });

  it('stores dates as ISO instants and bigints as strings', () => {
    assert.deepEqual(
      diffChanges(
        { dueAt: new Date('2025-03-01T00:00:00Z'), count: 1n },
        { dueAt: new Date('2025-03-31T00:00:00Z'), count: 2n },
      ),
      {
        count: { before: '1', after: '2' },
        dueAt: { before: '2025-03-01T00:00:00.000Z', after: '2025-03-31T00:00:00.000Z' },
      },
    );
    assert.deepEqual(
      diffChanges({ at: new Date('2025-03-01T00:00:00Z') }, { at: new Date('2025-03-01T00:00:00Z') }),
      {},
    );
  });

  it('redacts secret fields: the change is recorded, the values are not', () => {
    const changes = diffChanges(
      { email: 'a@contoso.com', passwordHash: 'argon2-old', totpSecret: null, apiToken: 'tok_1' },
      { email: 'a@contoso.com', passwordHash: 'argon2-new', totpSecret: 'JBSWY3DP', apiToken: null },
    );
    assert.deepEqual(changes, {
      apiToken: { before: REDACTED, after: null },
      passwordHash: { before: REDACTED, after: REDACTED },
      totpSecret: { before: null, after: REDACTED },
    });
    const recovery = diffChanges(undefined, { RecoveryCodes: ['k7m2-9xqd'], clientSECRET: 'x' });
    assert.deepEqual(recovery, {
      RecoveryCodes: { before: null, after: REDACTED },
      clientSECRET: { before: null, after: REDACTED },
    });
  });

  it('redacts secret keys nested inside values too', () => {
    const changes = diffChanges(
      { connection: { tenant: 't1', refreshToken: 'old' } },
      { connection: { tenant: 't2', refreshToken: 'new', nested: [{ password: 'p' }] } },
    );
    assert.deepEqual(changes, {
      connection: {
        before: { tenant: 't1', refreshToken: REDACTED },
        after: { tenant: 't2', refreshToken: REDACTED, nested: [{ password: REDACTED }] },
      },
    });
    assert.doesNotMatch(JSON.stringify(changes), /old|new|"p"/);
  });

  it('is null when neither side is given', () => {
    assert.equal(diffChanges(undefined, undefined), null);
  });
});

describe('audit › areas', () => {
  it('derives the role view from the action subject', () => {
    assert.equal(areaOf('user.invited'), 'users');
    assert.equal(areaOf('customer_user.invited'), 'users');
    assert.equal(areaOf('invoice.issued'), 'money');
    assert.equal(areaOf('payment.recorded'), 'money');
    assert.equal(areaOf('partner.settings_updated'), 'settings');
    assert.equal(areaOf('customer.updated'), 'customers');
    assert.equal(areaOf('ticket.closed'), 'support');
    assert.equal(areaOf('audit.pruned'), 'system');
  });

  it('refuses an action that is not <subject>.<verb>, or whose subject has no area', () => {
    assert.throws(() => areaOf('CustomerUpdated'), /not <subject>\.<past-tense verb>/);
    assert.throws(() => areaOf('customer.'), /not <subject>/);
    assert.throws(() => areaOf('spaceship.launched'), /has no area/);
    assert.throws(() => areaOf('constructor.called'), /has no area/);
  });
});
