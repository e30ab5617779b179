'use client';

import { useEffect, useMemo, useRef } from 'react';
import { referenceCandidates, variationCandidates } from '@/lib/compare/candidates';
import type { RunDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { CompareWorkspace } from '../compare/workspace/compare-workspace';

export type CompareRequest = { run: RunDto; variationId: string; loaded: RunDto[] };

/**
 * Opens the compare workspace over the studio: B steps through every loaded variation (any run,
 * any provider), A starts on the run's image 1 and can be pinned to anything.
 */
export function StudioCompare({ request, targets, onClose }: { request: CompareRequest; targets: Map<string, StudioTarget>; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const candidates = useMemo(() => variationCandidates(request.loaded, (id) => targets.get(id)?.label ?? id), [request.loaded, targets]);
  const references = useMemo(() => referenceCandidates(request.run), [request.run]);
  useEffect(() => ref.current?.showModal(), []);
  return (
    <dialog ref={ref} onClose={onClose} aria-label="Compare" className="m-auto h-[94vh] w-[96vw] max-w-none rounded-xl border border-line bg-canvas p-0 text-ink">
      <CompareWorkspace
        candidates={candidates}
        references={references}
        initialA={references[0]?.key}
        initialB={request.variationId}
        onClose={() => ref.current?.close()}
        title="Compare"
      />
    </dialog>
  );
}
