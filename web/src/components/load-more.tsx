import { Button, Group } from '@mantine/core';

/** The part of an infinite query the button needs (TanStack Query's `useInfiniteQuery` result). */
interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** "Load more" under a cursor-paged list, shown only while there is a next page. */
export function LoadMore({ query, label, testId }: { query: PagedQuery; label: string; testId?: string }) {
  if (!query.hasNextPage) return null;
  return (
    <Group>
      <Button
        variant="default"
        onClick={() => query.fetchNextPage()}
        loading={query.isFetchingNextPage}
        data-testid={testId}
      >
        {label}
      </Button>
    </Group>
  );
}
