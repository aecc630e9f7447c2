import { invalid } from '#platform/errors';

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Codes Intl names that are not countries a customer can be registered in.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A tenant's domain (`contoso.onmicrosoft.com`), in lower case; internationalised names in punycode. */
export function parseDomain(value: unknown, field = 'domain'): string {
  const domain = typeof value === 'string' ? value.trim().toLowerCase().replace(/\.$/, '') : '';
  const labels = domain.split('.');
  const valid =
    domain.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels.at(-1)!);
  if (!valid)
    throw invalid('invalid-domain', `${field} must be a domain name such as contoso.com`, { field });
  return domain;
}

/** An ISO 3166-1 alpha-2 country code, in upper case. */
export function parseCountry(value: unknown, field = 'country'): string {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  const known = /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== code;
  if (!known) {
    throw invalid('unknown-country', `${field} must be an ISO 3166-1 country code such as HU or TW`, {
      field,
    });
  }
  return code;
}
