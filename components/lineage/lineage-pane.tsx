'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { fetchLineagePage, lineageQuery, type LineagePages } from '@/lib/client/queries';
import { mergeLineagePages, moreKey, type MoreRequest } from '@/lib/lineage/forest';
import type { LineageRun } from '@/lib/schemas/lineage';
import { useRunEdits } from '../history/use-run-edits';
import { useStudio } from '../studio/studio';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';
import { LineageView } from './lineage-view';

/**
 * The session's lineage tree, a page at a time (lineageQuery): the latest runs first, "show
 * more" where a run has more below it than was sent. Kept current like the run feed.
 */
export function LineagePane() {
  const { session, forkFrom } = useStudio();
  const edits = useRunEdits(session.id);
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = lineageQuery(session.id);
  const { data, error, isPending, refetch } = useQuery(query);
  const forest = useMemo(() => (data ? mergeLineagePages(data.pages) : null), [data]);
  const [loading, setLoading] = useState<ReadonlySet<string>>(() => new Set());
  const asking = useRef(new Set<string>());

  const showMore = useCallback(
    async (request: MoreRequest) => {
      const key = moreKey(request);
      if (asking.current.has(key)) return;
      asking.current.add(key);
      setLoading(new Set(asking.current));
      try {
        const page = await fetchLineagePage(session.id, request);
        queryClient.setQueryData<LineagePages>(query.queryKey, (old) =>
          old ? { pages: [...old.pages, page], pageParams: [...old.pageParams, request] } : old,
        );
      } catch (e) {
        toast({ tone: 'error', message: e instanceof TypeError ? 'The server did not answer; try again.' : (e as Error).message });
      } finally {
        asking.current.delete(key);
        setLoading(new Set(asking.current));
      }
    },
    [query.queryKey, queryClient, session.id, toast],
  );

  if (isPending) {
    return (
      <p role="status" className="flex items-center justify-center gap-2 py-16 text-sm text-muted">
        <Loader2 size={16} className="animate-spin" aria-hidden /> Loading the lineage…
      </p>
    );
  }
  if (!forest) {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 text-sm text-danger">
        {error instanceof TypeError ? 'The server did not answer.' : (error?.message ?? 'The lineage could not be loaded.')}
        <Button size="sm" onClick={() => void refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  const find = (variationId: string): { run: LineageRun; v: LineageRun['variations'][number] } | undefined => {
    for (const page of data?.pages ?? []) {
      for (const { run } of page.nodes) {
        const v = run.variations.find((x) => x.id === variationId);
        if (v) return { run, v };
      }
    }
    return undefined;
  };
  return (
    <LineageView
      forest={forest}
      onShowMore={showMore}
      loading={loading}
      onFork={(variationId) => {
        const found = find(variationId);
        if (found?.v.output) forkFrom(found.v.id, found.v.output, `run-${found.run.number}-variation-${found.v.index + 1}`);
      }}
      onAddToTray={(variationId) => {
        const found = find(variationId);
        if (found?.v.output) void edits.addToTray([{ assetId: found.v.output.id, variationId }]);
      }}
    />
  );
}
