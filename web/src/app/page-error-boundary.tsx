import { Alert, Button } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n.tsx';

function PageFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="red" role="alert" title={t('common.error')} data-testid="page-error">
      <Button variant="light" color="red" mt="sm" onClick={onRetry}>
        {t('common.retry')}
      </Button>
    </Alert>
  );
}

interface Props {
  /** The page shown; going to another one starts clean. */
  page: string;
  children: ReactNode;
}

interface State {
  page: string;
  failed: boolean;
}

/** A page that throws while rendering shows an error in its place; the shell around it stays usable. */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { page: this.props.page, failed: false };

  static getDerivedStateFromProps(props: Props, state: State): State | null {
    return props.page === state.page ? null : { page: props.page, failed: false };
  }

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return <PageFailed onRetry={() => this.setState({ failed: false })} />;
  }
}
