import { Avatar, Button, Menu, Text } from '@mantine/core';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { useSignOut } from './api/auth.ts';
import { useSignedIn } from './session/require-session.tsx';

/** The header's person menu: who is signed in, where, their profile, and signing out. */
export function UserMenu({ profilePath }: { profilePath: string }) {
  const { t } = useI18n();
  const me = useSignedIn();
  const signOut = useSignOut();
  const organisation = me.customer?.name ?? me.partner.displayName;
  return (
    <Menu position="bottom-end" width={260}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px={4}
          data-testid="user-menu"
          aria-label={t('identity.menu.label', { name: me.name })}
          leftSection={<Avatar name={me.name} color="initials" size={26} />}
        >
          <Text span size="sm" maw={160} truncate visibleFrom="sm">
            {me.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.name}
          </Text>
          <Text size="xs" truncate>
            {me.email}
          </Text>
          <Text size="xs" truncate>
            {organisation}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to={profilePath}>
          {t('identity.menu.profile')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item data-testid="sign-out" onClick={() => signOut.mutate(false)}>
          {t('shell.signOut')}
        </Menu.Item>
        <Menu.Item onClick={() => signOut.mutate(true)}>{t('identity.menu.signOutEverywhere')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
