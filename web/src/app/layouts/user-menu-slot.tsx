import { Avatar } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useSignedIn } from '../../features/identity/index.ts';

// The menu's popover machinery is a good part of a bundle; the first screen need not wait for it.
const UserMenu = lazy(() =>
  import('../../features/identity/user-menu.tsx').then((module) => ({ default: module.UserMenu })),
);

/** The header's person menu, with the person's initials in its place while it loads. */
export function UserMenuSlot({ profilePath }: { profilePath: string }) {
  const me = useSignedIn();
  return (
    <Suspense fallback={<Avatar name={me.name} color="initials" size={26} mx={4} />}>
      <UserMenu profilePath={profilePath} />
    </Suspense>
  );
}
