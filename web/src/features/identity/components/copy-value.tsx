import { Button, CopyButton } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';

/** Copies `value` to the clipboard and says so for a moment. */
export function CopyValue({ value, label }: { value: string; label?: string }) {
  const { t } = useI18n();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
          {copied ? t('identity.copy.done') : (label ?? t('identity.copy.action'))}
        </Button>
      )}
    </CopyButton>
  );
}
