import type { Decimal } from 'decimal.js';
import { invalid } from '#platform/errors';
import { minorUnits } from './currencies.ts';
import type { RoundingMode } from './money.ts';
import { Money, parseDecimal } from './money.ts';

/**
 * Shares an amount out in proportion to weights, by the largest-remainder method: the whole is rounded
 * to the minor unit (with `mode`), every part is a whole number of minor units, the parts add up to
 * the whole exactly, and the leftover units go to the largest remainders (earlier parts win ties).
 * Negative amounts are shared like positive ones, with the sign put back. Zero weights get nothing.
 */
export function allocate(
  amount: Money,
  weights: readonly (string | Decimal)[],
  mode: RoundingMode = 'half-even',
): Money[] {
  if (weights.length === 0) {
    throw invalid('invalid-weights', 'weights must not be empty', { field: 'weights' });
  }
  const parsed = weights.map((weight, index) => {
    const at = { field: `weights[${index}]` };
    const value = parseDecimal(weight, at);
    if (value.lessThan(0)) throw invalid('invalid-weights', `${at.field} must not be negative`, at);
    return value;
  });
  // Scale the weights to integers so that shares and remainders are exact integer arithmetic.
  const scale = Math.max(...parsed.map((value) => value.decimalPlaces()));
  const units = parsed.map((value) => toUnits(value, scale));
  const totalWeight = units.reduce((total, weight) => total + weight, 0n);
  if (totalWeight === 0n) {
    throw invalid('zero-total-weight', 'weights must not all be zero', { field: 'weights' });
  }

  const digits = minorUnits(amount.currency);
  const whole = toUnits(amount.round(mode).amount, digits);
  const sign = whole < 0n ? -1n : 1n;
  const magnitude = whole * sign;
  const shares = units.map((weight, index) => ({
    index,
    units: (magnitude * weight) / totalWeight,
    remainder: (magnitude * weight) % totalWeight,
  }));
  let leftover = shares.reduce((rest, share) => rest - share.units, magnitude);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.units += 1n;
    leftover -= 1n;
  }
  return shares.map((share) => new Money(fromUnits(share.units * sign, digits), amount.currency));
}

/**
 * Splits an amount into `parts` equal shares of whole minor units that add up to the rounded whole;
 * the units left over go one each to the first parts, so parts differ by at most one minor unit.
 */
export function split(amount: Money, parts: number, mode: RoundingMode = 'half-even'): Money[] {
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw invalid('invalid-parts', 'parts must be a whole number, 1 or more', { field: 'parts' });
  }
  return allocate(
    amount,
    Array.from({ length: parts }, () => '1'),
    mode,
  );
}

function toUnits(value: Decimal, places: number): bigint {
  return BigInt(value.toFixed(places).replace('.', ''));
}

function fromUnits(units: bigint, places: number): Decimal {
  return parseDecimal(`${units}e-${places}`);
}
