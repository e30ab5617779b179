'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { Images } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { runFeedQuery } from '@/lib/client/queries';
import type { RunDto, RunPage, VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { useRunEdits } from '../history/use-run-edits';
import { Button } from '../ui/button';
import { RunCard } from './run-card';

type Props = {
  sessionId: string;
  firstPage: RunPage;
  targets: Map<string, StudioTarget>;
  onOpen: (run: RunDto, variation: VariationDto, loaded: RunDto[]) => void;
  onUseAsReference: (variation: VariationDto) => void;
  onRetry: (variation: VariationDto) => void;
  onRerun: (run: RunDto) => void;
  onTweak: (run: RunDto) => void;
};

/**
 * Newest runs first, a page at a time on a cursor, starting from the page the server rendered. While
 * anything is queued or running the loaded pages are polled (`runFeedQuery`), so each variation
 * appears the moment it is stored.
 */
export function RunFeed({ sessionId, firstPage, targets, onOpen, onUseAsReference, onRetry, onRerun, onTweak }: Props) {
  const edits = useRunEdits(sessionId);
  const { data, error, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery({
    ...runFeedQuery(sessionId),
    initialData: { pages: [firstPage], pageParams: [undefined] },
  });
  const runs = data.pages.flatMap((p) => p.runs);
  // Older runs load as the end of the feed comes near; the button stays for keyboards and as a fallback.
  const older = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = older.current;
    if (!el || !hasNextPage || isFetchingNextPage || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void fetchNextPage();
      },
      { rootMargin: '800px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (runs.length === 0) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 text-center text-muted">
        <Images size={28} aria-hidden className="text-faint" />
        <p className="text-sm font-medium text-ink">No runs yet</p>
        <p className="max-w-sm text-sm">
          Drop up to four images, or paste one, type what should change, and press Generate. Variations appear here side by side.
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-[1800px] space-y-5">
      {error && (
        <p role="status" className="rounded-md border border-line bg-raised px-3 py-2 text-sm text-muted">
          {error instanceof TypeError ? 'Reconnecting to the server… your runs are safe and will update when it is back.' : error.message}
        </p>
      )}
      {runs.map((run) => (
        <RunCard
          key={run.id}
          run={run}
          targets={targets}
          edits={edits}
          onOpen={(r, v) => onOpen(r, v, runs)}
          onUseAsReference={onUseAsReference}
          onRetry={onRetry}
          onRerun={onRerun}
          onTweak={onTweak}
        />
      ))}
      {hasNextPage && (
        <div ref={older} className="flex justify-center">
          <Button onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
            Load older runs
          </Button>
        </div>
      )}
    </div>
  );
}
