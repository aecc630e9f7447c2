import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Locale, SUPPORTED_LOCALES } from '#platform/i18n';
import { type NotificationBranding, renderNotification } from './render.ts';
import {
  mfaChanges,
  type NotificationTemplate,
  type NotificationValues,
  notificationTemplates,
} from './templates.ts';

const branding: NotificationBranding = {
  displayName: 'Contoso Cloud',
  legalName: 'Contoso Cloud Kft.',
  supportEmail: 'help@contoso.test',
  supportPhone: '+36 1 555 0100',
  supportUrl: null,
  brandColor: '#123456',
  accentColor: '#0b7285',
  timeZone: 'Europe/Budapest',
};

// 09:30 UTC is 10:30 in Budapest and 05:30 in New York, where the suite runs.
const at = new Date('2026-03-10T09:30:00Z');

const sample: { [T in NotificationTemplate]: NotificationValues[T] } = {
  invitation: {
    inviterName: 'Anna Kovács',
    organisationName: 'Fabrikam Ltd',
    acceptUrl: 'https://desk.contoso.test/invitations/abc?token=1&lang=en',
    expiresAt: at,
  },
  'password-reset': {
    resetUrl: 'https://desk.contoso.test/password-reset/xyz',
    expiresAt: at,
    ip: '203.0.113.7',
  },
  'mfa-changed': { change: 'reset-by-admin', at, ip: '203.0.113.8' },
  'new-sign-in': { at, ip: '2001:db8::1', userAgent: 'Firefox 140 on Windows', method: 'oidc' },
  'vendor-invoice-due': {
    notice: 'overdue',
    invoiceNumber: 'G000024135',
    amount: '2076.63',
    currency: 'USD',
    dueDate: '2026-04-08',
    daysOverdue: 22,
    suspensionDate: '2026-06-08',
    payablesUrl: 'https://desk.contoso.test/vendor-bills/payables',
  },
};

/** The values each template quotes as given, besides its date (checked on its own below). */
const shown: Record<NotificationTemplate, string[]> = {
  invitation: ['Anna Kovács', 'Fabrikam Ltd', sample.invitation.acceptUrl, 'Europe/Budapest'],
  'password-reset': [sample['password-reset'].resetUrl, '203.0.113.7', 'Europe/Budapest'],
  'mfa-changed': ['203.0.113.8', 'Europe/Budapest'],
  'new-sign-in': ['2001:db8::1', 'Firefox 140 on Windows', 'Europe/Budapest'],
  // Its amount and dates are in the reader's language, checked on their own below.
  'vendor-invoice-due': ['G000024135', 'https://desk.contoso.test/vendor-bills/payables'],
};

function render<T extends NotificationTemplate>(
  template: T,
  overrides: Partial<Parameters<typeof renderNotification<T>>[0]> = {},
) {
  return renderNotification({ template, values: sample[template], branding, locale: 'en', ...overrides });
}

