import { Alert, Button, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';
import { CopyValue } from './copy-value.tsx';

/** Recovery codes, shown this once: the person copies them and says they have kept them. */
export function RecoveryCodes({ codes, onSaved }: { codes: readonly string[]; onSaved: () => void }) {
  const { t } = useI18n();
  return (
    <Stack gap="md" data-testid="recovery-codes">
      <Alert color="yellow" title={t('identity.recovery.title')}>
        {t('identity.recovery.body')}
      </Alert>
      <SimpleGrid cols={2} spacing="xs" maw={360}>
        {codes.map((code) => (
          <Code key={code} fz="md" ta="center" p={6}>
            {code}
          </Code>
        ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t('identity.recovery.once')}
      </Text>
      <Group gap="sm">
        <CopyValue value={codes.join('\n')} label={t('identity.recovery.copy')} />
        <Button onClick={onSaved} data-testid="recovery-saved">
          {t('identity.recovery.saved')}
        </Button>
      </Group>
    </Stack>
  );
}
