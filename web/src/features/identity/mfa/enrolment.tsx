import { Alert, Anchor, Box, Button, Code, Group, Loader, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../../lib/i18n.tsx';
import { useConfirmEnrolment, useEnrolment } from '../api/mfa.ts';
import { CodeInput } from '../components/code-input.tsx';
import { fieldError, ProblemAlert, problemText } from '../components/problem.tsx';
import { RecoveryCodes } from '../components/recovery-codes.tsx';

/** Our own server draws the QR code; anything but an SVG document is not shown. */
function QrCode({ svg, label }: { svg: string; label: string }) {
  if (!svg.trimStart().startsWith('<svg')) return null;
  return (
    // White under the code in either colour scheme: scanners want dark modules on light.
    <Box
      role="img"
      aria-label={label}
      bg="white"
      p="sm"
      w={212}
      h={212}
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: an SVG our own server generated, checked above
      dangerouslySetInnerHTML={{ __html: svg }}
      data-testid="mfa-qr"
    />
  );
}

/** The secret as an authenticator app asks for it by hand: groups of four. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/**
 * Sets up (or replaces) the authenticator app: scan or type the secret, confirm with a code, then keep
 * the recovery codes. `onDone` runs once the person says the codes are saved; with `onCancel` the
 * person may stop before confirming.
 */
export function MfaEnrolment({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const enrolment = useEnrolment();
  const confirm = useConfirmEnrolment();
  const [code, setCode] = useState('');

  if (confirm.data) return <RecoveryCodes codes={confirm.data.recoveryCodes} onSaved={onDone} />;
  if (enrolment.isPending) return <Loader aria-label={t('common.loading')} />;
  if (enrolment.isError) {
    return (
      <Alert color="red" role="alert" title={problemText(t, enrolment.error)}>
        <Button variant="light" color="red" mt="sm" onClick={() => void enrolment.refetch()}>
          {t('common.retry')}
        </Button>
      </Alert>
    );
  }

  const submit = (value: string) => {
    if (value.length === 6 && !confirm.isPending) confirm.mutate(value, { onError: () => setCode('') });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(code);
  };
  const { secret, otpauthUri, qrSvg } = enrolment.data;
  return (
    <Stack gap="md" component="form" onSubmit={onSubmit}>
      <Text>{t('identity.enrol.scan')}</Text>
      <QrCode svg={qrSvg} label={t('identity.enrol.qrLabel')} />
      <Stack gap={4}>
        <Text size="sm">{t('identity.enrol.manual')}</Text>
        <Group gap="sm" wrap="wrap">
          <Code fz="md" data-testid="mfa-secret" style={{ wordSpacing: '0.3em' }}>
            {grouped(secret)}
          </Code>
          <Anchor href={otpauthUri} size="sm" hiddenFrom="sm">
            {t('identity.enrol.openApp')}
          </Anchor>
        </Group>
      </Stack>
      <CodeInput
        value={code}
        onChange={setCode}
        onComplete={submit}
        error={fieldError(t, confirm.error, 'code')}
      />
      <ProblemAlert error={confirm.error} fields={['code']} />
      <Group>
        <Button type="submit" loading={confirm.isPending} data-testid="enrol-confirm">
          {t('identity.enrol.confirm')}
        </Button>
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            {t('identity.action.cancel')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
