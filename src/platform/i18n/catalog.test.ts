import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTranslator, negotiateLocale, normalizeLocale } from './catalog.ts';

describe('i18n › normalizeLocale', () => {
  it('maps Taiwan, Hong Kong, Macau and explicit Hant tags to zh-Hant', () => {
    for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-CN', 'zh-hant-tw', 'zh_TW']) {
      assert.equal(normalizeLocale(tag), 'zh-Hant', tag);
    }
  });

  it('maps mainland, Singapore, bare zh and explicit Hans tags to zh-Hans', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans', 'zh-Hans-TW', 'ZH-cn', 'zh_CN']) {
      assert.equal(normalizeLocale(tag), 'zh-Hans', tag);
    }
  });

  it('maps regional English, Hungarian and Russian to the language', () => {
    assert.equal(normalizeLocale('en-GB'), 'en');
    assert.equal(normalizeLocale('EN-us'), 'en');
    assert.equal(normalizeLocale('hu-HU'), 'hu');
    assert.equal(normalizeLocale('ru-RU'), 'ru');
    assert.equal(normalizeLocale('ru-UA'), 'ru');
    assert.equal(normalizeLocale('ru_RU.UTF-8'), 'ru');
  });

  it('gives undefined for unsupported, empty and malformed tags', () => {
    for (const tag of ['fr-FR', 'de', '*', '', 'not a tag', '12', undefined, null]) {
      assert.equal(normalizeLocale(tag), undefined, String(tag));
    }
  });
});

describe('i18n › negotiateLocale', () => {
  it("takes the user's own setting over the header and the partner default", () => {
    assert.equal(negotiateLocale({ user: 'hu', acceptLanguage: 'ru, en', partnerDefault: 'zh-Hans' }), 'hu');
  });

  it('skips an unsupported user setting', () => {
    assert.equal(negotiateLocale({ user: 'fr', acceptLanguage: 'ru' }), 'ru');
  });

  it('follows the header by q-value, not by position', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0.5, ru;q=0.9, hu;q=0.7' }), 'ru');
    assert.equal(negotiateLocale({ acceptLanguage: 'hu;Q=0.2 , zh-TW ; q = 0.8' }), 'zh-Hant');
  });

  it('keeps header order among equal q-values', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'hu, ru' }), 'hu');
    assert.equal(negotiateLocale({ acceptLanguage: 'ru;q=0.5, hu;q=0.5' }), 'ru');
  });

  it('passes over unsupported languages to the first supported one', () => {
    assert.equal(
      negotiateLocale({ acceptLanguage: 'fr-FR, de;q=0.9, hu;q=0.1', partnerDefault: 'ru' }),
      'hu',
    );
  });

  it('maps zh-TW to zh-Hant and zh-CN to zh-Hans', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'zh-TW,zh;q=0.9,en;q=0.8' }), 'zh-Hant');
    assert.equal(negotiateLocale({ acceptLanguage: 'zh-CN,zh;q=0.9,en;q=0.8' }), 'zh-Hans');
  });

  it('falls back to the partner default, then English, when nothing is supported', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, de', partnerDefault: 'hu' }), 'hu');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, de', partnerDefault: 'xx' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, de' }), 'en');
    assert.equal(negotiateLocale({}), 'en');
  });

  it('reads * as the partner default unless the header names it', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, *;q=0.5', partnerDefault: 'ru' }), 'ru');
    assert.equal(negotiateLocale({ acceptLanguage: '*, ru;q=0.5, hu;q=0.4', partnerDefault: 'ru' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'hu;q=0.4, *;q=0.5', partnerDefault: 'ru' }), 'ru');
  });

  it('never picks a locale the header refuses with q=0 while another remains', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'ru;q=0, *', partnerDefault: 'ru' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, hu;q=0', partnerDefault: 'hu' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'hu;q=0, hu-HU;q=0.3' }), 'hu');
  });

  it('falls back to the partner default when the header refuses everything', () => {
    assert.equal(negotiateLocale({ acceptLanguage: '*;q=0', partnerDefault: 'hu' }), 'hu');
  });

  it('ignores ranges with a malformed q-value', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'ru;q=abc, en;q=1.5, hu;q=0.5' }), 'hu');
  });
});

describe('i18n › createTranslator', () => {
  const messages = {
    'jobs.progress': '{done, number} of {total, number} done',
    'mail.sent': 'Sent on {sentAt, date, long}.',
  };

  it('formats ICU arguments with the locale', () => {
    const t = createTranslator('en', messages);
    assert.equal(t('jobs.progress', { done: 1200, total: 3400 }), '1,200 of 3,400 done');
  });

  it('throws on a key the catalog lacks, without falling back to the key text', () => {
    const t = createTranslator('en', messages);
    assert.throws(() => t('nav.nowhere'), /No message "nav.nowhere" in the en catalog/);
    assert.throws(() => t('toString'), /No message "toString"/);
  });

  it('throws when a value the message needs is missing', () => {
    const t = createTranslator('en', messages);
    assert.throws(() => t('jobs.progress', { done: 1 }), /total/);
  });

  it('formats dates in the given time zone, not the process zone', () => {
    const sentAt = new Date('2025-03-10T02:30:00Z');
    assert.equal(
      createTranslator('en', messages, { timeZone: 'Asia/Shanghai' })('mail.sent', { sentAt }),
      'Sent on March 10, 2025.',
    );
    assert.equal(
      createTranslator('en', messages, { timeZone: 'America/Los_Angeles' })('mail.sent', { sentAt }),
      'Sent on March 9, 2025.',
    );
  });
});
