import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isPluralElement,
  isSelectElement,
  isTagElement,
  type MessageFormatElement,
  parse,
  TYPE,
} from '@formatjs/icu-messageformat-parser';
import { catalogFiles, catalogs, type Locale, SUPPORTED_LOCALES, translator } from './index.ts';

/** Messages that are the same word in every language (brand names). */
const SAME_IN_EVERY_LANGUAGE = new Set(['app.name']);

const english = catalogs.en;
const translated = SUPPORTED_LOCALES.filter((locale) => locale !== 'en');

function walk(elements: MessageFormatElement[], visit: (element: MessageFormatElement) => void): void {
  for (const element of elements) {
    visit(element);
    if (isPluralElement(element) || isSelectElement(element)) {
      for (const option of Object.values(element.options)) walk(option.value, visit);
    }
    if (isTagElement(element)) walk(element.children, visit);
  }
}

/** The argument (and tag) names a message uses. */
function argumentNames(message: string): string[] {
  const names = new Set<string>();
  walk(parse(message), (element) => {
    if (element.type === TYPE.literal || element.type === TYPE.pound) return;
    names.add(element.type === TYPE.tag ? `<${element.value}>` : element.value);
  });
  return [...names].sort();
}

/** Every catalog entry, for checks that go message by message. */
function entries(locales: readonly Locale[] = SUPPORTED_LOCALES): [Locale, string, string][] {
  return locales.flatMap((locale) =>
    Object.entries(catalogs[locale]).map(([key, message]): [Locale, string, string] => [
      locale,
      key,
      message,
    ]),
  );
}

describe('i18n › catalogs', () => {
  it('every catalog has exactly the keys of en.json', () => {
    const englishKeys = Object.keys(english);
    const differences: Record<string, { missing: string[]; extra: string[] }> = {};
    for (const locale of translated) {
      const keys = Object.keys(catalogs[locale]);
      const missing = englishKeys.filter((key) => !keys.includes(key));
      const extra = keys.filter((key) => !englishKeys.includes(key));
      if (missing.length > 0 || extra.length > 0) differences[locale] = { missing, extra };
    }
    assert.deepEqual(differences, {});
  });

  it('keys are sorted in every file, and every area file exists in every locale', () => {
    const areas = Object.keys(catalogFiles.en);
    for (const locale of SUPPORTED_LOCALES) {
      assert.deepEqual(
        Object.keys(catalogFiles[locale]),
        areas,
        `locales/${locale} has the same files as locales/en`,
      );
      for (const [area, messages] of Object.entries(catalogFiles[locale])) {
        const keys = Object.keys(messages);
        assert.deepEqual(keys, [...keys].sort(), `locales/${locale}/${area}.json`);
        assert.deepEqual(
          keys,
          Object.keys(catalogFiles.en[area] ?? {}),
          `locales/${locale}/${area}.json has the keys of en`,
        );
      }
    }
  });

  it('every message parses as ICU and every plural and select has an other case', () => {
    const problems: string[] = [];
    for (const [locale, key, message] of entries()) {
      try {
        walk(parse(message, { requiresOtherClause: false }), (element) => {
          if ((isPluralElement(element) || isSelectElement(element)) && !('other' in element.options)) {
            problems.push(`${locale} ${key}: {${element.value}} has no other case`);
          }
        });
      } catch (error) {
        problems.push(`${locale} ${key}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('Russian plurals have one, few and many cases', () => {
    const problems: string[] = [];
    for (const [, key, message] of entries(['ru'])) {
      walk(parse(message), (element) => {
        if (!isPluralElement(element) || element.pluralType !== 'cardinal') return;
        const absent = ['one', 'few', 'many'].filter((form) => !(form in element.options));
        if (absent.length > 0) problems.push(`ru ${key}: {${element.value}} lacks ${absent.join(', ')}`);
      });
    }
    assert.deepEqual(problems, []);
  });

  it("each message uses the same placeholders as English's", () => {
    const problems: string[] = [];
    for (const [locale, key, message] of entries(translated)) {
      const expected = argumentNames(english[key] ?? '');
      const actual = argumentNames(message);
      if (actual.join() !== expected.join()) {
        problems.push(`${locale} ${key}: {${actual.join('}, {')}} instead of {${expected.join('}, {')}}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('translations are not copies of the English text', () => {
    const copies = entries(translated)
      .filter(([, key, message]) => !SAME_IN_EVERY_LANGUAGE.has(key) && message === english[key])
      .map(([locale, key]) => `${locale} ${key}`);
    assert.deepEqual(copies, []);
  });
});

describe('i18n › translator', () => {
  it('gives the Russian plural forms of tickets.openCount', () => {
    const t = translator('ru');
    const forms = Object.fromEntries(
      [1, 2, 5, 21, 22, 25, 11, 0].map((count) => [count, t('tickets.openCount', { count })]),
    );
    assert.deepEqual(forms, {
      0: 'Нет открытых обращений',
      1: '1 открытое обращение',
      2: '2 открытых обращения',
      5: '5 открытых обращений',
      11: '11 открытых обращений',
      21: '21 открытое обращение',
      22: '22 открытых обращения',
      25: '25 открытых обращений',
    });
  });

  it('gives the English forms of tickets.openCount, with 0 as its own message', () => {
    const t = translator('en');
    assert.equal(t('tickets.openCount', { count: 0 }), 'No open requests');
    assert.equal(t('tickets.openCount', { count: 1 }), '1 open request');
    assert.equal(t('tickets.openCount', { count: 1200 }), '1,200 open requests');
  });

  it('formats the test mail date in the partner time zone and language, ending with one full stop', () => {
    const sentAt = new Date('2025-03-10T02:30:00Z');
    assert.match(
      translator('hu', { timeZone: 'Europe/Budapest' })('mail.test.body', { sentAt }),
      /Küldés dátuma: 2025\. március 10\.$/,
    );
    assert.match(
      translator('ru', { timeZone: 'America/Los_Angeles' })('mail.test.body', { sentAt }),
      /Отправлено 9 марта 2025 г\.$/,
    );
  });

  it('returns the same translator for the same locale and zone, so compiled messages are reused', () => {
    assert.equal(translator('zh-Hant'), translator('zh-Hant'));
    assert.notEqual(translator('zh-Hant'), translator('zh-Hant', { timeZone: 'Asia/Taipei' }));
  });

  it('throws on an unknown key in every locale', () => {
    for (const locale of SUPPORTED_LOCALES) {
      assert.throws(() => translator(locale)('shell.noSuchKey'), /No message "shell.noSuchKey"/);
    }
  });
});
