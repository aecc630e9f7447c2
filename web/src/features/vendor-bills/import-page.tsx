import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { usePageParams } from '../../app/pages.ts';
import { Link } from '../../app/router.tsx';
import { NotFound } from '../../components/not-found.tsx';
import { isProblem } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { type DeliveryStatus, type DeliveryView, useDeliveryHistory, useImport } from './api.ts';
import { useVendorFormats } from './format.ts';
import { ImportOutcome, useStarterName } from './import-outcome.tsx';
import { ProblemAlert } from './problem-alert.tsx';

const DELIVERY_COLOR: Record<DeliveryStatus, string> = {
  loading: 'blue',
  current: 'teal',
  superseded: 'gray',
  discarded: 'gray',
};

function DeliveryBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" color={DELIVERY_COLOR[status]} size="sm" data-testid="delivery-status">
      {t('vendorBills.delivery.status', { status })}
    </Badge>
  );
}

/** What a delivery is of: an invoice, or a month's estimate in one currency. */
function useDeliveryName(): (delivery: DeliveryView) => string {
  const { t } = useI18n();
  const formats = useVendorFormats();
  return (delivery) =>
    delivery.kind === 'billed'
      ? t('vendorBills.import.summary.invoice', { invoiceNumber: delivery.invoiceNumber ?? '' })
      : t('vendorBills.import.summary.estimate', {
          month: delivery.period ? formats.month(delivery.period) : '',
        });
}

/** Every version of one delivery: v1 superseded by v2 …, and re-deliveries that changed nothing. */
function VersionHistory({ deliveryKey }: { deliveryKey: string }) {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const history = useDeliveryHistory(deliveryKey);
  if (history.isPending) return <Loader size="xs" aria-label={t('common.loading')} />;
  if (history.isError) return <ProblemAlert error={history.error} title={t('vendorBills.error.load')} />;
  return (
    <Stack gap={4} data-testid="delivery-history">
      {history.data.map((version) => (
        <Group key={version.id} gap="sm" wrap="nowrap" data-testid="delivery-version">
          <Text size="sm" fw={500} w={48}>
            {version.version === null ? '—' : t('vendorBills.delivery.version', { version: version.version })}
          </Text>
          <DeliveryBadge status={version.status} />
          <Text size="sm">{formats.instant(version.createdAt)}</Text>
          <Text size="sm" c="dimmed">
            {t('vendorBills.delivery.linesTotal', {
              lines: version.lineCount,
              total: formats.money(version.total, version.currency),
            })}
          </Text>
          {version.supersededAt && (
            <Text size="sm" c="dimmed">
              {t('vendorBills.delivery.supersededAt', { at: formats.instant(version.supersededAt) })}
            </Text>
          )}
        </Group>
      ))}
    </Stack>
  );
}

function Deliveries({ deliveries }: { deliveries: DeliveryView[] }) {
  const { t, locale } = useI18n();
  const formats = useVendorFormats();
  const nameOf = useDeliveryName();
  const [open, setOpen] = useState<string | null>(null);
  if (deliveries.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('vendorBills.delivery.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" data-testid="delivery-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('vendorBills.column.delivery')}</Table.Th>
            <Table.Th>{t('vendorBills.column.form')}</Table.Th>
            <Table.Th>{t('vendorBills.column.version')}</Table.Th>
            <Table.Th>{t('vendorBills.column.status')}</Table.Th>
            <Table.Th ta="right">{t('vendorBills.column.lines')}</Table.Th>
            <Table.Th ta="right">{t('vendorBills.column.total')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deliveries.map((delivery) => (
            <Fragment key={delivery.id}>
              <Table.Tr data-testid="delivery-row">
                <Table.Td>
                  {delivery.kind === 'billed' && delivery.invoiceNumber ? (
                    <Anchor
                      component={Link}
                      to={`/staff/vendor-bills/invoices/${encodeURIComponent(delivery.invoiceNumber)}`}
                      size="sm"
                    >
                      {nameOf(delivery)}
                    </Anchor>
                  ) : (
                    <Text size="sm">{nameOf(delivery)}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('vendorBills.form', { form: delivery.form })}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {delivery.version === null
                      ? '—'
                      : t('vendorBills.delivery.version', { version: delivery.version })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <DeliveryBadge status={delivery.status} />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{delivery.lineCount.toLocaleString(locale)}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formats.money(delivery.total, delivery.currency)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() => setOpen(open === delivery.id ? null : delivery.id)}
                    aria-expanded={open === delivery.id}
                    data-testid="delivery-versions"
                  >
                    {t('vendorBills.delivery.versions')}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {open === delivery.id && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <VersionHistory deliveryKey={delivery.deliveryKey} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** `/staff/vendor-bills/imports/<id>` (costs.manage): one import, what came of it, and its deliveries. */
export function ImportPage() {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const starter = useStarterName();
  const { importId = '' } = usePageParams();
  const found = useImport(importId);
  if (found.isError && (isProblem(found.error, 'not-found') || isProblem(found.error, 'invalid-request')))
    return <NotFound />;
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/staff/vendor-bills/imports" size="sm">
        {t('vendorBills.import.back')}
      </Anchor>
      {found.isPending && <Loader aria-label={t('common.loading')} />}
      {found.isError && <ProblemAlert error={found.error} title={t('vendorBills.error.load')} />}
      {found.data && (
        <>
          <Stack gap={4}>
            <Title order={1} style={{ overflowWrap: 'anywhere' }} data-testid="import-title">
              {found.data.fileName ?? t('vendorBills.source', { source: found.data.source })}
            </Title>
            <Text size="sm" c="dimmed">
              {t('vendorBills.import.headerLine', {
                source: t('vendorBills.source', { source: found.data.source }),
                cloud: t('customers.cloud', { cloud: found.data.cloud }),
                at: formats.instant(found.data.startedAt),
                by: starter(found.data),
              })}
            </Text>
          </Stack>
          <Paper withBorder p="md" radius="md">
            <ImportOutcome view={found.data} />
          </Paper>
          <Title order={2} size="h3">
            {t('vendorBills.delivery.title')}
          </Title>
          <Deliveries deliveries={found.data.deliveries} />
        </>
      )}
    </Stack>
  );
}
