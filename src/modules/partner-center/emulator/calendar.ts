/** UTC calendar arithmetic shared by the seed and the billing seed: Partner Center dates are UTC. */
export const dayMs = 86_400_000;

export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

export function startOfUtcMonth(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
}

export function daysInUtcMonth(instant: Date): number {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + 1, 0)).getUTCDate();
}

/** The same day `months` later, held to the month's last day (a cycle from 31 January renews 28 February). */
export function addMonths(instant: Date, months: number): Date {
  const first = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + months, 1));
  const day = Math.min(instant.getUTCDate(), daysInUtcMonth(first));
  return new Date(first.getTime() + (day - 1) * dayMs + (instant.getTime() % dayMs));
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * dayMs);
}

/** `YYYY-MM`. */
export function monthOf(instant: Date): string {
  return instant.toISOString().slice(0, 7);
}
