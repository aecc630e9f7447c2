import type { Locale, MessageValues, Translate } from '#platform/i18n';
import { money } from '#platform/money';
import { assertLocalDate } from '#platform/time';

export const notificationTemplates = [
  'invitation',
  'password-reset',
  'mfa-changed',
  'new-sign-in',
  'vendor-invoice-due',
] as const;
export type NotificationTemplate = (typeof notificationTemplates)[number];

export const mfaChanges = ['enabled', 'disabled', 'reset-by-admin', 'recovery-codes-regenerated'] as const;
export type MfaChange = (typeof mfaChanges)[number];

export const signInMethods = ['password', 'oidc'] as const;
export type SignInMethod = (typeof signInMethods)[number];

/** Why billing admins are told about one of Microsoft's invoices to the partner (vendor-bills). */
type VendorInvoiceNotice = 'due_soon' | 'overdue' | 'suspension_risk';

/**
 * What each template is told. A `Date` is an instant, shown in the partner's time zone; a `yyyy-mm-dd`
 * string is a calendar day, shown as that day whatever the zone.
 */
export interface NotificationValues {
  invitation: {
    inviterName: string;
    /** The partner (for staff) or the customer (for customer users) the invitation is into. */
    organisationName: string;
    acceptUrl: string;
    expiresAt: Date;
  };
  'password-reset': { resetUrl: string; expiresAt: Date; ip: string };
  'mfa-changed': { change: MfaChange; at: Date; ip: string };
  'new-sign-in': { at: Date; ip: string; userAgent: string; method: SignInMethod };
  'vendor-invoice-due': {
    notice: VendorInvoiceNotice;
    invoiceNumber: string;
    /** What is still to pay, an exact decimal in `currency`; null when not known yet. */
    amount: string | null;
    currency: string;
    /** Local dates, `yyyy-mm-dd`. */
    dueDate: string;
    daysOverdue: number;
    suspensionDate: string;
    payablesUrl: string;
  };
}

/** One mail's words before layout: the same parts make the plain-text and the HTML body. */
export interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** "Label: value" lines, e.g. when and from where a security event happened. */
  details: string[];
  action?: { label: string; url: string };
  /** What to do if the mail was unexpected. */
  footer: string;
}

/** Facts every template may quote, taken from the partner rather than the caller. */
export interface TemplateContext {
  partnerName: string;
  /** The reader's language, which amounts and dates are formatted for. */
  locale: Locale;
  timeZone: string;
}

type Compose<T extends NotificationTemplate> = (
  t: Translate,
  values: NotificationValues[T],
  context: TemplateContext,
) => MailContent;

// ICU select keys cannot contain hyphens, so the catalog names the cases in camelCase.
const mfaChangeCase: Record<MfaChange, string> = {
  enabled: 'enabled',
  disabled: 'disabled',
  'reset-by-admin': 'resetByAdmin',
  'recovery-codes-regenerated': 'recoveryCodesRegenerated',
};

const vendorInvoiceNoticeCase: Record<VendorInvoiceNotice, string> = {
  due_soon: 'dueSoon',
  overdue: 'overdue',
  suspension_risk: 'suspensionRisk',
};

function moment(t: Translate, at: Date, { timeZone }: TemplateContext): string {
  return t('notifications.moment', { at, timeZone });
}

/**
 * A calendar day in the long style of `{at, date, long}`. It is a day, not an instant: read as UTC
 * midnight and formatted in UTC, so no zone moves it to the day before or after.
 */
function calendarDay(date: string, field: string, { locale }: TemplateContext): string {
  const midnight = new Date(`${assertLocalDate(date, field)}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(midnight);
}

/** The four messages every template has, each given the partner's name besides its own values. */
function messages(t: Translate, prefix: string, context: TemplateContext, own: MessageValues = {}) {
  const values = { partnerName: context.partnerName, ...own };
  return {
    subject: t(`${prefix}.subject`, values),
    heading: t(`${prefix}.heading`, values),
    body: t(`${prefix}.body`, values),
    footer: t(`${prefix}.footer`, values),
  };
}

const compose: { [T in NotificationTemplate]: Compose<T> } = {
  invitation(t, values, context) {
    const { subject, heading, body, footer } = messages(t, 'notifications.invitation', context, {
      inviterName: values.inviterName,
      organisationName: values.organisationName,
    });
    return {
      subject,
      heading,
      paragraphs: [
        body,
        t('notifications.invitation.expiry', { expiresAt: moment(t, values.expiresAt, context) }),
      ],
      details: [],
      action: { label: t('notifications.invitation.action'), url: values.acceptUrl },
      footer,
    };
  },

  'password-reset'(t, values, context) {
    const { subject, heading, body, footer } = messages(t, 'notifications.passwordReset', context, {
      ip: values.ip,
    });
    return {
      subject,
      heading,
      paragraphs: [
        body,
        t('notifications.passwordReset.expiry', { expiresAt: moment(t, values.expiresAt, context) }),
      ],
      details: [],
      action: { label: t('notifications.passwordReset.action'), url: values.resetUrl },
      footer,
    };
  },

  'mfa-changed'(t, values, context) {
    const { subject, heading, body, footer } = messages(t, 'notifications.mfaChanged', context, {
      change: mfaChangeCase[values.change],
    });
    return {
      subject,
      heading,
      paragraphs: [body],
      details: [
        t('notifications.detail.time', { time: moment(t, values.at, context) }),
        t('notifications.detail.ip', { ip: values.ip }),
      ],
      footer,
    };
  },

  'new-sign-in'(t, values, context) {
    const { subject, heading, body, footer } = messages(t, 'notifications.newSignIn', context);
    return {
      subject,
      heading,
      paragraphs: [body],
      details: [
        t('notifications.detail.time', { time: moment(t, values.at, context) }),
        t('notifications.detail.ip', { ip: values.ip }),
        t('notifications.detail.userAgent', { userAgent: values.userAgent }),
        t('notifications.detail.method', {
          method: t('notifications.newSignIn.method', { method: values.method }),
        }),
      ],
      footer,
    };
  },

  'vendor-invoice-due'(t, values, context) {
    const dueDate = calendarDay(values.dueDate, 'dueDate', context);
    const suspensionDate = calendarDay(values.suspensionDate, 'suspensionDate', context);
    const { subject, heading, body, footer } = messages(t, 'notifications.vendorInvoiceDue', context, {
      notice: vendorInvoiceNoticeCase[values.notice],
      invoiceNumber: values.invoiceNumber,
      dueDate,
      daysOverdue: values.daysOverdue,
      suspensionDate,
    });
    // Money formats the exact decimal string, so no digit of a large amount is lost to a float.
    const amount =
      values.amount === null
        ? []
        : [
            t('notifications.vendorInvoiceDue.amount', {
              amount: money(values.amount, values.currency).format(context.locale),
            }),
          ];
    return {
      subject,
      heading,
      paragraphs: [body],
      details: [
        t('notifications.vendorInvoiceDue.invoice', { invoiceNumber: values.invoiceNumber }),
        ...amount,
        t('notifications.vendorInvoiceDue.dueDate', { dueDate }),
        t('notifications.vendorInvoiceDue.suspensionDate', { suspensionDate }),
      ],
      action: { label: t('notifications.vendorInvoiceDue.action'), url: values.payablesUrl },
      footer,
    };
  },
};

export function composeMail<T extends NotificationTemplate>(
  template: T,
  t: Translate,
  values: NotificationValues[T],
  context: TemplateContext,
): MailContent {
  return (compose[template] as Compose<T>)(t, values, context);
}
