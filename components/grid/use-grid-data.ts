'use client';

import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { useMemo } from 'react';
import { flattenGrid, gridTotal, hasLiveItems } from '@/lib/grid/cache';
import type { GridPage } from '@/lib/server/history/grid';

export const GRID_PAGE_SIZE = 120;
export const gridKey = (sessionId: string) => ['grid', sessionId] as const;
export type GridData = InfiniteData<GridPage, string | null>;

async function fetchGridPage(sessionId: string, cursor: string | null, signal: AbortSignal): Promise<GridPage> {
  const qs = new URLSearchParams({ limit: String(GRID_PAGE_SIZE), ...(cursor ? { cursor } : {}) });
  const res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/variations?${qs}`, { cache: 'no-store', signal });
  if (!res.ok) throw new Error(`Could not load the variations (HTTP ${res.status}).`);
  return (await res.json()) as GridPage;
}

/**
 * The session's variations, 120 at a time, flattened in server order. Polls every 5 s only while
 * a loaded variation is still queued or running, so a grid opened mid-run fills itself in.
 */
export function useGridData(sessionId: string) {
  const query = useInfiniteQuery({
    queryKey: gridKey(sessionId),
    queryFn: ({ pageParam, signal }) => fetchGridPage(sessionId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (q) => (hasLiveItems(q.state.data) ? 5000 : false),
  });
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
