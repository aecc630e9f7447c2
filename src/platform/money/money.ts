import { Decimal } from 'decimal.js';
import type { ErrorLocation } from '#platform/errors';
import { invalid } from '#platform/errors';
import { minorUnits, parseCurrency, placeOf } from './currencies.ts';

/**
 * decimal.js rounds every result to `precision` significant digits (20 by default). With 1000 digits,
 * sums and products of real amounts, quantities and rates are exact; rounding happens only when asked.
 */
const Exact = Decimal.clone({ precision: 1000 });

export type RoundingMode = 'half-even' | 'half-up' | 'half-down' | 'up' | 'down' | 'ceiling' | 'floor';

const decimalRounding: Record<RoundingMode, Decimal.Rounding> = {
  'half-even': Decimal.ROUND_HALF_EVEN, // banker's rounding: 2.345 → 2.34, 2.355 → 2.36
  'half-up': Decimal.ROUND_HALF_UP, // ties away from zero: 2.345 → 2.35, -2.345 → -2.35
  'half-down': Decimal.ROUND_HALF_DOWN, // ties towards zero: 2.345 → 2.34
  up: Decimal.ROUND_UP, // away from zero
  down: Decimal.ROUND_DOWN, // towards zero
  ceiling: Decimal.ROUND_CEIL, // towards +∞
  floor: Decimal.ROUND_FLOOR, // towards −∞
};

export const roundingModes = Object.keys(decimalRounding) as RoundingMode[];

// Plain decimal notation with an optional two-digit exponent (CSV exports write 4.8E-05); no hex,
// binary or octal, no spaces, no "Infinity".
const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,2})?$/;

/** Reads an exact decimal from a string or a Decimal; anything else is refused, naming where it came from. */
export function parseDecimal(value: unknown, at: ErrorLocation = { field: 'amount' }): Decimal {
  if (typeof value === 'string' && decimalPattern.test(value)) return new Exact(value);
  if (Decimal.isDecimal(value) && value.isFinite()) return new Exact(value);
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  throw invalid('invalid-amount', `${placeOf(at)} must be a decimal number such as 12.50, not ${shown}`, at);
}

function roundingOf(mode: RoundingMode): Decimal.Rounding {
  const rounding = decimalRounding[mode];
  if (rounding === undefined) {
    throw invalid('unknown-rounding-mode', `rounding mode must be one of ${roundingModes.join(', ')}`, {
      field: 'mode',
    });
  }
  return rounding;
}

/**
 * An exact amount in one currency. Immutable: every operation returns a new value. Amounts keep full
 * precision until `round` is called, so a line is rounded once, with a mode its caller names.
 */
export class Money {
  readonly amount: Decimal;
  readonly currency: string;

  /** Trusts its arguments; outside this folder values come from `money()`. */
  constructor(amount: Decimal, currency: string) {
    this.amount = amount.isZero() ? amount.abs() : amount; // no "-0" in storage or JSON
    this.currency = currency;
    Object.freeze(this);
  }

  add(other: Money): Money {
    return new Money(this.amount.plus(this.sameCurrency(other).amount), this.currency);
  }

  subtract(other: Money): Money {
    return new Money(this.amount.minus(this.sameCurrency(other).amount), this.currency);
  }

  negate(): Money {
    return new Money(this.amount.negated(), this.currency);
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.amount.comparedTo(this.sameCurrency(other).amount) as -1 | 0 | 1;
  }

  equals(other: Money): boolean {
    return this.compare(other) === 0;
  }

  /** Quantity × rate, exact: the result is not rounded. */
  multiply(by: string | Decimal): Money {
    return new Money(this.amount.times(parseDecimal(by, { field: 'multiplier' })), this.currency);
  }

  /** Rounds to the currency's minor unit (cents for EUR, whole yen for JPY, fils for KWD). */
  round(mode: RoundingMode): Money {
    return this.roundTo(minorUnits(this.currency), mode);
  }

  /** Rounds to a number of decimal places, for unit prices kept finer than the minor unit. */
  roundTo(places: number, mode: RoundingMode): Money {
    if (!Number.isSafeInteger(places) || places < 0) {
      throw invalid('invalid-places', 'places must be a whole number of decimal places, 0 or more', {
        field: 'places',
      });
    }
    return new Money(this.amount.toDecimalPlaces(places, roundingOf(mode)), this.currency);
  }

  /** Plain decimal notation at full precision, never shorter than the minor unit: "12.50", "100", "0.12345". */
  toString(): string {
    return this.amount.toFixed(Math.max(minorUnits(this.currency), this.amount.decimalPlaces()));
  }

  toJSON(): string {
    return this.toString();
  }

  /**
   * For people: the locale's symbol and separators, at least the minor unit's digits and never rounded.
   * The digits come from ISO 4217, not from the locale data (which shows HUF without fillér).
   */
  format(locale: string): string {
    const digits = minorUnits(this.currency);
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: this.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: Math.min(100, Math.max(digits, this.amount.decimalPlaces())),
    }).format(this.amount.toFixed() as Intl.StringNumericLiteral);
  }

  private sameCurrency(other: Money): Money {
    if (other.currency !== this.currency) {
      throw invalid(
        'currency-mismatch',
        `Amounts in ${this.currency} and ${other.currency} cannot be combined`,
      );
    }
    return other;
  }
}

export type MoneyInputPlaces = { amount?: ErrorLocation; currency?: ErrorLocation };

/**
 * Reads an amount exactly. `at` names where the amount and the currency came from, so that a bad value
 * is reported against the right field (or file line): `money(body.price, body.currency, { amount: { field: 'price' } })`.
 */
export function money(amount: string | Decimal, currency: string, at: MoneyInputPlaces = {}): Money {
  return new Money(
    parseDecimal(amount, at.amount ?? { field: 'amount' }),
    parseCurrency(currency, at.currency ?? { field: 'currency' }),
  );
}

/** Adds amounts of one currency; an empty list is zero of that currency. */
export function sum(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce((total, amount) => total.add(amount), money('0', currency));
}
