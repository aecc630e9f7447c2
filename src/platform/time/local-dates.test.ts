import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { isDomainError } from '#platform/errors';
import {
  addLocalDays,
  assertLocalDate,
  atLocalTime,
  daysBetween,
  localDate,
  monthOf,
  monthRange,
  startOfLocalDay,
} from './index.ts';

const hour = 3_600_000;
const iso = (instant: Date) => instant.toISOString();
const dayLength = (date: string, zone: string) =>
  (startOfLocalDay(addLocalDays(date, 1), zone).getTime() - startOfLocalDay(date, zone).getTime()) / hour;

function refuses(run: () => unknown, code: string, field: string): void {
  assert.throws(
    run,
    (error: unknown) => isDomainError(error) && error.code === code && error.location.field === field,
  );
}

/** Runs `work` with the process in another zone; Node re-reads TZ when it is assigned. */
function inProcessZone<T>(zone: string, work: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    return work();
  } finally {
    process.env.TZ = saved;
  }
}

const zones = [
  'America/New_York',
  'Europe/Budapest',
  'Asia/Shanghai',
  'Asia/Taipei',
  'Europe/Moscow',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'America/Havana',
  'Asia/Beirut',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'UTC',
];
const localDates = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((instant) => instant.toISOString().slice(0, 10));
const localTimes = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

