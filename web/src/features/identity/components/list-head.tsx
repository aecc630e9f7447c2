import { Table, VisuallyHidden } from '@mantine/core';
import { useI18n } from '../../../lib/i18n.tsx';

/** A list's column headings, then the rows' actions, named for screen readers only. */
export function ListHead({ columns }: { columns: readonly string[] }) {
  const { t } = useI18n();
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((label) => (
          <Table.Th key={label}>{label}</Table.Th>
        ))}
        <Table.Th>
          <VisuallyHidden>{t('identity.users.actions')}</VisuallyHidden>
        </Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}
