import { Stack, Tabs, Text, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import { usePageParams } from '../../app/pages.ts';
import { navigate } from '../../app/router.tsx';
import { NotFound } from '../../components/not-found.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { ImportsTab } from './imports-tab.tsx';
import { InvoicesTab } from './invoices-tab.tsx';
import { PayablesTab } from './payables-tab.tsx';
import { UnknownCustomersTab } from './unknown-customers-tab.tsx';

/** The tabs in order; each is its own address, so a tab can be linked to and survives a reload. */
const TABS: readonly { id: string; panel: ComponentType }[] = [
  { id: 'imports', panel: ImportsTab },
  { id: 'invoices', panel: InvoicesTab },
  { id: 'payables', panel: PayablesTab },
  { id: 'unknown-customers', panel: UnknownCustomersTab },
];

/**
 * `/staff/vendor-bills` and `/staff/vendor-bills/<tab>` (costs.manage): Microsoft's bill to the partner —
 * imports, Microsoft's invoices and their lines, payables, and lines naming no known customer.
 */
export function VendorBillsPage() {
  const { t } = useI18n();
  const { tab = 'imports' } = usePageParams();
  const current = TABS.find((candidate) => candidate.id === tab);
  if (!current) return <NotFound />;
  const Panel = current.panel;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('vendorBills.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('vendorBills.subtitle')}
        </Text>
      </Stack>
      <Tabs
        value={current.id}
        onChange={(value) => value && navigate(`/staff/vendor-bills/${value}`)}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((entry) => (
            <Tabs.Tab key={entry.id} value={entry.id} data-testid={`tab-${entry.id}`}>
              {t(`vendorBills.tab.${entry.id}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={current.id} pt="lg">
          <Panel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
