import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';
import { ProblemAlert } from './problem.tsx';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  error: unknown;
}

/** Asks before something hard to undo (deactivating a person, revoking a token). */
export function ConfirmModal(props: ConfirmModalProps) {
  const { t } = useI18n();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Stack gap="md">
        <Text>{props.message}</Text>
        <ProblemAlert error={props.error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onClose}>
            {t('identity.action.cancel')}
          </Button>
          <Button color="red" loading={props.pending} onClick={props.onConfirm} data-testid="confirm">
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
