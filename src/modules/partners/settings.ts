import { parseCurrency } from '#platform/money';
import { assertZone } from '#platform/time';
import {
  parseColor,
  parseEmailAddress,
  parseGiven,
  parseLanguage,
  parseOptional,
  parsePhone,
  parseText,
  parseWebAddress,
  parseWholeNumber,
} from './fields.ts';

/** Each setting a Global admin may change, with how its value is checked and stored. */
const settingParsers = {
  legalName: (value: unknown) => parseText(value, 'legalName'),
  displayName: (value: unknown) => parseText(value, 'displayName', 100),
  defaultLanguage: (value: unknown) => parseLanguage(value, 'defaultLanguage'),
  timeZone: (value: unknown) => assertZone(value, 'timeZone'),
  currency: (value: unknown) => parseCurrency(value, { field: 'currency' }),
  senderName: (value: unknown) => parseOptional(value, (name) => parseText(name, 'senderName', 100)),
  senderAddress: (value: unknown) =>
    parseOptional(value, (address) => parseEmailAddress(address, 'senderAddress')),
  supportEmail: (value: unknown) =>
    parseOptional(value, (address) => parseEmailAddress(address, 'supportEmail')),
  supportPhone: (value: unknown) => parseOptional(value, (phone) => parsePhone(phone, 'supportPhone')),
  supportUrl: (value: unknown) => parseOptional(value, (url) => parseWebAddress(url, 'supportUrl')),
  brandColor: (value: unknown) => parseColor(value, 'brandColor'),
  accentColor: (value: unknown) => parseColor(value, 'accentColor'),
  paymentTermsDays: (value: unknown) => parseWholeNumber(value, 'paymentTermsDays', 0, 365),
};

export type PartnerSettings = { [K in keyof typeof settingParsers]: ReturnType<(typeof settingParsers)[K]> };
export type PartnerSettingName = keyof PartnerSettings;
export type PartnerSettingsInput = { [K in PartnerSettingName]?: unknown };

/** The settings given in `input`, checked; absent (undefined) settings are left out. */
export function parsePartnerSettings(input: PartnerSettingsInput): Partial<PartnerSettings> {
  return parseGiven(input, settingParsers);
}
