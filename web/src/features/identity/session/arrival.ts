import { useEffect, useState } from 'react';
import { navigate } from '../../../app/router.tsx';
import { useMe } from '../api/me.ts';
import type { Step } from '../types.ts';
import { signInPath, stepPath } from './steps.ts';

/**
 * For the pages of the second factor: on arrival, sends anyone who is not at `step` to where they
 * belong. Decided once, so the page itself says when to move on (after the recovery codes are saved,
 * say) however the session changes meanwhile. True when the person may stay.
 */
export function useArrivalAtStep(step: Exclude<Step, 'done'>, next: string): boolean {
  const { data: me } = useMe();
  const [stay, setStay] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (stay !== undefined || me === undefined) return;
    const target = me === null ? signInPath(next) : me.step === step ? undefined : stepPath(me.step, next);
    setStay(target === undefined);
    if (target !== undefined) navigate(target, { replace: true });
  }, [stay, me, step, next]);
  return stay === true;
}
