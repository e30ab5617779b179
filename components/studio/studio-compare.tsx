'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { runFeedQuery } from '@/lib/client/queries';
import { referenceCandidates, variationCandidates } from '@/lib/compare/candidates';
import type { CompareCandidate } from '@/lib/schemas/compare';
import type { RunDto, VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { CompareWorkspace, type CullAction } from '../compare/workspace/compare-workspace';
import { useRunEdits } from '../history/use-run-edits';

export type CompareRequest = { run: RunDto; variationId: string; loaded: RunDto[] };

type Props = { request: CompareRequest; sessionId: string; targets: Map<string, StudioTarget>; onClose: () => void };

/**
 * The compare workspace over the studio: B steps through every loaded variation (any run, any
 * provider), A starts on the run's image 1 and can be pinned to anything. B can be culled from
 * the keyboard like the grid (1–5, S, X, Z), saved through the same optimistic edits as the feed.
 */
export function StudioCompare({ request, sessionId, targets, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const edits = useRunEdits(sessionId);
  // Read the feed's cache (kept live by its edits and polling); never fetch from here.
  const feed = useInfiniteQuery({ ...runFeedQuery(sessionId), enabled: false });
  const runs = useMemo(() => feed.data?.pages.flatMap((p) => p.runs) ?? request.loaded, [feed.data, request.loaded]);
  const byId = useMemo(() => new Map(runs.flatMap((r) => r.variations.map((v) => [v.id, v] as const))), [runs]);
  const candidates = useMemo(() => variationCandidates(runs, (id) => targets.get(id)?.label ?? id), [runs, targets]);
  const references = useMemo(() => referenceCandidates(request.run), [request.run]);
  useEffect(() => ref.current?.showModal(), []);

  // Every edit lands on the edits' undo stack: Z plays back the newest, and a delete's toast
  // "Undo" takes back that delete (then Z skips it).
  const cull = (b: CompareCandidate, action: CullAction) => {
    if (action.type === 'undo') return void edits.undo.undo();
    const v: VariationDto | undefined = byId.get(b.key);
    if (!v) return;
    if (action.type === 'rate') void edits.rateVariation(v, v.rating === action.rating ? null : action.rating);
    else if (action.type === 'star') void edits.starVariation(v);
    else void edits.deleteVariation(v, b.label);
  };

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label="Compare"
      className="m-auto h-[94vh] w-[96vw] max-w-none rounded-xl border border-line bg-canvas p-0 text-ink"
    >
      <CompareWorkspace
        candidates={candidates}
        references={references}
        initialA={references[0]?.key}
        initialB={request.variationId}
        onClose={() => ref.current?.close()}
        title="Compare"
        onCull={cull}
        cullState={(key) => {
          const v = byId.get(key);
          return v && { starred: v.starred, rating: v.rating };
        }}
      />
    </dialog>
  );
}
