import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDomainError } from '#platform/errors';
import { assertZone, fixedClock, isValidZone, parseInstant, systemClock, toIso } from './index.ts';

describe('time', () => {
  describe('instants', () => {
    it('reads ISO 8601 with Z or an offset as a UTC instant', () => {
      assert.equal(toIso(parseInstant('2026-03-01T09:00:00Z', 'at')), '2026-03-01T09:00:00.000Z');
      assert.equal(toIso(parseInstant('2026-03-01T10:00:00+01:00', 'at')), '2026-03-01T09:00:00.000Z');
      assert.equal(toIso(parseInstant('2026-03-01T04:00-0500', 'at')), '2026-03-01T09:00:00.000Z');
      assert.equal(toIso(parseInstant('2026-03-01T14:30:00.123+05:30', 'at')), '2026-03-01T09:00:00.123Z');
    });

    for (const bad of [
      '2026-03-01',
      '2026-03-01T09:00',
      '2026-03-01T09:00:00',
      '2026-02-30T09:00Z',
      'now',
      '',
    ]) {
      it(`refuses ${JSON.stringify(bad)}, naming the field`, () => {
        assert.throws(
          () => parseInstant(bad, 'dueAt'),
          (error: unknown) =>
            isDomainError(error) &&
            error.code === 'invalid-instant' &&
            error.location.field === 'dueAt' &&
            error.message.startsWith('dueAt must be'),
        );
      });
    }

    it('writes instants in UTC with Z', () => {
      assert.equal(toIso(new Date(Date.UTC(2026, 2, 8, 7))), '2026-03-08T07:00:00.000Z');
    });
  });

  describe('zones', () => {
    it('knows IANA zones and refuses the rest, naming the field', () => {
      assert.ok(isValidZone('Europe/Budapest'));
      assert.ok(isValidZone('Asia/Taipei'));
      assert.ok(isValidZone('UTC'));
      for (const zone of ['local', 'system', 'UTC+5', 'Mars/Olympus_Mons', '', 5])
        assert.ok(!isValidZone(zone));
      assert.equal(assertZone('Asia/Shanghai', 'timeZone'), 'Asia/Shanghai');
      assert.throws(
        () => assertZone('CET+1', 'timeZone'),
        (error: unknown) =>
          isDomainError(error) && error.code === 'invalid-zone' && error.location.field === 'timeZone',
      );
    });
  });

  describe('clocks', () => {
    it('a fixed clock stands still until it is moved', () => {
      const clock = fixedClock('2026-03-08T06:59:00Z');
      assert.equal(toIso(clock.now()), '2026-03-08T06:59:00.000Z');
      clock.advance(60_000);
      assert.equal(toIso(clock.now()), '2026-03-08T07:00:00.000Z');
      clock.set(new Date('2026-11-01T05:30:00Z'));
      assert.equal(toIso(clock.now()), '2026-11-01T05:30:00.000Z');
    });

    it('a fixed clock hands out copies, so callers cannot move it by accident', () => {
      const start = new Date('2026-01-01T00:00:00Z');
      const clock = fixedClock(start);
      clock.now().setUTCFullYear(1999);
      start.setUTCFullYear(1999);
      assert.equal(toIso(clock.now()), '2026-01-01T00:00:00.000Z');
    });

    it('the system clock tells the current time', () => {
      const before = Date.now();
      const now = systemClock.now().getTime();
      assert.ok(now >= before && now <= Date.now());
    });
  });
});
