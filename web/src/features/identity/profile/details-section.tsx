import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useUpdateMe } from '../api/me.ts';
import { LanguageSelect } from '../components/language-select.tsx';
import { fieldError, ProblemAlert } from '../components/problem.tsx';
import { RoleBadges } from '../components/role-badges.tsx';
import { Section } from '../components/section.tsx';
import { useSignedIn } from '../session/require-session.tsx';
import type { Me } from '../types.ts';

function DetailsForm({ me, update }: { me: Me; update: ReturnType<typeof useUpdateMe> }) {
  const { t } = useI18n();
  const [name, setName] = useState(me.name);
  const [language, setLanguage] = useState(me.language ?? '');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: name.trim(), language: language || null });
  };
  return (
    <Stack gap="md" component="form" onSubmit={onSubmit} maw={420}>
      <TextInput
        label={t('identity.field.name')}
        autoComplete="name"
        required
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={fieldError(t, update.error, 'name')}
      />
      <LanguageSelect
        label={t('identity.field.language')}
        noneLabel={t('identity.language.browser')}
        value={language}
        onChange={setLanguage}
      />
      <ProblemAlert error={update.error} fields={['name', 'language']} />
      <Group gap="sm">
        <Button type="submit" loading={update.isPending}>
          {t('identity.action.save')}
        </Button>
        {update.isSuccess && (
          <Text size="sm" c="teal" role="status">
            {t('identity.profile.saved')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/** Name and language; e-mail, organisation and roles are shown but set by an admin. */
export function DetailsSection() {
  const { t } = useI18n();
  const me = useSignedIn();
  const update = useUpdateMe();
  return (
    <Section title={t('identity.profile.details')}>
      <Stack gap={4}>
        <Text size="sm">
          {me.email} · {me.customer?.name ?? me.partner.displayName}
        </Text>
        <RoleBadges roles={me.roles} gap={6} />
      </Stack>
      {/* Starts again from the saved values when they change elsewhere (the header's language switcher). */}
      <DetailsForm key={`${me.name}\n${me.language}`} me={me} update={update} />
    </Section>
  );
}
