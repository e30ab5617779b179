'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { gridQuery } from '@/lib/client/queries';
import { flattenGrid, gridTotal } from '@/lib/grid/cache';

/**
 * The session's variations, flattened in server order (paging and polling: `gridQuery`), so a
 * grid opened mid-run fills itself in.
 */
export function useGridData(sessionId: string) {
  const query = useInfiniteQuery(gridQuery(sessionId));
  const items = useMemo(() => flattenGrid(query.data), [query.data]);
  return {
    items,
    total: gridTotal(query.data),
    isPending: query.isPending,
    error: query.error,
    refetch: query.refetch,
    hasNextPage: query.hasNextPage,
    isFetchingNextPage: query.isFetchingNextPage,
    fetchNextPage: query.fetchNextPage,
  };
}
