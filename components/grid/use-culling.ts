'use client';

import { useQueryClient } from '@tanstack/react-query';
import { allResults, cachePatch, sendAfter } from '@/lib/client/optimistic';
import { gridQuery } from '@/lib/client/queries';
import { runKeys, trayKeys } from '@/lib/client/query-keys';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { useUndo } from '@/lib/client/use-undo';
import { findItems, flattenGrid } from '@/lib/grid/cache';
import { chunk, callsFor, describeEntry, nextRating, nextStar, patchFor, ratingEntry, rejectEntry, starEntry } from '@/lib/grid/undo';
import type { CullCall, CullEntry, Direction } from '@/lib/grid/undo';
import { addToTrayAction, deleteAction, rateAction, restoreAction, starAction } from '@/lib/server/actions/history';
import type { GridItem } from '@/lib/schemas/history';
import { useToast } from '../ui/toaster';

function send(call: CullCall) {
  switch (call.op) {
    case 'rate':
      return rateAction({ kind: 'variation', ids: call.ids, rating: call.rating });
    case 'star':
      return starAction({ kind: 'variation', ids: call.ids, starred: call.starred });
    case 'delete':
      return deleteAction({ kind: 'variation', ids: call.ids });
    case 'restore':
      return restoreAction({ kind: 'variation', ids: call.ids });
  }
}

/**
 * What an edit acts on: fixed ids (a selection), or a function picking them from the items as
 * they are when the edit's turn comes — "the focused cell" must mean the cell focused after the
 * previous X removed its item, not the one that was there when the key went down.
 */
export type Targets = readonly string[] | ((items: GridItem[]) => string[]);

const flip = (d: Direction): Direction => (d === 'do' ? 'undo' : 'do');

type Step = { entry: CullEntry; direction: Direction; after?: Promise<boolean> };

/**
 * Optimistic culling edits on the shared undo stack (20 steps). Edits are prepared one at a time
 * in the stack's lane, so each entry records the values left by the edit before it, even when
 * keys are pressed faster than the cache settles; the server calls then run in parallel. A
 * failure plays the entry backwards on the *current* cache (not a stale snapshot), so other
 * edits made meanwhile survive the rollback.
 */
export function useCulling(sessionId: string) {
  const qc = useQueryClient();
  const toast = useToast();
  const undo = useUndo<CullEntry>();
  const key = gridQuery(sessionId).queryKey;
  const read = () => qc.getQueryData(key);

  const save = useOptimisticAction({
    action: ({ entry, direction, after }: Step) => sendAfter(after, () => allResults(callsFor(entry, direction).map(send))),
    optimistic: ({ entry, direction }) => [cachePatch(key, patchFor(entry, direction), patchFor(entry, flip(direction)))],
    invalidate: () => [runKeys.feed(sessionId)],
    failurePrefix: ({ direction }) => (direction === 'do' ? 'Not saved' : 'Undo failed'),
  });

  function edit(
    build: (items: GridItem[], id: number) => CullEntry | null,
    targets: Targets,
    onSaved?: (entry: CullEntry) => void,
  ): Promise<CullEntry | null> {
    return undo.enqueue(async () => {
      // No refetch may land between reading the items and patching them.
      await qc.cancelQueries({ queryKey: key });
      const data = read();
      const ids = typeof targets === 'function' ? targets(flattenGrid(data)) : targets;
      const entry = build(findItems(data, ids), undo.nextId());
      if (!entry) return null;
      const { shown, saved } = save.start({ entry, direction: 'do' });
      undo.push(
        { id: entry.id, label: describeEntry(entry), value: entry, revert: () => save.start({ entry, direction: 'undo', after: saved }) },
        saved,
      );
      if (onSaved) void saved.then((ok) => ok && onSaved(entry));
      await shown;
      return entry;
    });
  }

  const tray = useOptimisticAction({
    action: async (items: { assetId: string; variationId: string }[]) =>
      allResults(chunk(items, 200).map((c) => addToTrayAction({ items: c }))),
    invalidate: () => [trayKeys.all],
    failurePrefix: 'Not added',
    onSaved: (results) => {
      const added = results.reduce((n, r) => n + r.count, 0);
      toast({ message: `Added to the compare tray (${added} image${added === 1 ? '' : 's'}).` });
    },
  });

  return {
    /** `value`: the key pressed, 1–5 (again on the same rating clears it) or 0 (clears). */
    rate: (targets: Targets, value: number) => edit((items, id) => ratingEntry(id, items, nextRating(items, value)), targets),
    toggleStar: (targets: Targets) => edit((items, id) => starEntry(id, items, nextStar(items)), targets),
    setStar: (targets: Targets, starred: boolean) => edit((items, id) => starEntry(id, items, starred), targets),
    /** `announce`: the bulk bar's delete says so in a toast with Undo (12 s); X stays quiet. */
    reject: (targets: Targets, announce = false) =>
      edit(
        (items, id) => rejectEntry(id, items),
        targets,
        (entry) => announce && undo.offer(entry, `${describeEntry(entry)}.`, 12_000),
      ),
    /** Z (newest entry) or a toast's Undo (that entry). Resolves to the entry played back. */
    undo: (id?: number) => undo.undo(id).then((e) => e?.value ?? null),
    addToTray: async (ids: readonly string[]) => {
      const items = findItems(read(), ids).flatMap((v) => (v.output ? [{ assetId: v.output.id, variationId: v.id }] : []));
      if (items.length === 0) return toast({ tone: 'error', message: 'None of the selected variations has an image yet.' });
      await tray.run(items);
    },
    /** The loaded items right now, for callers that act after an await. */
    current: () => flattenGrid(read()),
  };
}
