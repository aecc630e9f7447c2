import {
  Alert,
  Badge,
  Button,
  ColorInput,
  Fieldset,
  FileButton,
  Group,
  Image,
  Loader,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { type ApiProblem, isProblem } from '../../lib/api.ts';
import { LOCALE_NAMES, SUPPORTED_LOCALES, useI18n } from '../../lib/i18n.tsx';
import {
  type PartnerSettings,
  type PartnerSettingsPatch,
  usePartnerSettings,
  useUpdatePartnerSettings,
  useUploadPartnerLogo,
} from './api.ts';
import { ConnectionsSection } from './connections-section.tsx';

type Translate = ReturnType<typeof useI18n>['t'];

const TEXT_FIELDS = [
  'legalName',
  'displayName',
  'senderName',
  'senderAddress',
  'supportEmail',
  'supportPhone',
  'supportUrl',
  'defaultLanguage',
  'timeZone',
  'currency',
  'brandColor',
  'accentColor',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
/** Settings a blank input clears (sent as null); the others are required. */
const OPTIONAL: ReadonlySet<TextField> = new Set([
  'senderName',
  'senderAddress',
  'supportEmail',
  'supportPhone',
  'supportUrl',
]);

type Form = Record<TextField, string> & { paymentTermsDays: number | string };

function formOf(settings: PartnerSettings): Form {
  const form = { paymentTermsDays: settings.paymentTermsDays } as Form;
  for (const field of TEXT_FIELDS) form[field] = settings[field] ?? '';
  return form;
}

/** Only what the admin changed goes to the server, so its audit event says exactly that. */
function changesOf(form: Form, settings: PartnerSettings): PartnerSettingsPatch {
  const patch: Record<string, string | number | null> = {};
  for (const field of TEXT_FIELDS) {
    const value = form[field].trim();
    const next = value === '' && OPTIONAL.has(field) ? null : value;
    if (next !== (settings[field] ?? null)) patch[field] = next;
  }
  if (form.paymentTermsDays !== settings.paymentTermsDays)
    patch.paymentTermsDays = Number(form.paymentTermsDays);
  return patch as PartnerSettingsPatch;
}

/** The server names the field at fault, as `timeZone` or `body.timeZone`. */
function fieldOf(problem: ApiProblem): string | undefined {
  return problem.field?.replace(/^body\./, '');
}

/** A problem in the reader's language where its code is known; otherwise the server's own words. */
function problemText(t: Translate, problem: ApiProblem): string {
  const known: Record<string, string> = {
    required: 'partners.settings.error.required',
    'too-long': 'partners.settings.error.tooLong',
    'invalid-email': 'partners.settings.error.email',
    'invalid-phone': 'partners.settings.error.phone',
    'invalid-url': 'partners.settings.error.url',
    'invalid-color': 'partners.settings.error.color',
    'out-of-range': 'partners.settings.error.paymentTerms',
    'invalid-zone': 'partners.settings.error.choose',
    'unknown-currency': 'partners.settings.error.choose',
    'unsupported-language': 'partners.settings.error.choose',
    'unsupported-logo-type': 'partners.settings.error.logoType',
    'logo-not-image': 'partners.settings.error.logoType',
    'logo-too-large': 'partners.settings.error.logoSize',
    'ctp-body-too-large': 'partners.settings.error.logoSize',
    'ctp-invalid-media-type': 'partners.settings.error.logoType',
  };
  const key = known[problem.code];
  return key ? t(key) : problem.detail;
}

function useChoices(locale: string) {
  return useMemo(() => {
    const currencyNames = new Intl.DisplayNames([locale], { type: 'currency' });
    return {
      languages: SUPPORTED_LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] })),
      zones: ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')],
      currencies: Intl.supportedValuesOf('currency').map((code) => ({
        value: code,
        label: `${code} · ${currencyNames.of(code) ?? code}`,
      })),
    };
  }, [locale]);
}

function LogoSection({ settings }: { settings: PartnerSettings }) {
  const { t } = useI18n();
  const upload = useUploadPartnerLogo();
  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        {t('partners.settings.logo.label')}
      </Text>
      {settings.logoUrl ? (
        <Image
          src={settings.logoUrl}
          alt={t('partners.settings.logo.alt', { name: settings.displayName })}
          h={64}
          w="auto"
          fit="contain"
          style={{ alignSelf: 'flex-start' }}
          data-testid="partner-logo"
        />
      ) : (
        <Text c="dimmed" size="sm">
          {t('partners.settings.logo.none')}
        </Text>
      )}
      <Group gap="sm">
        <FileButton accept="image/png,image/jpeg" onChange={(file) => file && upload.mutate(file)}>
          {(props) => (
            <Button {...props} variant="default" loading={upload.isPending}>
              {t('partners.settings.logo.upload')}
            </Button>
          )}
        </FileButton>
        <Text c="dimmed" size="xs">
          {t('partners.settings.logo.hint')}
        </Text>
      </Group>
      {upload.isError && (
        <Text c="red" size="sm" role="alert">
          {isProblem(upload.error) ? problemText(t, upload.error) : t('common.error')}
        </Text>
      )}
      {upload.isSuccess && (
        <Text c="teal" size="sm" role="status">
          {t('partners.settings.logo.uploaded')}
        </Text>
      )}
    </Stack>
  );
}

