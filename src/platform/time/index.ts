export type { Clock, FixedClock } from './clock.ts';
export { fixedClock, systemClock } from './clock.ts';
export { parseInstant, toIso } from './instants.ts';
export {
  addLocalDays,
  assertLocalDate,
  atLocalTime,
  daysBetween,
  localDate,
  monthOf,
  monthRange,
  startOfLocalDay,
} from './local-dates.ts';
export { assertZone, isValidZone } from './zones.ts';
