import { Badge, Group } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';
import { roleLabel } from './roles.ts';

/** A person's roles, each under its name in the page's language. */
export function RoleBadges({ roles, gap }: { roles: readonly string[]; gap: number }) {
  const { t } = useI18n();
  return (
    <Group gap={gap}>
      {roles.map((role) => (
        <Badge key={role} variant="light" tt="none">
          {roleLabel(t, role)}
        </Badge>
      ))}
    </Group>
  );
}
