import { Badge, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../../lib/i18n.tsx';
import { SERVICE_FAMILIES, type ServiceFamily, type Subscription } from './api.ts';
import { ChangeLine } from './change-outcome.tsx';
import {
  billingCycleText,
  STATUS_COLOR,
  scheduledChangeText,
  termText,
  unitText,
  useCalendarDate,
} from './format.ts';

function AutoRenew({ subscription }: { subscription: Subscription }) {
  const { t } = useI18n();
  const { autoRenew, savedAutoRenew, status } = subscription;
  return (
    <Stack gap={2} data-testid="subscription-auto-renew" data-auto-renew={String(autoRenew)}>
      {/* An Azure plan has no term to renew. */}
      <Text size="sm">
        {autoRenew === null || subscription.kind === 'azure_plan'
          ? '—'
          : t('subscriptions.autoRenew.value', { on: String(autoRenew) })}
      </Text>
      {/* Suspending turned it off; reactivating puts back what was saved. */}
      {status === 'suspended' && savedAutoRenew !== null && (
        <Text size="xs" c="dimmed" data-testid="subscription-auto-renew-saved">
          {t('subscriptions.autoRenew.restored', { on: String(savedAutoRenew) })}
        </Text>
      )}
    </Stack>
  );
}

/** Partner Center gives an Azure plan, which has no term, the end date 9999-12-31. */
function hasTermEnd(
  subscription: Subscription,
): subscription is Subscription & { commitmentEndDate: string } {
  return subscription.commitmentEndDate !== null && !subscription.commitmentEndDate.startsWith('9999-');
}

function Term({ subscription }: { subscription: Subscription }) {
  const { t } = useI18n();
  const calendarDate = useCalendarDate();
  const parts = [termText(t, subscription.termDuration), billingCycleText(t, subscription.billingCycle)];
  const line = parts.filter((part) => part !== null).join(' · ');
  return (
    <Stack gap={2}>
      <Text size="sm">{line || '—'}</Text>
      {hasTermEnd(subscription) && (
        <Text size="xs" c="dimmed" data-testid="subscription-term-end">
          {t('subscriptions.termEnds', { date: calendarDate(subscription.commitmentEndDate) })}
        </Text>
      )}
    </Stack>
  );
}

function Status({ subscription }: { subscription: Subscription }) {
  const { t } = useI18n();
  const calendarDate = useCalendarDate();
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={STATUS_COLOR[subscription.status]} variant="light" data-testid="subscription-status">
        {t('subscriptions.status', { status: subscription.status })}
      </Badge>
      {subscription.status === 'suspended' && subscription.suspendedBy === 'collections' && (
        <Text size="xs" c="dimmed">
          {t('subscriptions.suspendedByCollections')}
        </Text>
      )}
      {subscription.billedUntil && (
        <Text size="xs" c="orange.8" data-testid="subscription-billed-until">
          {t('subscriptions.billedUntil', { date: calendarDate(subscription.billedUntil) })}
        </Text>
      )}
    </Stack>
  );
}

/** Subscriptions of one service family, under a heading with the family's own buttons. */
export interface SubscriptionGroup {
  family: ServiceFamily;
  subscriptions: readonly Subscription[];
  actions?: ReactNode;
}

/** The families present, in listing order, each with its subscriptions. */
export function byFamily(subscriptions: readonly Subscription[]): SubscriptionGroup[] {
  return SERVICE_FAMILIES.map((family) => ({
    family,
    subscriptions: subscriptions.filter((subscription) => subscription.serviceFamily === family),
  })).filter((group) => group.subscriptions.length > 0);
}

interface SubscriptionTableProps {
  groups: readonly SubscriptionGroup[];
  /** Who carries out a reseller's requests, to name in a row's pending request. */
  provider: string | null;
  /** Staff see the latest change on each row (except `hiddenChange`, shown above); the portal does not. */
  showChanges: boolean;
  hiddenChange?: string | undefined;
  /** A row's buttons, when the viewer may change subscriptions. */
  actions?: ((subscription: Subscription) => ReactNode) | undefined;
}

/**
 * Subscriptions as rows, one table for all families so the columns line up: what was bought, for how
 * long, in what state, and what happens next.
 */
export function SubscriptionTable({
  groups,
  provider,
  showChanges,
  hiddenChange,
  actions,
}: SubscriptionTableProps) {
  const { t } = useI18n();
  const columns = actions ? 7 : 6;
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" data-testid="subscription-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('subscriptions.column.name')}</Table.Th>
            <Table.Th>{t('subscriptions.column.quantity')}</Table.Th>
            <Table.Th>{t('subscriptions.column.term')}</Table.Th>
            <Table.Th>{t('subscriptions.column.status')}</Table.Th>
            <Table.Th>{t('subscriptions.column.autoRenew')}</Table.Th>
            <Table.Th>{t('subscriptions.column.scheduled')}</Table.Th>
            {actions && (
              <Table.Th>
                <VisuallyHidden>{t('subscriptions.column.actions')}</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        {groups.map((group) => (
          <Table.Tbody key={group.family} data-testid={`family-${group.family}`}>
            <Table.Tr bg="var(--mantine-color-default-hover)">
              <Table.Th colSpan={columns} scope="colgroup">
                <Group justify="space-between" gap="xs">
                  <Group gap="xs">
                    <Text fw={600}>{t('subscriptions.family', { family: group.family })}</Text>
                    <Badge variant="default" size="sm">
                      {group.subscriptions.length}
                    </Badge>
                  </Group>
                  {group.actions && <Group gap="xs">{group.actions}</Group>}
                </Group>
              </Table.Th>
            </Table.Tr>
            {group.subscriptions.map((subscription) => (
              <Table.Tr
                key={subscription.id}
                data-testid="subscription-row"
                data-subscription-id={subscription.id}
              >
                <Table.Td maw={340}>
                  <Text size="sm" fw={500} data-testid="subscription-name">
                    {subscription.friendlyName}
                  </Text>
                  {subscription.offerName !== subscription.friendlyName && (
                    <Text size="xs" c="dimmed">
                      {subscription.offerName}
                    </Text>
                  )}
                  {subscription.upstreamRemovedAt && (
                    <Badge color="gray" variant="outline" size="xs" mt={4}>
                      {t('subscriptions.removedUpstream')}
                    </Badge>
                  )}
                  {showChanges &&
                    subscription.latestChange &&
                    subscription.latestChange.id !== hiddenChange && (
                      <ChangeLine
                        change={subscription.latestChange}
                        name={subscription.friendlyName}
                        provider={provider}
                      />
                    )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{subscription.quantity}</Text>
                  {subscription.unitType && (
                    <Text size="xs" c="dimmed">
                      {unitText(t, subscription.unitType)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Term subscription={subscription} />
                </Table.Td>
                <Table.Td miw={130}>
                  <Status subscription={subscription} />
                </Table.Td>
                <Table.Td>
                  <AutoRenew subscription={subscription} />
                </Table.Td>
                <Table.Td maw={220}>
                  <Text size="sm">{scheduledChangeText(t, subscription.scheduledChanges) ?? '—'}</Text>
                </Table.Td>
                {actions && (
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {actions(subscription)}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        ))}
      </Table>
    </Table.ScrollContainer>
  );
}
