import { parseInstant } from './instants.ts';

/** Where "now" comes from. Services take a clock so that tests can hold time still. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: it stands still until moved. */
export type FixedClock = Clock & {
  advance(ms: number): void;
  set(instant: Date): void;
};

export function fixedClock(instant: Date | string): FixedClock {
  let current = typeof instant === 'string' ? parseInstant(instant, 'instant').getTime() : instant.getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(next) {
      current = next.getTime();
    },
  };
}
