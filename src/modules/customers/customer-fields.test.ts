import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDomainError } from '#platform/errors';
import { parseCountry, parseDomain } from './customer-fields.ts';

function refuses(parse: () => unknown, code: string, field: string) {
  assert.throws(
    parse,
    (error) => isDomainError(error) && error.code === code && error.location.field === field,
  );
}

describe('customers › fields', () => {
  it('domain › lower case, without a final dot; punycode top-level domains allowed', () => {
    assert.equal(parseDomain(' Contoso.OnMicrosoft.com. '), 'contoso.onmicrosoft.com');
    assert.equal(parseDomain('cohowinerysh.partner.onmschina.cn'), 'cohowinerysh.partner.onmschina.cn');
    assert.equal(parseDomain('xn--80ak6aa92e.xn--p1ai'), 'xn--80ak6aa92e.xn--p1ai');
    for (const bad of [
      'contoso',
      'contoso..com',
      '-contoso.com',
      'contoso.c',
      'con toso.com',
      'contoso.com/x',
      '',
    ]) {
      refuses(() => parseDomain(bad), 'invalid-domain', 'domain');
    }
  });

  it('country › ISO 3166-1 alpha-2, upper-cased; unknown codes and non-countries refused', () => {
    assert.equal(parseCountry('at'), 'AT');
    assert.equal(parseCountry('TW'), 'TW');
    for (const bad of ['XX', 'EU', 'ZZ', 'AUT', 'A', '', 40])
      refuses(() => parseCountry(bad), 'unknown-country', 'country');
  });
});
