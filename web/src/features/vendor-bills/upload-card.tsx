import { Alert, Anchor, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { type DragEvent, useRef, useState } from 'react';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { type UploadAnswer, uploadImport, useImport, useSeedImport } from './api.ts';
import { useVendorFormats } from './format.ts';
import { ImportOutcome } from './import-outcome.tsx';
import { ProblemAlert } from './problem-alert.tsx';

type Upload =
  | { phase: 'idle' }
  | { phase: 'sending'; fileName: string; sent: number; total: number }
  | { phase: 'refused'; fileName: string; error: unknown }
  | { phase: 'importing'; fileName: string; answer: UploadAnswer };

const ACCEPTED = /\.csv(\.gz)?$/i;

/** The import a finished upload started, followed until it is done. */
function Importing({ answer }: { answer: UploadAnswer }) {
  const { t } = useI18n();
  const found = useImport(answer.import.id);
  const view = found.data ?? { ...answer.import, deliveries: [] };
  return (
    <Stack gap="xs">
      <ImportOutcome view={view} />
      <Anchor
        component={Link}
        to={`/staff/vendor-bills/imports/${view.id}`}
        size="sm"
        data-testid="import-open"
      >
        {t('vendorBills.import.open')}
      </Anchor>
    </Stack>
  );
}

/**
 * Drop a reconciliation file (or choose one): the upload's own progress while the browser sends it, then
 * the import's progress until the server has read it, and what came of it.
 */
export function UploadCard() {
  const { t } = useI18n();
  const formats = useVendorFormats();
  const seed = useSeedImport();
  const input = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const [wrongFile, setWrongFile] = useState<string | null>(null);

  const send = (file: File) => {
    if (!ACCEPTED.test(file.name)) {
      setWrongFile(file.name);
      return;
    }
    setWrongFile(null);
    setUpload({ phase: 'sending', fileName: file.name, sent: 0, total: file.size });
    uploadImport(file, (sent, total) => setUpload({ phase: 'sending', fileName: file.name, sent, total }))
      .then((answer) => {
        seed(answer.import);
        setUpload({ phase: 'importing', fileName: file.name, answer });
      })
      .catch((error: unknown) => setUpload({ phase: 'refused', fileName: file.name, error }));
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) send(file);
  };

  const sending = upload.phase === 'sending';
  return (
    <Paper withBorder p="md" radius="md" data-testid="upload-card">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('vendorBills.upload.title')}
        </Title>
        <Paper
          p="lg"
          radius="md"
          bg={dragging ? 'var(--mantine-color-blue-light)' : undefined}
          style={{ border: '2px dashed var(--mantine-color-default-border)', textAlign: 'center' }}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
          data-testid="upload-drop"
        >
          <Stack gap="xs" align="center">
            <Text size="sm">{t('vendorBills.upload.drop')}</Text>
            <Button variant="light" onClick={() => input.current?.click()} disabled={sending}>
              {t('vendorBills.upload.choose')}
            </Button>
            <Text size="xs" c="dimmed">
              {t('vendorBills.upload.hint')}
            </Text>
          </Stack>
          <input
            ref={input}
            type="file"
            accept=".csv,.gz"
            hidden
            data-testid="upload-input"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              // Cleared, so choosing the same file again (after fixing it) is a change too.
              event.currentTarget.value = '';
              if (file) send(file);
            }}
          />
        </Paper>

        {wrongFile !== null && (
          <Alert color="orange" data-testid="upload-wrong-file">
            {t('vendorBills.upload.wrongFile', { file: wrongFile })}
          </Alert>
        )}

        {upload.phase !== 'idle' && (
          <Text size="sm" fw={500} data-testid="upload-file">
            {upload.fileName}
          </Text>
        )}
        {upload.phase === 'sending' && (
          <Stack gap={4} data-testid="upload-progress">
            <Progress
              value={upload.total === 0 ? 100 : (100 * upload.sent) / upload.total}
              aria-label={t('vendorBills.upload.sendingLabel')}
            />
            <Text size="sm" c="dimmed">
              {t('vendorBills.upload.sending', {
                sent: formats.bytes(upload.sent),
                total: formats.bytes(upload.total),
              })}
            </Text>
          </Stack>
        )}
        {upload.phase === 'refused' && (
          <ProblemAlert error={upload.error} title={t('vendorBills.upload.refused')} />
        )}
        {upload.phase === 'importing' && <Importing key={upload.answer.import.id} answer={upload.answer} />}
        {(upload.phase === 'importing' || upload.phase === 'refused') && (
          <Group>
            <Button variant="subtle" size="xs" onClick={() => setUpload({ phase: 'idle' })}>
              {t('vendorBills.upload.clear')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
