'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { cachePatch } from '@/lib/client/optimistic';
import { trayQuery } from '@/lib/client/queries';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { clearTrayAction, removeFromTrayAction } from '@/lib/server/actions/history';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { AddToGallery } from '../galleries/add-to-gallery';
import { Button } from '../ui/button';
import { CompareGrid } from './workspace/compare-grid';
import { CompareWorkspace } from './workspace/compare-workspace';

/** The tray as a labelled grid; any two open in the A/B workspace. */
export function TrayCompare({ initial }: { initial: CompareCandidate[] }) {
  const { data: items } = useQuery({ ...trayQuery(), initialData: initial });
  const [ab, setAb] = useState<{ a: string; b: string } | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (ab) dialog.current?.showModal();
  }, [ab]);

  // The sidebar's count reads the same cache, so it follows every removal at once.
  const tray = trayQuery().queryKey;
  const remove = useOptimisticAction({
    action: (item: CompareCandidate) => removeFromTrayAction([{ assetId: item.asset.id }]),
    optimistic: (item) => [cachePatch(tray, (list) => list.filter((i) => i.key !== item.key))],
    invalidate: () => [tray],
    failurePrefix: '',
  });
  const clear = useOptimisticAction({
    action: () => clearTrayAction(),
    optimistic: () => [cachePatch(tray, () => [])],
    invalidate: () => [tray],
    failurePrefix: '',
  });

  const removeKey = (key: string) => {
    const item = items.find((i) => i.key === key);
    if (item) void remove.run(item);
  };

  if (items.length === 0) {
    return (
      <p className="mt-10 text-center text-sm text-muted">
        The tray is empty. Add images from a run, the grid or the lineage with “Add to compare tray”.
      </p>
    );
  }
  return (
    <div className="mt-5 flex-1">
      <div className="mb-3 flex justify-end gap-2">
        <AddToGallery selection={() => ({ items: items.map((i) => ({ assetId: i.asset.id, variationId: i.variationId })) })} />
        <Button size="sm" onClick={() => void clear.run(undefined)}>
          Clear tray
        </Button>
      </div>
      <CompareGrid items={items} onRemove={removeKey} onOpenAB={(a, b) => setAb({ a, b })} />
      {ab && (
        <dialog
          ref={dialog}
          onClose={() => setAb(null)}
          aria-label="Compare"
          className="m-auto h-[94vh] w-[96vw] max-w-none rounded-xl border border-line bg-canvas p-0 text-ink"
        >
          <CompareWorkspace
            candidates={items}
            references={items.filter((i) => i.kind === 'reference')}
            initialA={ab.a}
            initialB={ab.b}
            onClose={() => dialog.current?.close()}
            title="Compare tray"
          />
        </dialog>
      )}
    </div>
  );
}