describe('time', () => {
  describe('process zone', () => {
    it('results do not depend on the zone the process runs in', () => {
      const work = () => [
        localDate(new Date('2026-03-08T03:30:00Z'), 'Europe/Budapest'),
        localDate(new Date('2026-01-01T04:59:59Z'), 'America/Chicago'),
        iso(startOfLocalDay('2026-03-08', 'America/New_York')),
        iso(atLocalTime('2026-10-25', '02:30', 'Europe/Budapest')),
        iso(atLocalTime('2026-11-01', '01:30', 'America/New_York')),
        monthRange('2026-03', 'Asia/Taipei').start.getTime(),
        addLocalDays('2026-03-08', 1),
        daysBetween('2026-03-01', '2026-04-01'),
        monthOf('2026-03-31'),
      ];
      const expected = work();
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Budapest', 'UTC']) {
        const seen = inProcessZone(zone, () => {
          // The switch must really happen, or this test proves nothing.
          assert.notEqual(new Date(2026, 0, 1).getTimezoneOffset(), 300, zone);
          return work();
        });
        assert.deepEqual(seen, expected, `under TZ=${zone}`);
      }
    });

    it('a local date is the zone’s, not the process’s (New York is still on 7 March here)', () => {
      assert.equal(localDate(new Date('2026-03-08T03:30:00Z'), 'Europe/Budapest'), '2026-03-08');
      assert.equal(localDate(new Date('2026-03-08T03:30:00Z'), 'Asia/Shanghai'), '2026-03-08');
      assert.equal(localDate(new Date('2026-03-08T03:30:00Z'), 'UTC'), '2026-03-08');
      assert.equal(iso(startOfLocalDay('2026-03-08', 'Asia/Shanghai')), '2026-03-07T16:00:00.000Z');
    });
  });

  describe('America/New_York', () => {
    it('the spring-forward day has 23 hours and the fall-back day 25', () => {
      assert.equal(dayLength('2026-03-08', 'America/New_York'), 23);
      assert.equal(dayLength('2026-11-01', 'America/New_York'), 25);
      assert.equal(dayLength('2026-11-02', 'America/New_York'), 24);
    });

    it('a time in the spring-forward gap is the first instant after the gap', () => {
      assert.equal(iso(atLocalTime('2026-03-08', '02:00', 'America/New_York')), '2026-03-08T07:00:00.000Z');
      assert.equal(iso(atLocalTime('2026-03-08', '02:30', 'America/New_York')), '2026-03-08T07:00:00.000Z');
      assert.equal(iso(atLocalTime('2026-03-08', '03:00', 'America/New_York')), '2026-03-08T07:00:00.000Z');
      assert.equal(iso(atLocalTime('2026-03-08', '01:59', 'America/New_York')), '2026-03-08T06:59:00.000Z');
    });

    it('a time in the fall-back overlap is the earlier instant', () => {
      assert.equal(iso(atLocalTime('2026-11-01', '01:00', 'America/New_York')), '2026-11-01T05:00:00.000Z');
      assert.equal(iso(atLocalTime('2026-11-01', '01:30', 'America/New_York')), '2026-11-01T05:30:00.000Z');
      assert.equal(iso(atLocalTime('2026-11-01', '02:00', 'America/New_York')), '2026-11-01T07:00:00.000Z');
    });
  });

  describe('Europe/Budapest', () => {
    it('the spring-forward day has 23 hours and the fall-back day 25', () => {
      assert.equal(dayLength('2026-03-29', 'Europe/Budapest'), 23);
      assert.equal(dayLength('2026-10-25', 'Europe/Budapest'), 25);
    });

    it('a time in the spring-forward gap is 03:00 CEST', () => {
      assert.equal(iso(atLocalTime('2026-03-29', '02:30', 'Europe/Budapest')), '2026-03-29T01:00:00.000Z');
    });

    it('a time in the fall-back overlap is the earlier instant, still CEST', () => {
      assert.equal(iso(atLocalTime('2026-10-25', '02:30', 'Europe/Budapest')), '2026-10-25T00:30:00.000Z');
      assert.equal(iso(atLocalTime('2026-10-25', '03:00', 'Europe/Budapest')), '2026-10-25T02:00:00.000Z');
    });
  });

  describe('other zones', () => {
    it('a day whose midnight does not exist starts when the clocks resume (São Paulo, 2018)', () => {
      assert.equal(iso(startOfLocalDay('2018-11-04', 'America/Sao_Paulo')), '2018-11-04T03:00:00.000Z');
      assert.equal(
        localDate(startOfLocalDay('2018-11-04', 'America/Sao_Paulo'), 'America/Sao_Paulo'),
        '2018-11-04',
      );
      assert.equal(dayLength('2018-11-04', 'America/Sao_Paulo'), 23);
    });

    it('Lord Howe shifts by half an hour', () => {
      assert.equal(dayLength('2026-10-04', 'Australia/Lord_Howe'), 23.5);
      assert.equal(dayLength('2026-04-05', 'Australia/Lord_Howe'), 24.5);
      assert.equal(
        iso(atLocalTime('2026-10-04', '02:15', 'Australia/Lord_Howe')),
        '2026-10-03T15:30:00.000Z',
      );
      assert.equal(
        iso(atLocalTime('2026-04-05', '01:45', 'Australia/Lord_Howe')),
        '2026-04-04T14:45:00.000Z',
      );
    });

    it('a day a zone skipped resolves to the start of the next day (Samoa, 2011-12-30)', () => {
      assert.equal(iso(startOfLocalDay('2011-12-30', 'Pacific/Apia')), '2011-12-30T10:00:00.000Z');
      assert.equal(iso(startOfLocalDay('2011-12-31', 'Pacific/Apia')), '2011-12-30T10:00:00.000Z');
    });

    it('24:00 is the start of the next day', () => {
      assert.equal(iso(atLocalTime('2026-03-07', '24:00', 'America/New_York')), '2026-03-08T05:00:00.000Z');
    });
  });

  describe('properties', () => {
    it('the start of a local day falls on that day, in every zone', () => {
      fc.assert(
        fc.property(localDates, fc.constantFrom(...zones), (date, zone) => {
          assert.equal(localDate(startOfLocalDay(date, zone), zone), date);
        }),
        { numRuns: 2000 },
      );
    });

    it('a local time is kept, or moved to the end of the gap it fell in', () => {
      fc.assert(
        fc.property(localDates, localTimes, fc.constantFrom(...zones), (date, time, zone) => {
          const instant = atLocalTime(date, time, zone).getTime();
          const shown = DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
          if (shown === `${date} ${time}`) {
            // In an overlap the earlier reading is chosen: an hour earlier shows a different time.
            const earlier = DateTime.fromMillis(instant - hour, { zone }).toFormat('yyyy-MM-dd HH:mm');
            assert.notEqual(earlier, shown);
          } else {
            assert.ok(shown > `${date} ${time}`, `${date} ${time} ${zone} became ${shown}`);
            const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
            assert.notEqual(offset(instant - 1), offset(instant), 'only the end of a gap may differ');
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('a local day lasts between 23 and 25 hours', () => {
      fc.assert(
        fc.property(localDates, fc.constantFrom(...zones), (date, zone) => {
          const hours = dayLength(date, zone);
          assert.ok(hours >= 23 && hours <= 25, `${date} in ${zone} lasts ${hours} hours`);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('calendar arithmetic', () => {
    it('adds days across months, years and leap days', () => {
      assert.equal(addLocalDays('2026-02-28', 1), '2026-03-01');
      assert.equal(addLocalDays('2024-02-28', 1), '2024-02-29');
      assert.equal(addLocalDays('2026-12-31', 1), '2027-01-01');
      assert.equal(addLocalDays('2026-03-01', -1), '2026-02-28');
      assert.equal(addLocalDays('2026-03-07', 1), '2026-03-08');
    });

    it('counts days between dates, negative backwards', () => {
      assert.equal(daysBetween('2026-03-01', '2026-03-08'), 7);
      assert.equal(daysBetween('2026-03-08', '2026-03-01'), -7);
      assert.equal(daysBetween('2026-01-01', '2027-01-01'), 365);
      assert.equal(daysBetween('2026-10-24', '2026-10-26'), 2);
    });

    it('days between and adding days agree', () => {
      fc.assert(
        fc.property(localDates, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
          assert.equal(daysBetween(date, addLocalDays(date, days)), days);
        }),
      );
    });

    it('names the month of a date', () => {
      assert.equal(monthOf('2026-03-31'), '2026-03');
      assert.equal(monthOf('2026-12-01'), '2026-12');
    });

    it('a month in a zone is [its first midnight, the next month’s first midnight)', () => {
      const ny = monthRange('2026-03', 'America/New_York');
      assert.equal(iso(ny.start), '2026-03-01T05:00:00.000Z');
      assert.equal(iso(ny.end), '2026-04-01T04:00:00.000Z');
      const budapest = monthRange('2026-12', 'Europe/Budapest');
      assert.equal(iso(budapest.start), '2026-11-30T23:00:00.000Z');
      assert.equal(iso(budapest.end), '2026-12-31T23:00:00.000Z');
    });
  });

  describe('bad input', () => {
    it('refuses dates that are not real calendar days', () => {
      for (const date of ['2026-02-30', '2026-13-01', '2026-3-1', '20260301', '2026-03-01T00:00', '']) {
        refuses(() => assertLocalDate(date, 'periodStart'), 'invalid-date', 'periodStart');
      }
      refuses(() => startOfLocalDay('2026-02-29', 'UTC'), 'invalid-date', 'date');
      refuses(() => daysBetween('2026-01-01', 'soon'), 'invalid-date', 'to');
    });

    it('refuses times, months and zones it cannot read', () => {
      for (const time of ['9:30', '24:01', '12:60', '12:00:00', '']) {
        refuses(() => atLocalTime('2026-03-01', time, 'UTC'), 'invalid-time', 'time');
      }
      for (const month of ['2026-13', '2026-3', '2026-03-01']) {
        refuses(() => monthRange(month, 'UTC'), 'invalid-month', 'month');
      }
      refuses(() => localDate(new Date(0), 'Mars/Olympus_Mons'), 'invalid-zone', 'zone');
      refuses(() => startOfLocalDay('2026-03-01', 'local'), 'invalid-zone', 'zone');
      refuses(() => addLocalDays('2026-03-01', 0.5), 'invalid-days', 'days');
    });
  });
});
