import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { isDomainError } from '#platform/errors';
import type { Money } from './index.ts';
import { allocate, minorUnits, money, split, sum } from './index.ts';

const currency = fc.constantFrom('USD', 'EUR', 'HUF', 'JPY', 'ISK', 'KWD', 'BHD', 'CLF');

/** Any amount, with up to three digits finer than the currency's minor unit. */
const amountIn = (code: string) =>
  fc
    .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 3 }))
    .map(([units, finer]) => new Decimal(`${units}e-${minorUnits(code) + finer}`).toFixed());

const moneyArb = currency.chain((code) => amountIn(code).map((amount) => money(amount, code)));

const weight = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 0, max: 6 }))
  .map(([units, scale]) => new Decimal(`${units}e-${scale}`).toFixed());

const minorUnit = (m: Money) => new Decimal(10).pow(-minorUnits(m.currency));

function assertWholeMinorUnits(parts: Money[]): void {
  for (const part of parts) {
    assert.ok(
      part.amount.decimalPlaces() <= minorUnits(part.currency),
      `${part} is not in whole minor units`,
    );
  }
}

function refuses(run: () => unknown, code: string, field: string): void {
  assert.throws(
    run,
    (error: unknown) => isDomainError(error) && error.code === code && error.location.field === field,
  );
}

describe('money', () => {
  describe('split', () => {
    it('parts sum exactly to the rounded whole and differ by at most one minor unit', () => {
      fc.assert(
        fc.property(moneyArb, fc.integer({ min: 1, max: 50 }), (whole, count) => {
          const parts = split(whole, count);
          assert.equal(parts.length, count);
          assertWholeMinorUnits(parts);
          assert.ok(sum(parts, whole.currency).equals(whole.round('half-even')));
          const sizes = parts.map((part) => part.amount.abs());
          const spread = Decimal.max(...sizes).minus(Decimal.min(...sizes));
          assert.ok(spread.lessThanOrEqualTo(minorUnit(whole)), `spread ${spread} in ${parts.join(' ')}`);
          // The leftover units go to the first parts.
          for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i - 1]!.greaterThanOrEqualTo(sizes[i]!));
        }),
      );
    });

    it('gives the leftover cents to the first parts', () => {
      assert.deepEqual(split(money('100', 'USD'), 3).map(String), ['33.34', '33.33', '33.33']);
      assert.deepEqual(split(money('-100', 'USD'), 3).map(String), ['-33.34', '-33.33', '-33.33']);
      assert.deepEqual(split(money('0.05', 'USD'), 3).map(String), ['0.02', '0.02', '0.01']);
      assert.deepEqual(split(money('10', 'JPY'), 4).map(String), ['3', '3', '2', '2']);
      assert.deepEqual(split(money('1', 'KWD'), 3).map(String), ['0.334', '0.333', '0.333']);
    });

    it('rounds the whole first, with the mode given', () => {
      assert.deepEqual(split(money('0.025', 'USD'), 2).map(String), ['0.01', '0.01']);
      assert.deepEqual(split(money('0.025', 'USD'), 2, 'half-up').map(String), ['0.02', '0.01']);
    });

    it('refuses a part count that is not a whole number of at least one', () => {
      for (const parts of [0, -1, 1.5, Number.NaN])
        refuses(() => split(money('1', 'USD'), parts), 'invalid-parts', 'parts');
    });
  });

  describe('allocate', () => {
    it('parts sum exactly to the rounded whole, each within one minor unit of its exact share', () => {
      fc.assert(
        fc.property(
          moneyArb,
          fc.array(weight, { minLength: 1, maxLength: 12 }).filter((ws) => ws.some((w) => w !== '0')),
          (whole, weights) => {
            const parts = allocate(whole, weights);
            assert.equal(parts.length, weights.length);
            assertWholeMinorUnits(parts);
            const rounded = whole.round('half-even');
            assert.ok(sum(parts, whole.currency).equals(rounded));
            const total = Decimal.sum(...weights);
            parts.forEach((part, i) => {
              const share = rounded.amount.times(weights[i]!).dividedBy(total);
              assert.ok(
                part.amount.minus(share).abs().lessThan(minorUnit(whole)),
                `${part} vs share ${share}`,
              );
              if (new Decimal(weights[i]!).isZero()) assert.ok(part.isZero());
            });
          },
        ),
      );
    });

    it('shares in proportion, leftovers to the largest remainders', () => {
      assert.deepEqual(allocate(money('100', 'USD'), ['1', '1', '1']).map(String), [
        '33.34',
        '33.33',
        '33.33',
      ]);
      assert.deepEqual(allocate(money('10', 'USD'), ['0.3', '0.7']).map(String), ['3.00', '7.00']);
      // exact shares 1.666…, 3.333…: the larger remainder (.666) takes the cent
      assert.deepEqual(allocate(money('0.05', 'USD'), ['1', '2']).map(String), ['0.02', '0.03']);
      assert.deepEqual(allocate(money('0.05', 'USD'), ['2', '1']).map(String), ['0.03', '0.02']);
      assert.deepEqual(allocate(money('1000', 'JPY'), ['1', '0', '2']).map(String), ['333', '0', '667']);
    });

    it('works for negative amounts, mirroring positive ones', () => {
      assert.deepEqual(allocate(money('-0.05', 'USD'), ['1', '2']).map(String), ['-0.02', '-0.03']);
      assert.deepEqual(allocate(money('-1', 'BHD'), ['1', '1', '1']).map(String), [
        '-0.334',
        '-0.333',
        '-0.333',
      ]);
    });

    it('refuses all-zero, negative, bad or no weights, naming them', () => {
      const amount = money('10', 'EUR');
      refuses(() => allocate(amount, ['0', '0.00']), 'zero-total-weight', 'weights');
      refuses(() => allocate(amount, []), 'invalid-weights', 'weights');
      refuses(() => allocate(amount, ['1', '-1']), 'invalid-weights', 'weights[1]');
      refuses(() => allocate(amount, ['1', 'half']), 'invalid-amount', 'weights[1]');
    });
  });
});
