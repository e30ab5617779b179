'use client';

import { RotateCcw, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { cachePatch } from '@/lib/client/optimistic';
import { trashQuery } from '@/lib/client/queries';
import { gridKeys, runKeys, sessionKeys, trayKeys } from '@/lib/client/query-keys';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { purgeAction, restoreAction } from '@/lib/server/actions/history';
import type { TrashEntry } from '@/lib/schemas/history';
import { assetUrl } from '@/lib/schemas/run';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';

const KIND: Record<TrashEntry['kind'], string> = { session: 'Session', run: 'Run', variation: 'Variation' };

export function TrashList({ initial }: { initial: TrashEntry[] }) {
  const { data: entries } = useQuery({ ...trashQuery(), initialData: initial });
  const toast = useToast();
  const trash = trashQuery().queryKey;
  const without = (e: TrashEntry) => cachePatch(trash, (list) => list.filter((x) => !(x.kind === e.kind && x.id === e.id)));
  const restore = useOptimisticAction({
    action: (e: TrashEntry) => restoreAction({ kind: e.kind, ids: [e.id] }),
    optimistic: (e) => [without(e)],
    // The restored item is back in its session's feed, grid and the session list.
    invalidate: () => [trash, runKeys.all, gridKeys.all, sessionKeys.all],
    failurePrefix: 'Not restored',
    onSaved: (_, e) => toast({ message: `${KIND[e.kind]} restored.` }),
  });
  const purge = useOptimisticAction({
    action: (e: TrashEntry) => purgeAction({ kind: e.kind, ids: [e.id] }),
    optimistic: (e) => [without(e)],
    // Tray items taken from a purged variation go with it.
    invalidate: () => [trash, trayKeys.all],
    failurePrefix: 'Not deleted',
    onSaved: (_, e) => toast({ message: `${KIND[e.kind]} deleted permanently.` }),
  });
  if (entries.length === 0) return <p className="mt-10 text-center text-sm text-muted">The trash is empty.</p>;
  return (
    <ul className="mt-6 divide-y divide-line rounded-xl border border-line bg-panel" aria-label="Deleted items">
      {entries.map((e) => (
        <TrashRow key={`${e.kind}:${e.id}`} entry={e} onRestore={() => void restore.run(e)} onPurge={() => void purge.run(e)} />
      ))}
    </ul>
  );
}

/**
 * One deleted item. "Delete permanently" asks first, in place: the row offers "Delete forever"
 * or "Cancel" (focused, so Enter on a stray double press keeps the item).
 */
function TrashRow({ entry: e, onRestore, onPurge }: { entry: TrashEntry; onRestore: () => void; onPurge: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const id = useId();
  const labelId = `${id}-label`;
  const purgeId = `${id}-purge`;
  const cancel = () => {
    setConfirming(false);
    // Back to the button that asked, once it is rendered again.
    requestAnimationFrame(() => document.getElementById(purgeId)?.focus());
  };
  return (
    <li className="flex items-center gap-3 px-4 py-2.5">
      <div className="checker size-10 shrink-0 overflow-hidden rounded">
        {e.thumbSha && <img src={assetUrl(e.thumbSha, 'thumb')} alt="" className="size-full object-cover" />}
      </div>
      <div className="min-w-0 flex-1">
        <p id={labelId} className="truncate text-sm text-ink">
          {e.label}
        </p>
        <p className="text-[11px] text-faint">
          {KIND[e.kind]} · deleted {new Date(e.deletedAt).toLocaleString()} · deleted for good on {new Date(e.purgeAt).toLocaleDateString()}
        </p>
      </div>
      {confirming ? (
        // biome-ignore lint/a11y/useSemanticElements: a fieldset would bring a legend and form styling to one row of buttons.
        <div
          role="group"
          aria-label={`Delete ${KIND[e.kind].toLowerCase()} ${e.label} permanently?`}
          className="flex items-center gap-2"
          onKeyDown={(k) => k.key === 'Escape' && cancel()}
        >
          <span className="text-xs text-muted">Its images go too. This cannot be undone.</span>
          <Button size="sm" onClick={onPurge}>
            <Trash2 size={12} aria-hidden /> Delete forever
          </Button>
          {/* The safe choice takes the focus from the button that opened the question. */}
          <Button size="sm" variant="ghost" autoFocus onClick={cancel}>
            Cancel
          </Button>
        </div>
      ) : (
        <>
          <Button size="sm" onClick={onRestore} aria-label={`Restore ${KIND[e.kind].toLowerCase()} ${e.label}`}>
            <RotateCcw size={12} aria-hidden /> Restore
          </Button>
          <Button id={purgeId} size="sm" variant="ghost" aria-describedby={labelId} onClick={() => setConfirming(true)}>
            <Trash2 size={12} aria-hidden /> Delete permanently
          </Button>
        </>
      )}
    </li>
  );
}
