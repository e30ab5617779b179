'use client';

import { RotateCcw } from 'lucide-react';
import { useQuery } from '@tanstack/react-query';
import { cachePatch } from '@/lib/client/optimistic';
import { trashQuery } from '@/lib/client/queries';
import { gridKeys, runKeys, sessionKeys } from '@/lib/client/query-keys';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { restoreAction } from '@/lib/server/actions/history';
import type { TrashEntry } from '@/lib/schemas/history';
import { assetUrl } from '@/lib/schemas/run';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';

const KIND: Record<TrashEntry['kind'], string> = { session: 'Session', run: 'Run', variation: 'Variation' };

export function TrashList({ initial }: { initial: TrashEntry[] }) {
  const { data: entries } = useQuery({ ...trashQuery(), initialData: initial });
  const toast = useToast();
  const trash = trashQuery().queryKey;
  const restore = useOptimisticAction({
    action: (e: TrashEntry) => restoreAction({ kind: e.kind, ids: [e.id] }),
    optimistic: (e) => [cachePatch(trash, (list) => list.filter((x) => !(x.kind === e.kind && x.id === e.id)))],
    // The restored item is back in its session's feed, grid and the session list.
    invalidate: () => [trash, runKeys.all, gridKeys.all, sessionKeys.all],
    failurePrefix: 'Not restored',
    onSaved: (_, e) => toast({ message: `${KIND[e.kind]} restored.` }),
  });
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
          <Button size="sm" onClick={() => void restore.run(e)} aria-label={`Restore ${KIND[e.kind].toLowerCase()} ${e.label}`}>
            <RotateCcw size={12} aria-hidden /> Restore
          </Button>
        </li>
      ))}
    </ul>
  );
}
