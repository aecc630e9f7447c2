import { Alert, Button, Center, Loader } from '@mantine/core';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { navigate } from '../../../app/router.tsx';
import { useI18n } from '../../../lib/i18n.tsx';
import { useMe } from '../api/me.ts';
import type { Me, PersonKind } from '../types.ts';
import { here, signInPath, stepPath } from './steps.ts';

const SignedInContext = createContext<Me | null>(null);

/** Where someone who may not see this area goes instead, or undefined when they may. */
function redirectFor(me: Me | null, kind: PersonKind): string | undefined {
  if (me === null) return signInPath(here());
  if (me.step !== 'done') return stepPath(me.step, here());
  if (me.kind !== kind) return me.kind === 'customer' ? '/portal' : '/';
  return undefined;
}

/**
 * Shows its children only to a fully signed-in person of `kind` (staff console or customer portal);
 * anyone else is sent to sign in, to their second factor, or to their own side of the app.
 */
export function RequireSession({ kind, children }: { kind: PersonKind; children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const redirect = me.data === undefined ? undefined : redirectFor(me.data, kind);

  useEffect(() => {
    if (redirect !== undefined) navigate(redirect, { replace: true });
  }, [redirect]);

  if (me.isError && me.data === undefined) {
    return (
      <Center mih="100vh" p="md">
        <Alert color="red" title={t('common.error')}>
          <Button variant="light" color="red" mt="sm" onClick={() => void me.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      </Center>
    );
  }
  if (!me.data || redirect !== undefined) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  return <SignedInContext value={me.data}>{children}</SignedInContext>;
}

/** The signed-in person, inside <RequireSession>. */
export function useSignedIn(): Me {
  const me = useContext(SignedInContext);
  if (!me) throw new Error('useSignedIn() needs a <RequireSession> above it');
  return me;
}

/** Whether the person holds any one of `needs` (no needs: anyone signed in). */
export function holdsAny(me: Me, needs: readonly string[] | undefined): boolean {
  return needs === undefined || needs.some((permission) => me.permissions.includes(permission));
}
