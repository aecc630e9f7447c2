import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Fieldset,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { LoadMore } from '../../components/load-more.tsx';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { type AuditEvent, type AuditFilters, useAuditEvents } from './api.ts';

type Translate = ReturnType<typeof useI18n>['t'];

/** What the server writes in place of a secret (modules/audit/changes.ts). */
const REDACTED = '[redacted]';

const FILTER_FIELDS = ['actorId', 'targetType', 'targetId', 'action', 'fromDay', 'toDay'] as const;

/** Blank inputs filter nothing. */
function cleaned(draft: AuditFilters): AuditFilters {
  const filters: AuditFilters = {};
  for (const field of FILTER_FIELDS) {
    const value = draft[field]?.trim();
    if (value) filters[field] = value;
  }
  return filters;
}

function valueText(t: Translate, value: unknown): string {
  if (value === null || value === undefined) return t('audit.changes.unset');
  if (value === REDACTED) return t('audit.changes.redacted');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function actorName(t: Translate, actor: AuditEvent['actor']): string {
  return actor.label ?? actor.id ?? actorKind(t, actor.kind);
}

function actorKind(t: Translate, kind: AuditEvent['actor']['kind']): string {
  // ICU select keys cannot hold the hyphen of `signing-in`.
  return t('audit.actor.kind', { kind: kind === 'signing-in' ? 'signingIn' : kind });
}

function Changes({ changes }: { changes: AuditEvent['changes'] }) {
  const { t } = useI18n();
  const fields = Object.entries(changes ?? {});
  if (fields.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('audit.changes.none')}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {fields.map(([field, { before, after }]) => (
        <Text key={field} size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span fw={600} inherit>
            {field}
          </Text>
          {': '}
          {valueText(t, before)} → {valueText(t, after)}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * `/staff/audit` (audit.read, audit.read_users or audit.read_money): who changed what, when and from
 * where, newest first. The server keeps each role to its part of the log.
 */
export function AuditLogPage() {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const events = useAuditEvents(filters);
  const shown = events.data?.pages.flatMap((page) => page.events) ?? [];
  const when = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }),
    [locale],
  );

  const apply = (next: AuditFilters) => {
    setDraft(next);
    setFilters(cleaned(next));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const input = (field: (typeof FILTER_FIELDS)[number]) => ({
    value: draft[field] ?? '',
    onChange: (event: { currentTarget: { value: string } }) =>
      setDraft({ ...draft, [field]: event.currentTarget.value }),
  });

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('audit.title')}</Title>
        <Text c="dimmed">{t('audit.intro')}</Text>
      </Stack>

      <form onSubmit={submit} data-testid="audit-filters">
        <Fieldset legend={t('audit.filter.title')}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <TextInput label={t('audit.filter.actor')} {...input('actorId')} />
            <TextInput
              label={t('audit.filter.action')}
              description={t('audit.filter.actionHint')}
              {...input('action')}
            />
            <TextInput label={t('audit.filter.targetType')} {...input('targetType')} />
            <TextInput label={t('audit.filter.targetId')} {...input('targetId')} />
            <TextInput type="date" label={t('audit.filter.from')} {...input('fromDay')} />
            <TextInput type="date" label={t('audit.filter.to')} min={draft.fromDay} {...input('toDay')} />
          </SimpleGrid>
          <Group mt="md" gap="sm">
            <Button type="submit">{t('audit.filter.apply')}</Button>
            <Button variant="default" onClick={() => apply({})}>
              {t('audit.filter.clear')}
            </Button>
          </Group>
        </Fieldset>
      </form>

      {events.isError && (
        <Alert
          color="red"
          role="alert"
          title={isProblem(events.error, 'forbidden') ? t('audit.error.forbidden') : t('audit.error.load')}
        >
          {!isProblem(events.error, 'forbidden') && (
            <Button variant="light" color="red" size="xs" onClick={() => events.refetch()}>
              {t('common.retry')}
            </Button>
          )}
        </Alert>
      )}
      {events.isPending && <Loader aria-label={t('common.loading')} />}
      {events.isSuccess && shown.length === 0 && <Text c="dimmed">{t('audit.empty')}</Text>}

      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" striped data-testid="audit-table">
            <Table.Caption>{t('audit.shown', { count: shown.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.column.time')}</Table.Th>
                <Table.Th>{t('audit.column.actor')}</Table.Th>
                <Table.Th>{t('audit.column.action')}</Table.Th>
                <Table.Th>{t('audit.column.target')}</Table.Th>
                <Table.Th>{t('audit.column.changes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((event) => (
                <Table.Tr key={event.id} data-testid="audit-event">
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      <time dateTime={event.occurredAt}>{when.format(new Date(event.occurredAt))}</time>
                    </Text>
                    {event.ip && (
                      <Text size="xs" c="dimmed">
                        {t('audit.origin', { ip: event.ip })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {event.actor.id ? (
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        title={t('audit.filterByActor', { actor: actorName(t, event.actor) })}
                        onClick={() => apply({ ...filters, actorId: event.actor.id ?? undefined })}
                      >
                        {actorName(t, event.actor)}
                      </Anchor>
                    ) : (
                      <Text size="sm">{actorName(t, event.actor)}</Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {actorKind(t, event.actor.kind)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      <Code>{event.action}</Code>
                      <Badge variant="light" size="sm">
                        {t('audit.area', { area: event.area })}
                      </Badge>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {event.target.id ? (
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        title={t('audit.filterByTarget')}
                        style={{ overflowWrap: 'anywhere', textAlign: 'start' }}
                        onClick={() =>
                          apply({
                            ...filters,
                            targetType: event.target.type,
                            targetId: event.target.id ?? undefined,
                          })
                        }
                      >
                        {event.target.type} {event.target.id}
                      </Anchor>
                    ) : (
                      <Text size="sm">{event.target.type}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Changes changes={event.changes} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <LoadMore query={events} label={t('audit.loadMore')} testId="audit-load-more" />
    </Stack>
  );
}
