import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../../lib/i18n.tsx';
import type { Customer } from './api.ts';
import { useCountryName } from './country.ts';

/** A text field of Partner Center's tenant facts, by its path (`billingProfile.culture`), if it is one. */
function factAt(upstream: Customer['upstream'], path: string): string | null {
  let value: unknown = upstream;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The postal address as lines, the billing profile's else the company profile's; the country by name. */
function addressLines(upstream: Customer['upstream'], countryName: (code: string) => string): string[] {
  const base = factAt(upstream, 'billingProfile.defaultAddress.country')
    ? 'billingProfile.defaultAddress'
    : 'companyProfile.address';
  const at = (field: string) => factAt(upstream, `${base}.${field}`);
  const cityLine = [at('postalCode'), at('city'), at('state') ?? at('region')].filter(Boolean).join(' ');
  const country = at('country');
  return [
    at('addressLine1'),
    at('addressLine2'),
    at('addressLine3'),
    cityLine,
    country && countryName(country),
  ].filter((line): line is string => line !== null && line !== '');
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

const Id = ({ value }: { value: string }) => <Code>{value}</Code>;

/** What Partner Center says of the tenant (as last synced), beside what is kept here. */
export function TenantFacts({ customer, provider }: { customer: Customer; provider: string | null }) {
  const { t } = useI18n();
  const { upstream } = customer;
  const commerceId = factAt(upstream, 'commerceId');
  const relationship = factAt(upstream, 'relationshipToPartner');
  const associatedPartner = factAt(upstream, 'associatedPartnerId');
  const culture = factAt(upstream, 'billingProfile.culture');
  const language = factAt(upstream, 'billingProfile.language');
  const email = factAt(upstream, 'billingProfile.email') ?? factAt(upstream, 'companyProfile.email');
  const registration = factAt(upstream, 'companyProfile.organizationRegistrationNumber');
  const address = addressLines(upstream, useCountryName());
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="sm" data-testid="tenant-facts">
      <Fact label={t('customers.facts.tenantId')} testId="fact-tenant-id">
        {customer.tenantId ? <Id value={customer.tenantId} /> : t('customers.facts.none')}
      </Fact>
      <Fact label={t('customers.facts.domain')}>{customer.domain}</Fact>
      <Fact label={t('customers.facts.cloud')}>
        {t('customers.cloud', { cloud: customer.cloudInstance })}
      </Fact>
      {commerceId && (
        <Fact label={t('customers.facts.commerceId')}>
          <Id value={commerceId} />
        </Fact>
      )}
      {relationship && (
        <Fact label={t('customers.facts.relationship')}>
          {t('customers.facts.relationshipValue', { relationship })}
        </Fact>
      )}
      {associatedPartner && (
        <Fact label={t('customers.facts.associatedPartner')}>
          <Id value={associatedPartner} />
        </Fact>
      )}
      {provider && <Fact label={t('customers.facts.provider')}>{provider}</Fact>}
      {culture && <Fact label={t('customers.facts.culture')}>{culture}</Fact>}
      {language && <Fact label={t('customers.facts.language')}>{language}</Fact>}
      {email && <Fact label={t('customers.facts.email')}>{email}</Fact>}
      {registration && <Fact label={t('customers.facts.registration')}>{registration}</Fact>}
      {address.length > 0 && (
        <Fact label={t('customers.facts.address')}>
          {address.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </Fact>
      )}
      <Fact label={t('customers.facts.currency')}>{customer.currency}</Fact>
      <Fact label={t('customers.facts.synced')}>
        {customer.syncedAt
          ? t('customers.syncedAt', { at: new Date(customer.syncedAt) })
          : t('customers.facts.neverSynced')}
      </Fact>
    </SimpleGrid>
  );
}
