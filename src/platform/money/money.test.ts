import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { isDomainError } from '#platform/errors';
import type { RoundingMode } from './index.ts';
import { minorUnits, money, parseCurrency, sum } from './index.ts';

/** Asserts a DomainError with the given code, and the field when one is named. */
function refuses(run: () => unknown, code: string, field?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(isDomainError(error), `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (field !== undefined) {
      assert.equal(error.location.field, field);
      assert.match(error.message, new RegExp(field.replace(/[[\]]/g, '\\$&')));
    }
    return true;
  });
}

const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  describe('currencies', () => {
    it('minor units follow ISO 4217, not cash practice', () => {
      const expected = {
        JPY: 0,
        HUF: 2,
        KWD: 3,
        BHD: 3,
        USD: 2,
        EUR: 2,
        CNY: 2,
        TWD: 2,
        RUB: 2,
        CLF: 4,
        ISK: 0,
        KRW: 0,
        VND: 0,
        UGX: 0,
        UYW: 4,
        XOF: 0,
      };
      for (const [code, digits] of Object.entries(expected)) assert.equal(minorUnits(code), digits, code);
    });

    it('a code is read in any letter case and kept in upper case', () => {
      assert.equal(parseCurrency('huf'), 'HUF');
      assert.equal(money('1', 'eur').currency, 'EUR');
    });

    it('an unknown code is refused, naming the field the caller gives', () => {
      refuses(
        () => money('1', 'XYZ', { currency: { field: 'invoiceCurrency' } }),
        'unknown-currency',
        'invoiceCurrency',
      );
      refuses(() => money('1', 'XAU'), 'unknown-currency', 'currency');
      refuses(() => money('1', ''), 'unknown-currency', 'currency');
    });
  });

  describe('parsing', () => {
    it('reads plain and exponent notation exactly', () => {
      assert.equal(money('12.50', 'EUR').toString(), '12.50');
      assert.equal(money('-0.5', 'EUR').toString(), '-0.50');
      assert.equal(money('.5', 'EUR').toString(), '0.50');
      assert.equal(money('+3', 'EUR').toString(), '3.00');
      assert.equal(money('1.5E+3', 'EUR').toString(), '1500.00');
      assert.equal(money('4.8e-5', 'USD').toString(), '0.000048');
      assert.equal(
        money('0.1000000000000000055511151231257827', 'USD').toString(),
        '0.1000000000000000055511151231257827',
      );
    });

    it('takes a Decimal as it is', () => {
      assert.equal(money(new Decimal('19.999'), 'KWD').toString(), '19.999');
    });

    for (const bad of [
      '',
      ' ',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e',
      '1e+',
      'e5',
      '1e5e3',
      '1e100',
      '1e2.5',
      '1.2.3',
      '0x1F',
      '0b101',
      ' 12',
      '12 ',
      '12,50',
      '1_000',
      '--1',
      '€12',
    ]) {
      it(`refuses ${JSON.stringify(bad)}, naming the field`, () => {
        refuses(
          () => money(bad, 'EUR', { amount: { field: 'lines[2].unitPrice' } }),
          'invalid-amount',
          'lines[2].unitPrice',
        );
      });
    }

    it('refuses binary floats, NaN and infinite Decimals', () => {
      refuses(() => money(12.5 as unknown as string, 'EUR'), 'invalid-amount', 'amount');
      refuses(() => money(new Decimal(Number.NaN), 'EUR'), 'invalid-amount', 'amount');
      refuses(() => money(new Decimal(Number.POSITIVE_INFINITY), 'EUR'), 'invalid-amount', 'amount');
    });

    it('names a file line when the amount came from an import', () => {
      assert.throws(
        () => money('n/a', 'USD', { amount: { file: 'bill.csv', line: 7, column: 'Cost' } }),
        (error: unknown) =>
          isDomainError(error) &&
          error.location.line === 7 &&
          error.message.startsWith('bill.csv:7:Cost must be'),
      );
    });
  });

  describe('arithmetic', () => {
    // Up to 30 significant digits: more than decimal.js keeps by default, so a lost digit shows.
    const amount = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }))
      .map(([units, scale]) => new Decimal(`${units}e-${scale}`).toFixed());

    it('add then subtract gives back the amount exactly', () => {
      fc.assert(
        fc.property(amount, amount, (a, b) => {
          const x = money(a, 'EUR');
          const y = money(b, 'EUR');
          assert.ok(x.add(y).subtract(y).equals(x));
          assert.ok(x.subtract(y).add(y).equals(x));
          assert.ok(x.add(y.negate()).equals(x.subtract(y)));
        }),
      );
    });

    it('adds exactly where binary floats do not', () => {
      assert.equal(money('0.1', 'USD').add(money('0.2', 'USD')).toString(), '0.30');
      assert.equal(
        money('12345678901234567890.12', 'USD').add(money('0.01', 'USD')).toString(),
        '12345678901234567890.13',
      );
    });

    it('multiplies quantity by rate without rounding', () => {
      const cost = money('0.0123', 'USD').multiply('3.5');
      assert.equal(cost.toString(), '0.04305');
      assert.equal(cost.round('half-up').toString(), '0.04');
      assert.equal(money('2.5', 'USD').multiply(new Decimal('1e-7')).toString(), '0.00000025');
    });

    it('refuses a bad multiplier, naming it', () => {
      refuses(() => money('1', 'USD').multiply('x'), 'invalid-amount', 'multiplier');
    });

    it('values are immutable', () => {
      const price = money('10', 'EUR');
      price.add(money('5', 'EUR'));
      assert.equal(price.toString(), '10.00');
      assert.ok(Object.isFrozen(price));
    });

    it('compares and tells zero', () => {
      assert.equal(money('1.10', 'EUR').compare(money('1.1', 'EUR')), 0);
      assert.equal(money('1', 'EUR').compare(money('2', 'EUR')), -1);
      assert.equal(money('-1', 'EUR').compare(money('-2', 'EUR')), 1);
      assert.ok(money('0.000', 'EUR').isZero());
      assert.ok(!money('0.001', 'EUR').isZero());
    });

    it('sums a list, and an empty list is zero of the currency', () => {
      assert.equal(sum([], 'JPY').toString(), '0');
      assert.equal(sum([], 'KWD').currency, 'KWD');
      assert.equal(
        sum([money('1.005', 'USD'), money('2', 'USD'), money('-0.005', 'USD')], 'USD').toString(),
        '3.00',
      );
    });

    it('refuses to mix currencies', () => {
      const usd = money('1', 'USD');
      const eur = money('1', 'EUR');
      refuses(() => usd.add(eur), 'currency-mismatch');
      refuses(() => usd.subtract(eur), 'currency-mismatch');
      refuses(() => usd.compare(eur), 'currency-mismatch');
      refuses(() => usd.equals(eur), 'currency-mismatch');
      refuses(() => sum([usd], 'EUR'), 'currency-mismatch');
    });
  });

  describe('rounding', () => {
    const cases: [RoundingMode, string, string][] = [
      ['half-even', '2.34', '-2.34'],
      ['half-up', '2.35', '-2.35'],
      ['half-down', '2.34', '-2.34'],
      ['up', '2.35', '-2.35'],
      ['down', '2.34', '-2.34'],
      ['ceiling', '2.35', '-2.34'],
      ['floor', '2.34', '-2.35'],
    ];
    for (const [mode, positive, negative] of cases) {
      it(`${mode} rounds 2.345 to ${positive} and -2.345 to ${negative}`, () => {
        assert.equal(money('2.345', 'USD').round(mode).toString(), positive);
        assert.equal(money('-2.345', 'USD').round(mode).toString(), negative);
      });
    }

    it('half-even goes to the even neighbour on both sides', () => {
      assert.equal(money('2.355', 'USD').round('half-even').toString(), '2.36');
      assert.equal(money('100.5', 'JPY').round('half-even').toString(), '100');
      assert.equal(money('101.5', 'JPY').round('half-even').toString(), '102');
    });

    it('rounds to the currency minor unit', () => {
      assert.equal(money('1.0005', 'KWD').round('half-up').toString(), '1.001');
      assert.equal(money('1.0005', 'KWD').round('half-even').toString(), '1.000');
      assert.equal(money('0.123456', 'CLF').round('half-up').toString(), '0.1235');
      assert.equal(money('999.5', 'HUF').round('half-up').toString(), '999.50');
    });

    it('roundTo keeps finer unit prices', () => {
      assert.equal(money('0.123456', 'USD').roundTo(4, 'half-up').toString(), '0.1235');
      assert.equal(money('1234.5', 'USD').roundTo(0, 'floor').toString(), '1234.00');
    });

    it('refuses an unknown mode or a bad number of places', () => {
      refuses(() => money('1', 'USD').round('nearest' as RoundingMode), 'unknown-rounding-mode', 'mode');
      refuses(() => money('1', 'USD').roundTo(-1, 'half-up'), 'invalid-places', 'places');
      refuses(() => money('1', 'USD').roundTo(1.5, 'half-up'), 'invalid-places', 'places');
    });
  });

  describe('output', () => {
    it('toString is plain decimal at full precision, never shorter than the minor unit', () => {
      assert.equal(money('12.5', 'USD').toString(), '12.50');
      assert.equal(money('100', 'JPY').toString(), '100');
      assert.equal(money('1', 'KWD').toString(), '1.000');
      assert.equal(money('0.12345', 'USD').toString(), '0.12345');
      assert.equal(money('1e25', 'USD').toString(), '10000000000000000000000000.00');
      assert.equal(money('-0.00', 'USD').toString(), '0.00');
      assert.equal(money('5', 'USD').subtract(money('5', 'USD')).negate().toString(), '0.00');
    });

    it('JSON carries the amount as a string', () => {
      assert.equal(JSON.stringify({ total: money('12.5', 'EUR') }), '{"total":"12.50"}');
    });

    it('formats with the locale and the ISO minor unit, without rounding', () => {
      assert.equal(money('1234.5', 'USD').format('en-US'), '$1,234.50');
      assert.equal(money('1234', 'JPY').format('en-US'), '¥1,234');
      assert.equal(spaced(money('12345.5', 'HUF').format('hu')), '12 345,50 Ft');
      assert.equal(spaced(money('1234.5', 'EUR').format('de-DE')), '1.234,50 €');
      assert.equal(money('0.12345', 'USD').format('en-US'), '$0.12345');
      assert.equal(spaced(money('-3.5', 'KWD').format('en-US')), '-KWD 3.500');
    });
  });
});