/** The text a reader sees in the HTML part, tags removed and entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

describe('notifications › renderNotification', () => {
  it('every template › renders in all five languages with every value filled in and its own words', () => {
    for (const template of notificationTemplates) {
      const subjects = new Set<string>();
      for (const locale of SUPPORTED_LOCALES) {
        const mail = render(template, { locale, recipientName: 'Ирина' });
        const where = `${template} in ${locale}`;
        assert.equal(mail.locale, locale);
        for (const part of [mail.subject, mail.text, visibleText(mail.html)]) {
          assert.doesNotMatch(part, /[{}]/, `${where}: no ICU placeholder is left`);
        }
        for (const value of shown[template]) {
          assert.ok(mail.text.includes(value), `${where}: text shows ${value}`);
          assert.ok(visibleText(mail.html).includes(value), `${where}: HTML shows ${value}`);
        }
        assert.ok(mail.text.includes('Ирина'), `${where}: greets the recipient`);
        subjects.add(mail.subject);
      }
      assert.equal(subjects.size, SUPPORTED_LOCALES.length, `${template}: each language has its own subject`);
    }
  });

  it('dates › are shown in the partner time zone, named, in the recipient language', () => {
    assert.match(render('invitation').text, /March 10, 2026, 10:30\sAM \(Europe\/Budapest\)/);
    assert.match(
      render('new-sign-in', { locale: 'ru' }).text,
      /10 марта 2026 г\. в 10:30 \(Europe\/Budapest\)/,
    );
    assert.match(
      render('password-reset', { locale: 'hu', branding: { ...branding, timeZone: 'Asia/Taipei' } }).text,
      /2026\. március 10\. 17:30 \(Asia\/Taipei\)/,
    );
  });

  it('vendor-invoice-due › the amount is money in its currency and the dates are long dates, in the reader language', () => {
    // Intl's own spacing: hu and ru group digits and set the currency apart with no-break spaces.
    const expected: Record<Locale, string[]> = {
      en: [
        'Amount outstanding: $2,076.63',
        'Due date: April 8, 2026',
        'Possible suspension from: June 8, 2026',
      ],
      'zh-Hans': ['未付金额：US$2,076.63', '到期日：2026年4月8日', '可能被暂停的日期：2026年6月8日'],
      'zh-Hant': ['未付金額：US$2,076.63', '到期日：2026年4月8日', '可能停權日期：2026年6月8日'],
      hu: [
        'Fennálló összeg: 2076,63\u00a0USD',
        'Fizetési határidő: 2026. április 8.',
        'Lehetséges felfüggesztés: 2026. június 8.',
      ],
      ru: [
        'К оплате: 2\u00a0076,63\u00a0$',
        'Срок оплаты: 8 апреля 2026 г.',
        'Возможная приостановка с: 8 июня 2026 г.',
      ],
    };
    for (const locale of SUPPORTED_LOCALES) {
      const mail = render('vendor-invoice-due', { locale });
      for (const part of [mail.text, visibleText(mail.html)]) {
        for (const line of expected[locale]) assert.ok(part.includes(line), `${locale}: shows ${line}`);
        assert.doesNotMatch(part, /2076\.63|2026-0[46]-08/, `${locale}: nothing raw is left`);
      }
    }
    assert.match(
      render('vendor-invoice-due', { locale: 'ru' }).text,
      /истёк 8 апреля 2026 г\.; просрочка — 22 дня/,
    );
    const dueSoon = { ...sample['vendor-invoice-due'], notice: 'due_soon' as const };
    assert.equal(
      render('vendor-invoice-due', { values: dueSoon }).subject,
      'Microsoft invoice G000024135 is due on April 8, 2026',
    );
    assert.equal(
      render('vendor-invoice-due', { values: dueSoon, locale: 'hu' }).subject,
      'A Microsoft G000024135 számú számlája 2026. április 8. napon esedékes',
    );
  });

  it('vendor-invoice-due › a due date is a calendar day: no partner zone moves it to another day', () => {
    // 14 hours ahead of UTC and 11 behind: an instant at either midnight would land on another day.
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const mail = render('vendor-invoice-due', { branding: { ...branding, timeZone } });
      assert.ok(mail.text.includes('Due date: April 8, 2026'), timeZone);
      assert.ok(mail.text.includes('Possible suspension from: June 8, 2026'), timeZone);
    }
  });

  it('vendor-invoice-due › every digit of a large amount is kept, in the currency minor units; an unknown amount is left out', () => {
    const amount = (values: Partial<NotificationValues['vendor-invoice-due']>, locale: Locale = 'en') =>
      render('vendor-invoice-due', { values: { ...sample['vendor-invoice-due'], ...values }, locale }).text;
    // As a float this would print €12,345,678,901,234,568.00.
    assert.ok(
      amount({ amount: '12345678901234567.01', currency: 'EUR' }).includes(
        'Amount outstanding: €12,345,678,901,234,567.01',
      ),
    );
    assert.ok(amount({ amount: '2076', currency: 'JPY' }).includes('Amount outstanding: ¥2,076\n'));
    assert.ok(amount({ amount: '1500', currency: 'HUF' }, 'hu').includes('Fennálló összeg: 1500,00\u00a0Ft'));
    const unknown = amount({ amount: null });
    assert.doesNotMatch(unknown, /Amount outstanding/);
    assert.ok(unknown.includes('Invoice: G000024135\nDue date: April 8, 2026\n'));
  });

  it('vendor-invoice-due › a date that is not a calendar day, an amount that is not a decimal and an unknown currency are refused', () => {
    const values = sample['vendor-invoice-due'];
    assert.throws(() => render('vendor-invoice-due', { values: { ...values, dueDate: '2026-02-30' } }), {
      code: 'invalid-date',
      message: 'dueDate must be a date such as 2026-03-31',
      location: { field: 'dueDate' },
    });
    assert.throws(
      () => render('vendor-invoice-due', { values: { ...values, suspensionDate: '8 June 2026' } }),
      { code: 'invalid-date', location: { field: 'suspensionDate' } },
    );
    assert.throws(() => render('vendor-invoice-due', { values: { ...values, amount: '2,076.63' } }), {
      code: 'invalid-amount',
      location: { field: 'amount' },
    });
    assert.throws(() => render('vendor-invoice-due', { values: { ...values, currency: 'US$' } }), {
      code: 'unknown-currency',
      location: { field: 'currency' },
    });
  });

  it('branding › the partner name, colours, support contact and legal name are in both parts', () => {
    const mail = render('password-reset');
    for (const part of [mail.text, visibleText(mail.html)]) {
      assert.ok(part.includes('Contoso Cloud'));
      assert.ok(part.includes('help@contoso.test · +36 1 555 0100'));
      assert.ok(part.includes('Contoso Cloud Kft.'));
    }
    assert.match(mail.html, /background-color:#123456;color:#ffffff;/, 'a dark bar gets white text');
    const partnerdeskBlue = render('password-reset', { branding: { ...branding, brandColor: '#1c7ed6' } });
    assert.match(
      partnerdeskBlue.html,
      /background-color:#1c7ed6;color:#ffffff;/,
      'large bold text needs 3:1 only',
    );
    assert.match(mail.html, /background-color:#0b7285;/, 'the button takes the accent colour');
    assert.match(mail.html, /<html lang="en">/);
    const light = render('password-reset', { branding: { ...branding, brandColor: '#ffd43b' } });
    assert.match(light.html, /background-color:#ffd43b;color:#1f2328;/, 'a light bar gets dark text');
  });

  it('branding › without any support contact the support line is left out, not left empty', () => {
    const mail = render('new-sign-in', {
      branding: { ...branding, supportEmail: null, supportPhone: null, supportUrl: null },
    });
    assert.doesNotMatch(mail.text, /Questions\?/);
    assert.match(mail.text, /\nContoso Cloud Kft\. sent you this message\.\n$/);
  });

  it('HTML › every interpolated value is escaped, and the plain text keeps it as written', () => {
    const mail = render('invitation', {
      branding: { ...branding, displayName: '<script>alert(1)</script>', legalName: 'A & B "Ltd"' },
      values: {
        ...sample.invitation,
        inviterName: '<img src=x onerror=alert(2)>',
        organisationName: "O'Brien <Co>",
      },
      recipientName: '<b>Eve</b>',
    });
    assert.doesNotMatch(mail.html, /<script|<img|<b>|onerror=alert\(2\)>/);
    assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(mail.html.includes('A &amp; B &quot;Ltd&quot;'));
    assert.ok(mail.html.includes('O&#39;Brien &lt;Co&gt;'));
    assert.ok(mail.html.includes('href="https://desk.contoso.test/invitations/abc?token=1&amp;lang=en"'));
    assert.ok(mail.text.includes('<script>alert(1)</script>'));
    assert.ok(mail.text.includes("O'Brien <Co>"));
  });

  it('HTML › fetches nothing remote when opened: no images, no external styles', () => {
    for (const template of notificationTemplates) {
      assert.doesNotMatch(render(template).html, /<img|<link|url\(|src=/i, template);
    }
  });

  it('actions › mails with a link show it as a button and as plain text; security notices have none', () => {
    const invitation = render('invitation');
    assert.match(invitation.html, /<a href="[^"]+"[^>]*>Accept the invitation<\/a>/);
    assert.match(
      invitation.text,
      /Accept the invitation:\nhttps:\/\/desk\.contoso\.test\/invitations\/abc\?token=1&lang=en/,
    );
    assert.doesNotMatch(render('new-sign-in').html, /<a /);
  });

  it('security mails › say what to do if it was not you', () => {
    assert.match(render('new-sign-in').text, /If it was not, please change your password at once/);
    assert.match(render('mfa-changed').text, /If you did not make or request this change/);
    assert.match(render('password-reset').text, /If you did not ask for this, you can ignore this message/);
  });

  it('mfa-changed › each change has its own subject and body', () => {
    const subjects = new Set<string>();
    const bodies = new Set<string>();
    for (const change of mfaChanges) {
      const mail = render('mfa-changed', { values: { ...sample['mfa-changed'], change }, locale: 'zh-Hant' });
      subjects.add(mail.subject);
      bodies.add(mail.text);
    }
    assert.equal(subjects.size, mfaChanges.length);
    assert.equal(bodies.size, mfaChanges.length);
    assert.equal(
      render('mfa-changed', { values: { ...sample['mfa-changed'], change: 'reset-by-admin' } }).subject,
      'Your two-step verification has been reset',
    );
  });

  it('new-sign-in › names the sign-in method in the recipient language', () => {
    assert.match(render('new-sign-in').text, /Sign-in method: Single sign-on/);
    const password = render('new-sign-in', {
      values: { ...sample['new-sign-in'], method: 'password' },
      locale: 'ru',
    });
    assert.match(password.text, /Способ входа: Пароль/);
  });

  it('greeting › without a recipient name the mail greets politely without one', () => {
    assert.match(render('new-sign-in').text, /^New sign-in to your account\n\nHello,\n/);
    assert.match(render('new-sign-in', { recipientName: 'Irina' }).text, /\n\nDear Irina,\n/);
  });

  it('bad input › a link that is not http(s) and a colour that is not #rrggbb are refused', () => {
    assert.throws(
      () =>
        render('password-reset', {
          values: { ...sample['password-reset'], resetUrl: 'javascript:alert(1)' },
        }),
      { code: 'invalid-link', location: { field: 'values' } },
    );
    assert.throws(
      () => render('invitation', { branding: { ...branding, brandColor: 'red;background:url(x)' } }),
      {
        code: 'invalid-brand-color',
        location: { field: 'brandColor' },
      },
    );
  });
});