function SettingsForm({ settings }: { settings: PartnerSettings }) {
  const { t, locale } = useI18n();
  const choices = useChoices(locale);
  const [form, setForm] = useState(() => formOf(settings));
  const save = useUpdatePartnerSettings();
  const patch = changesOf(form, settings);
  const unchanged = Object.keys(patch).length === 0;
  const problem = isProblem(save.error) ? save.error : undefined;
  const problemField = problem ? fieldOf(problem) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(patch, { onSuccess: (saved) => setForm(formOf(saved)) });
  };
  const errorOf = (field: string) =>
    problem && problemField === field ? problemText(t, problem) : undefined;
  const set = (field: keyof Form) => (value: string | number) => {
    save.reset();
    setForm((current) => ({ ...current, [field]: value }));
  };
  const text = (field: TextField, required = !OPTIONAL.has(field)) => ({
    label: t(`partners.settings.field.${field}`),
    value: form[field],
    required,
    error: errorOf(field),
    onChange: (event: { currentTarget: { value: string } }) => set(field)(event.currentTarget.value),
  });
  const select = (field: 'defaultLanguage' | 'timeZone' | 'currency') => ({
    label: t(`partners.settings.field.${field}`),
    value: form[field],
    required: true,
    searchable: true,
    allowDeselect: false,
    error: errorOf(field),
    onChange: (value: string | null) => value && set(field)(value),
  });
  const color = (field: 'brandColor' | 'accentColor') => ({
    label: t(`partners.settings.field.${field}`),
    value: form[field],
    format: 'hex' as const,
    required: true,
    error: errorOf(field),
    onChange: set(field),
  });

  return (
    <form onSubmit={submit} data-testid="partner-settings-form">
      <Stack gap="lg">
        <Fieldset legend={t('partners.settings.section.organisation')}>
          <Group gap="xs" mb="sm">
            <Badge variant="light">{t('partners.settings.kind', { kind: settings.kind })}</Badge>
            <Text size="sm" c="dimmed">
              {t('partners.settings.slug', { slug: settings.slug })}
            </Text>
          </Group>
          {settings.providers.length > 0 && (
            <Text size="sm" mb="sm">
              {t('partners.settings.providers', {
                providers: settings.providers.map((provider) => provider.displayName).join(', '),
              })}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput {...text('legalName')} autoComplete="organization" />
            <TextInput {...text('displayName')} description={t('partners.settings.hint.displayName')} />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('partners.settings.section.regional')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select {...select('defaultLanguage')} data={choices.languages} />
            <Select
              {...select('timeZone')}
              data={choices.zones.includes(form.timeZone) ? choices.zones : [form.timeZone, ...choices.zones]}
              limit={50}
            />
            <Select {...select('currency')} data={choices.currencies} limit={50} />
            <NumberInput
              label={t('partners.settings.field.paymentTermsDays')}
              description={t('partners.settings.hint.paymentTermsDays')}
              value={form.paymentTermsDays}
              min={0}
              max={365}
              allowDecimal={false}
              required
              error={errorOf('paymentTermsDays')}
              onChange={set('paymentTermsDays')}
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('partners.settings.section.sender')}>
          <Text size="sm" c="dimmed" mb="sm">
            {t('partners.settings.hint.sender')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput {...text('senderName')} />
            <TextInput {...text('senderAddress')} type="email" />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('partners.settings.section.support')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput {...text('supportEmail')} type="email" />
            <TextInput {...text('supportPhone')} type="tel" />
            <TextInput {...text('supportUrl')} type="url" placeholder="https://" />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('partners.settings.section.branding')}>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <ColorInput {...color('brandColor')} />
              <ColorInput {...color('accentColor')} />
            </SimpleGrid>
            <LogoSection settings={settings} />
          </Stack>
        </Fieldset>

        {problem && problemField === undefined && (
          <Alert color="red" role="alert" title={t('partners.settings.error.save')}>
            {problemText(t, problem)}
          </Alert>
        )}
        {save.isError && !problem && (
          <Alert color="red" role="alert" title={t('partners.settings.error.save')}>
            {t('common.error')}
          </Alert>
        )}
        <Group gap="sm">
          <Button type="submit" disabled={unchanged} loading={save.isPending}>
            {t('partners.settings.save')}
          </Button>
          {save.isSuccess && unchanged && (
            <Text c="teal" size="sm" role="status">
              {t('partners.settings.saved')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** `/staff/settings` (partner.manage): the partner's settings and branding. */
export function PartnerSettingsPage() {
  const { t } = useI18n();
  const settings = usePartnerSettings();
  return (
    <Stack gap="lg" maw={960}>
      <Stack gap={4}>
        <Title order={1}>{t('partners.settings.title')}</Title>
        <Text c="dimmed">{t('partners.settings.intro')}</Text>
      </Stack>
      {settings.isPending && <Loader aria-label={t('common.loading')} />}
      {settings.isError && (
        <Alert color="red" role="alert" title={t('partners.settings.error.load')}>
          <Button variant="light" color="red" size="xs" onClick={() => settings.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {settings.data && <SettingsForm key={settings.data.id} settings={settings.data} />}
      {settings.data && <ConnectionsSection />}
    </Stack>
  );
}
