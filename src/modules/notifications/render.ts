import { invalid } from '#platform/errors';
import { type Locale, translator } from '#platform/i18n';
import {
  composeMail,
  type MailContent,
  type NotificationTemplate,
  type NotificationValues,
} from './templates.ts';

/** The parts of the partner's branding a mail shows (a subset of partners' `getPartnerBranding`). */
export interface NotificationBranding {
  displayName: string;
  legalName: string;
  supportEmail?: string | null;
  supportPhone?: string | null;
  supportUrl?: string | null;
  /** `#rrggbb`: the header bar. */
  brandColor: string;
  /** `#rrggbb`: the action button and links. */
  accentColor: string;
  /** IANA zone every date in the mail is shown in. */
  timeZone: string;
}

export interface RenderNotificationInput<T extends NotificationTemplate> {
  template: T;
  values: NotificationValues[T];
  branding: NotificationBranding;
  locale: Locale;
  recipientName?: string | undefined;
}

export interface RenderedNotification {
  locale: Locale;
  subject: string;
  text: string;
  html: string;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Renders one mail in one language: subject, plain text and HTML. Pure apart from reading the
 * catalogs, so previews and tests call it directly.
 */
export function renderNotification<T extends NotificationTemplate>(
  input: RenderNotificationInput<T>,
): RenderedNotification {
  const { branding, locale } = input;
  for (const field of ['brandColor', 'accentColor'] as const) {
    // The colours go into style attributes, where escaping alone would not stop CSS injection.
    if (!HEX_COLOR.test(branding[field])) {
      throw invalid('invalid-brand-color', `${field} must be a colour like #1c7ed6`, { field });
    }
  }
  const t = translator(locale, { timeZone: branding.timeZone });
  const content = composeMail(input.template, t, input.values, {
    partnerName: branding.displayName,
    locale,
    timeZone: branding.timeZone,
  });
  if (content.action && !/^https?:\/\//i.test(content.action.url)) {
    throw invalid('invalid-link', `The ${input.template} mail links only to http or https addresses`, {
      field: 'values',
    });
  }
  const supportContact = [branding.supportEmail, branding.supportPhone, branding.supportUrl]
    .filter((contact): contact is string => Boolean(contact))
    .join(' · ');
  const frame: Frame = {
    greeting: input.recipientName
      ? t('notifications.greeting.named', { name: input.recipientName })
      : t('notifications.greeting.unnamed'),
    linkFallback: t('notifications.linkFallback'),
    signOff: t('notifications.signOff'),
    closing: [
      ...(supportContact
        ? [t('notifications.support', { partnerName: branding.displayName, supportContact })]
        : []),
      t('notifications.sentBy', { legalName: branding.legalName }),
    ],
  };
  return {
    locale,
    subject: content.subject,
    text: plainText(content, frame, branding),
    html: html(content, frame, branding, locale),
  };
}

/** The words around every template's content. */
interface Frame {
  greeting: string;
  linkFallback: string;
  signOff: string;
  /** The lines under the rule: support contact and who sent the mail. */
  closing: string[];
}

function plainText(content: MailContent, frame: Frame, branding: NotificationBranding): string {
  const blocks = [
    content.heading,
    frame.greeting,
    ...content.paragraphs,
    content.details.join('\n'),
    content.action ? `${content.action.label}:\n${content.action.url}` : '',
    content.footer,
    `${frame.signOff}\n${branding.displayName}`,
    // "-- " is the signature separator mail readers recognise.
    `-- \n${frame.closing.join('\n')}`,
  ];
  return `${blocks.filter((block) => block !== '').join('\n\n')}\n`;
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function luminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = Number.parseInt(color.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * White on the brand colour when it is readable (WCAG contrast of at least `minimum`: 3 for large bold
 * text, 4.5 for body text), else near-black: brands expect white, a pale brand colour cannot carry it.
 */
function textColorOn(background: string, minimum: number): string {
  return 1.05 / (luminance(background) + 0.05) >= minimum ? '#ffffff' : '#1f2328';
}

const FONT = 'Arial,Helvetica,sans-serif';

/**
 * A table layout with inline styles: the one form that renders alike in Outlook, Gmail and phone
 * clients. No remote images, so nothing is fetched when the mail is opened.
 */
function html(content: MailContent, frame: Frame, branding: NotificationBranding, locale: Locale): string {
  const e = escapeHtml;
  const paragraph = (text: string, style = 'margin:0 0 16px;') =>
    `<p style="${style}">${e(text).replaceAll('\n', '<br>')}</p>`;
  const details = content.details.length
    ? paragraph(
        content.details.join('\n'),
        'margin:0 0 16px;padding:12px 16px;background-color:#f4f5f7;border-radius:4px;',
      )
    : '';
  const action = content.action
    ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr><td style="border-radius:4px;background-color:${branding.accentColor};"><a href="${e(content.action.url)}" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;font-weight:bold;color:${textColorOn(branding.accentColor, 4.5)};text-decoration:none;border-radius:4px;">${e(content.action.label)}</a></td></tr></table>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#57606a;">${e(frame.linkFallback)}<br><a href="${e(content.action.url)}" style="color:${branding.accentColor};word-break:break-all;">${e(content.action.url)}</a></p>`
    : '';
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${e(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #d0d7de;border-radius:4px;">
<tr><td style="background-color:${branding.brandColor};color:${textColorOn(branding.brandColor, 3)};padding:20px 32px;font-family:${FONT};font-size:20px;font-weight:bold;line-height:1.3;border-radius:4px 4px 0 0;">${e(branding.displayName)}</td></tr>
<tr><td style="padding:32px;font-family:${FONT};font-size:16px;line-height:1.5;color:#1f2328;">
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">${e(content.heading)}</h1>
${paragraph(frame.greeting)}
${content.paragraphs.map((text) => paragraph(text)).join('\n')}
${details}
${action}
${paragraph(content.footer)}
${paragraph(`${frame.signOff}\n${branding.displayName}`, 'margin:0;')}
</td></tr>
<tr><td style="padding:16px 32px;border-top:1px solid #d0d7de;font-family:${FONT};font-size:13px;line-height:1.5;color:#57606a;">${frame.closing.map(e).join('<br>')}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}
