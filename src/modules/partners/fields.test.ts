import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDomainError } from '#platform/errors';
import {
  changedValues,
  parseColor,
  parseEmailAddress,
  parseGiven,
  parseLanguage,
  parseOptional,
  parsePhone,
  parseSlug,
  parseText,
  parseWebAddress,
} from './fields.ts';

/** The assertion passes when `parse` throws an invalid-input error naming `field`. */
function refuses(parse: () => unknown, code: string, field: string) {
  assert.throws(
    parse,
    (error) => isDomainError(error) && error.code === code && error.location.field === field,
  );
}

describe('partners › fields', () => {
  it('slug › lower-case letters, digits and hyphens, 2 to 63, not starting with a hyphen', () => {
    assert.equal(parseSlug('contoso-hu'), 'contoso-hu');
    assert.equal(parseSlug('a1'), 'a1');
    for (const bad of ['Contoso', '-contoso', 'c', 'contoso_hu', 'a'.repeat(64), 'kontó', '', 42]) {
      refuses(() => parseSlug(bad), 'invalid-slug', 'slug');
    }
    refuses(() => parseSlug('Bad', 'providers'), 'invalid-slug', 'providers');
  });

  it('text › trimmed, required and limited in length', () => {
    assert.equal(parseText('  Contoso Kft.  ', 'legalName'), 'Contoso Kft.');
    refuses(() => parseText('   ', 'legalName'), 'required', 'legalName');
    refuses(() => parseText(undefined, 'legalName'), 'required', 'legalName');
    refuses(() => parseText('x'.repeat(101), 'displayName', 100), 'too-long', 'displayName');
  });

  it('optional › null, undefined and blank clear the value; anything else must parse', () => {
    const phone = (value: unknown) => parseOptional(value, (text) => parsePhone(text, 'supportPhone'));
    assert.equal(phone(null), null);
    assert.equal(phone('  '), null);
    assert.equal(phone(undefined), null);
    assert.equal(phone('+36 1 555 0100'), '+36 1 555 0100');
    refuses(() => phone('call us'), 'invalid-phone', 'supportPhone');
  });

  it('language › one of the five locales, spelled exactly', () => {
    for (const locale of ['en', 'zh-Hans', 'zh-Hant', 'hu', 'ru'])
      assert.equal(parseLanguage(locale), locale);
    for (const bad of ['de', 'zh', 'zh-TW', 'EN', '']) {
      refuses(() => parseLanguage(bad, 'defaultLanguage'), 'unsupported-language', 'defaultLanguage');
    }
  });

  it('e-mail › accepts internationalised addresses and refuses malformed ones', () => {
    assert.equal(parseEmailAddress(' billing@contoso.hu ', 'supportEmail'), 'billing@contoso.hu');
    assert.equal(parseEmailAddress('服務@雲端.台灣', 'supportEmail'), '服務@雲端.台灣');
    assert.equal(parseEmailAddress('анна@почта.рф', 'supportEmail'), 'анна@почта.рф');
    for (const bad of [
      'billing',
      'billing@',
      '@contoso.hu',
      'a b@contoso.hu',
      'a@contoso',
      'a@@contoso.hu',
    ]) {
      refuses(() => parseEmailAddress(bad, 'senderAddress'), 'invalid-email', 'senderAddress');
    }
  });

  it('web address › absolute http(s) only', () => {
    assert.equal(
      parseWebAddress('https://help.contoso.hu/support', 'supportUrl'),
      'https://help.contoso.hu/support',
    );
    for (const bad of ['help.contoso.hu', 'javascript:alert(1)', 'ftp://contoso.hu/', '']) {
      refuses(() => parseWebAddress(bad, 'supportUrl'), 'invalid-url', 'supportUrl');
    }
  });

  it('colour › #rrggbb, stored in lower case', () => {
    assert.equal(parseColor('#1C7ED6', 'brandColor'), '#1c7ed6');
    for (const bad of ['1c7ed6', '#1c7', 'blue', '#1c7ed6ff'])
      refuses(() => parseColor(bad, 'brandColor'), 'invalid-color', 'brandColor');
  });

  it('given fields › only fields present are parsed; the first bad one is named', () => {
    const parsers = {
      name: (value: unknown) => parseText(value, 'name'),
      color: (value: unknown) => parseColor(value, 'color'),
    };
    assert.deepEqual(parseGiven({ name: ' A ' }, parsers), { name: 'A' });
    assert.deepEqual(parseGiven({}, parsers), {});
    refuses(() => parseGiven({ name: 'A', color: 'red' }, parsers), 'invalid-color', 'color');
  });

  it('changed values › only fields whose value differs, before and after', () => {
    const current = { name: 'A', color: '#000000', phone: null as string | null };
    assert.deepEqual(changedValues(current, { name: 'A', color: '#ffffff', phone: undefined }), {
      before: { color: '#000000' },
      after: { color: '#ffffff' },
    });
    assert.deepEqual(changedValues(current, { phone: '+1 555 0100' }), {
      before: { phone: null },
      after: { phone: '+1 555 0100' },
    });
    assert.deepEqual(changedValues(current, { name: 'A' }), { before: {}, after: {} });
  });
});
