'use client';

import { useQuery } from '@tanstack/react-query';
import { Images } from 'lucide-react';
import { useState } from 'react';
import { isTerminal, type RunDto, type RunPage, type VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { Button } from '../ui/button';
import { RunCard } from './run-card';

export const runsKey = (sessionId: string) => ['runs', sessionId] as const;

type Props = {
  sessionId: string;
  firstPage: RunPage;
  targets: Map<string, StudioTarget>;
  onOpen: (run: RunDto, variation: VariationDto, number: number) => void;
  onUseAsReference: (variation: VariationDto) => void;
  onRetry: (variation: VariationDto) => void;
};

async function fetchPage(sessionId: string, cursor?: string): Promise<RunPage> {
  const res = await fetch(`/api/sessions/${sessionId}/runs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`Could not load runs (HTTP ${res.status}).`);
  return (await res.json()) as RunPage;
}

/**
 * The newest runs, polled while anything is queued or running so each variation appears the
 * moment it is stored; older pages load on request and are not polled.
 */
export function RunFeed({ sessionId, firstPage, targets, onOpen, onUseAsReference, onRetry }: Props) {
  const { data = firstPage, error } = useQuery({
    queryKey: runsKey(sessionId),
    queryFn: () => fetchPage(sessionId),
    initialData: firstPage,
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.variations.some((v) => !isTerminal(v.status))) ? 700 : false),
  });
  const [older, setOlder] = useState<RunDto[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const nextCursor = cursor === undefined ? data.nextCursor : cursor;
  const [loadingOlder, setLoadingOlder] = useState(false);

  const loadOlder = async () => {
    if (!nextCursor) return;
    setLoadingOlder(true);
    try {
      const page = await fetchPage(sessionId, nextCursor);
      setOlder((o) => [...o, ...page.runs]);
      setCursor(page.nextCursor);
    } finally {
      setLoadingOlder(false);
    }
  };

  const runs = [...data.runs, ...older.filter((o) => !data.runs.some((r) => r.id === o.id))];
  if (runs.length === 0) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 text-center text-muted">
        <Images size={28} aria-hidden className="text-faint" />
        <p className="text-sm font-medium text-ink">No runs yet</p>
        <p className="max-w-sm text-sm">Drop up to four images, or paste one, type what should change, and press Generate. Variations appear here side by side.</p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-[1800px] space-y-5">
      {error && (
        <p role="alert" className="text-sm text-danger">
          {(error as Error).message}
        </p>
      )}
      {runs.map((run, i) => {
        const number = data.total - i;
        return (
          <RunCard
            key={run.id}
            run={run}
            number={number}
            targets={targets}
            onOpen={(r, v) => onOpen(r, v, number)}
            onUseAsReference={onUseAsReference}
            onRetry={onRetry}
          />
        );
      })}
      {nextCursor && (
        <div className="flex justify-center">
          <Button onClick={loadOlder} disabled={loadingOlder}>
            Load older runs
          </Button>
        </div>
      )}
    </div>
  );
}
