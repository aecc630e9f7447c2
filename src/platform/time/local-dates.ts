import { DateTime, IANAZone } from 'luxon';
import { invalid } from '#platform/errors';
import { assertZone } from './zones.ts';

/*
 * Local dates (`YYYY-MM-DD`), local times (`HH:mm`) and months (`YYYY-MM`) are plain strings; instants
 * are UTC `Date`s. Calendar arithmetic runs in UTC, where every day has 24 hours; a zone is consulted
 * only to turn a local date and time into an instant or back. Nothing here reads the process's zone.
 */

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const monthPattern = /^\d{4}-(?:0[1-9]|1[0-2])$/;
const minuteMs = 60_000;
const dayMs = 86_400_000;

function calendarDay(date: string, field: string): DateTime {
  const day =
    typeof date === 'string' && datePattern.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : null;
  if (!day?.isValid) throw invalid('invalid-date', `${field} must be a date such as 2026-03-31`, { field });
  return day;
}

function ianaZone(zone: string): IANAZone {
  return IANAZone.create(assertZone(zone, 'zone'));
}

/** Checks a local date string (`YYYY-MM-DD`, a real day of the calendar) and returns it. */
export function assertLocalDate(date: string, field: string): string {
  calendarDay(date, field);
  return date;
}

/** The date an instant falls on in a zone. */
export function localDate(instant: Date, zone: string): string {
  const local = DateTime.fromJSDate(instant, { zone: ianaZone(zone) });
  if (!local.isValid) {
    throw invalid('invalid-instant', 'instant must be a valid date and time', { field: 'instant' });
  }
  return local.toISODate();
}

export function addLocalDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days))
    throw invalid('invalid-days', 'days must be a whole number', { field: 'days' });
  return calendarDay(date, 'date').plus({ days }).toISODate()!;
}

/** Calendar days from `from` to `to`: 1 from a day to the next, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return calendarDay(to, 'to').diff(calendarDay(from, 'from'), 'days').days;
}

/**
 * The instant at which a local date and time happens in a zone. `24:00` is the start of the next day.
 * - In a gap (the clocks jump forward past that time), the first valid instant after the gap:
 *   02:30 on a New York spring-forward day is 03:00 EDT.
 * - In an overlap (the clocks fall back and the time happens twice), the earlier instant:
 *   01:30 on a New York fall-back day is 01:30 EDT, not 01:30 EST.
 * - A day that a zone skipped entirely (Pacific/Apia, 2011-12-30) resolves to the start of the next day.
 */
export function atLocalTime(date: string, time: string, zone: string): Date {
  const day = calendarDay(date, 'date');
  if (typeof time !== 'string' || !timePattern.test(time)) {
    throw invalid('invalid-time', 'time must be a time of day such as 09:30', { field: 'time' });
  }
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(resolveWallTime(day.plus({ hours, minutes }).toMillis(), ianaZone(zone)));
}

/** The first instant of a local date in a zone: midnight, or the first instant after a gap at midnight. */
export function startOfLocalDay(date: string, zone: string): Date {
  return atLocalTime(date, '00:00', zone);
}

/** The month (`YYYY-MM`) a local date falls in. */
export function monthOf(date: string): string {
  return calendarDay(date, 'date').toFormat('yyyy-MM');
}

/** A month in a zone as the half-open range of instants [start, end), for billing periods. */
export function monthRange(month: string, zone: string): { start: Date; end: Date } {
  if (typeof month !== 'string' || !monthPattern.test(month)) {
    throw invalid('invalid-month', 'month must be a month such as 2026-03', { field: 'month' });
  }
  const first = calendarDay(`${month}-01`, 'month');
  return {
    start: startOfLocalDay(first.toISODate()!, zone),
    end: startOfLocalDay(first.plus({ months: 1 }).toISODate()!, zone),
  };
}

/**
 * Turns a wall-clock time (given as if it were UTC milliseconds) into an instant. The offsets a day
 * before and a day after are the only candidates (zones change offset at most once a day); a candidate
 * is right when the zone really has that offset at the instant it gives. Luxon's own conversion is not
 * used because in an overlap it picks by the offset in force today, so results would change with the date
 * the code runs on.
 */
function resolveWallTime(wallMs: number, zone: IANAZone): number {
  const offsetMs = (instant: number) => zone.offset(instant) * minuteMs;
  const candidates = [offsetMs(wallMs - dayMs), offsetMs(wallMs + dayMs)]
    .map((offset) => Math.round(wallMs - offset))
    .filter((instant) => Math.round(wallMs - offsetMs(instant)) === instant);
  if (candidates.length > 0) return Math.min(...candidates);

  // A gap: find the transition (the first instant after it) between the two readings by bisection.
  let before = Math.round(wallMs - offsetMs(wallMs + dayMs));
  let after = Math.round(wallMs - offsetMs(wallMs - dayMs));
  const offsetBefore = offsetMs(before);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (offsetMs(middle) === offsetBefore) before = middle;
    else after = middle;
  }
  return after;
}
