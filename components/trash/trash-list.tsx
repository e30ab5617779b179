'use client';

import { RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { restoreAction } from '@/lib/server/actions/history';
import type { TrashEntry } from '@/lib/schemas/history';
import { assetUrl } from '@/lib/schemas/run';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';

const KIND: Record<TrashEntry['kind'], string> = { session: 'Session', run: 'Run', variation: 'Variation' };

export function TrashList({ initial }: { initial: TrashEntry[] }) {
  const [entries, setEntries] = useState(initial);
  const toast = useToast();
  const restore = async (e: TrashEntry) => {
    setEntries((list) => list.filter((x) => x.id !== e.id));
    const r = await restoreAction({ kind: e.kind, ids: [e.id] });
    if (!r.ok) {
      setEntries((list) => [e, ...list]);
      return toast({ tone: 'error', message: `Not restored: ${r.error.message}` });
    }
    toast({ message: `${KIND[e.kind]} restored.` });
  };
  if (entries.length === 0) return <p className="mt-10 text-center text-sm text-muted">The trash is empty.</p>;
  return (
    <ul className="mt-6 divide-y divide-line rounded-xl border border-line bg-panel" aria-label="Deleted items">
      {entries.map((e) => (
        <li key={`${e.kind}:${e.id}`} className="flex items-center gap-3 px-4 py-2.5">
          <div className="checker size-10 shrink-0 overflow-hidden rounded">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {e.thumbSha && <img src={assetUrl(e.thumbSha, 'thumb')} alt="" className="size-full object-cover" />}
          </div>
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm text-ink">{e.label}</p>
            <p className="text-[11px] text-faint">
              {KIND[e.kind]} · deleted {new Date(e.deletedAt).toLocaleString()}
            </p>
          </div>
          <Button size="sm" onClick={() => restore(e)} aria-label={`Restore ${KIND[e.kind].toLowerCase()} ${e.label}`}>
            <RotateCcw size={12} aria-hidden /> Restore
          </Button>
        </li>
      ))}
    </ul>
  );
}
