'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { clearTrayAction, removeFromTrayAction } from '@/lib/server/actions/history';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';
import { CompareGrid } from './workspace/compare-grid';
import { CompareWorkspace } from './workspace/compare-workspace';

/** The tray as a labelled grid; any two open in the A/B workspace. */
export function TrayCompare({ initial }: { initial: CompareCandidate[] }) {
  const [items, setItems] = useState(initial);
  const [ab, setAb] = useState<{ a: string; b: string } | null>(null);
  const toast = useToast();
  const qc = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (ab) dialog.current?.showModal();
  }, [ab]);

  const remove = async (key: string) => {
    const item = items.find((i) => i.key === key);
    if (!item) return;
    setItems((list) => list.filter((i) => i.key !== key));
    const r = await removeFromTrayAction([{ assetId: item.asset.id }]);
    if (!r.ok) {
      setItems((list) => [...list, item]);
      return toast({ tone: 'error', message: r.error.message });
    }
    void qc.invalidateQueries({ queryKey: ['tray'] });
  };

  if (items.length === 0) {
    return <p className="mt-10 text-center text-sm text-muted">The tray is empty. Add images from a run, the grid or the lineage with “Add to compare tray”.</p>;
  }
  return (
    <div className="mt-5 flex-1">
      <div className="mb-3 flex justify-end">
        <Button
          size="sm"
          onClick={async () => {
            const before = items;
            setItems([]);
            const r = await clearTrayAction();
            if (!r.ok) setItems(before);
            void qc.invalidateQueries({ queryKey: ['tray'] });
          }}
        >
          Clear tray
        </Button>
      </div>
      <CompareGrid items={items} onRemove={remove} onOpenAB={(a, b) => setAb({ a, b })} />
      {ab && (
        <dialog ref={dialog} onClose={() => setAb(null)} aria-label="Compare" className="m-auto h-[94vh] w-[96vw] max-w-none rounded-xl border border-line bg-canvas p-0 text-ink">
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
