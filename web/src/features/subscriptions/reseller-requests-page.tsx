import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../lib/i18n.tsx';
import {
  type AccessChange,
  type ResellerRequest,
  useAnswerResellerRequest,
  useResellerRequests,
} from './api.ts';
import { ChangeOutcome, RequestProblem } from './change-outcome.tsx';

function DeclineDialog({ request, onClose }: { request: ResellerRequest; onClose: () => void }) {
  const { t } = useI18n();
  const answer = useAnswerResellerRequest();
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    answer.mutate({ id: request.id, decision: 'decline', reason: reason.trim() }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('subscriptions.requests.decline.title')} centered>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">
            {t('subscriptions.requests.decline.body', {
              action: request.action,
              name: request.subscriptionName,
              reseller: request.resellerName,
            })}
          </Text>
          <Textarea
            label={t('subscriptions.requests.decline.reason')}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            required
            autosize
            minRows={2}
            data-testid="decline-reason"
          />
          <RequestProblem error={answer.error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('subscriptions.action.back')}
            </Button>
            <Button type="submit" color="red" loading={answer.isPending} disabled={reason.trim() === ''}>
              {t('subscriptions.requests.decline.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * `/staff/reseller-requests` (subscriptions.suspend): an indirect provider carries out, or declines, the
 * suspensions and reactivations its resellers asked for; only the provider transacts with Microsoft.
 */
export function ResellerRequestsPage() {
  const { t } = useI18n();
  const requests = useResellerRequests();
  const carryOut = useAnswerResellerRequest();
  const [declining, setDeclining] = useState<ResellerRequest | null>(null);
  const [outcome, setOutcome] = useState<{ name: string; change: AccessChange } | null>(null);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('subscriptions.requests.title')}</Title>
        <Text c="dimmed">{t('subscriptions.requests.intro')}</Text>
      </Stack>
      {outcome && (
        <ChangeOutcome
          change={outcome.change}
          name={outcome.name}
          provider={null}
          onClose={() => setOutcome(null)}
        />
      )}
      <RequestProblem error={carryOut.error} />
      {requests.isPending && <Loader aria-label={t('common.loading')} />}
      {requests.isError && (
        <Alert color="red" role="alert" title={t('subscriptions.requests.error.load')}>
          <Button variant="light" color="red" size="xs" onClick={() => requests.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {requests.data?.length === 0 && <Text c="dimmed">{t('subscriptions.requests.empty')}</Text>}
      {requests.data && requests.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" data-testid="reseller-requests">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('subscriptions.requests.column.reseller')}</Table.Th>
                <Table.Th>{t('subscriptions.requests.column.subscription')}</Table.Th>
                <Table.Th>{t('subscriptions.requests.column.action')}</Table.Th>
                <Table.Th>{t('subscriptions.requests.column.asked')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {requests.data.map((request) => (
                <Table.Tr key={request.id} data-testid="reseller-request">
                  <Table.Td>
                    <Text size="sm">{request.resellerName}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {request.subscriptionName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {request.customerName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={request.action === 'suspend' ? 'orange' : 'teal'} variant="light">
                      {t('subscriptions.action.do', { action: request.action })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t('subscriptions.requests.askedAt', { at: new Date(request.createdAt) })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        loading={carryOut.isPending && carryOut.variables?.id === request.id}
                        onClick={() =>
                          carryOut.mutate(
                            { id: request.id, decision: 'carry-out' },
                            { onSuccess: (change) => setOutcome({ name: request.subscriptionName, change }) },
                          )
                        }
                        data-testid="carry-out"
                      >
                        {t('subscriptions.requests.carryOut')}
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setDeclining(request)}>
                        {t('subscriptions.requests.decline.open')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {declining && <DeclineDialog request={declining} onClose={() => setDeclining(null)} />}
    </Stack>
  );
}
