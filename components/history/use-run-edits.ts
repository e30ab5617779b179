'use client';

import { gridKeys, sessionKeys, trayKeys } from '@/lib/client/query-keys';
import { runFeedQuery } from '@/lib/client/queries';
import { cachePatch, sendAfter, type OptimisticPatch } from '@/lib/client/optimistic';
import { patchFeed, removeFromFeed, type FeedTarget } from '@/lib/client/run-feed-cache';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { useUndo } from '@/lib/client/use-undo';
import { addToTrayAction, deleteAction, noteAction, rateAction, restoreAction, starAction } from '@/lib/server/actions/history';
import { cancelVariationsAction } from '@/lib/server/actions/runs';
import type { RunDto, VariationDto } from '@/lib/schemas/run';
import { useToast } from '../ui/toaster';

/** One edit of the feed, with the value it replaces, so it can be rolled back and undone. */
type FeedEdit =
  | { op: 'star'; target: FeedTarget; value: boolean; before: boolean }
  | { op: 'rate'; target: FeedTarget; value: number | null; before: number | null }
  | { op: 'note'; target: FeedTarget; value: string; before: string }
  | { op: 'cancel' | 'delete' | 'restore'; target: FeedTarget };

/** The edit that takes `e` back; null when it cannot be taken back (a cancel). */
function inverse(e: FeedEdit): FeedEdit | null {
  switch (e.op) {
    case 'star':
    case 'rate':
    case 'note':
      return { ...e, value: e.before, before: e.value } as FeedEdit;
    case 'delete':
      return { op: 'restore', target: e.target };
    case 'restore':
      return { op: 'delete', target: e.target };
    case 'cancel':
      return null;
  }
}

function send(e: FeedEdit) {
  const { kind, id } = e.target;
  switch (e.op) {
    case 'star':
      return starAction({ kind, ids: [id], starred: e.value });
    case 'rate':
      return rateAction({ kind, ids: [id], rating: e.value });
    case 'note':
      return noteAction({ kind, id, note: e.value });
    case 'delete':
      return deleteAction({ kind, ids: [id] });
    case 'restore':
      return restoreAction({ kind, ids: [id] });
    case 'cancel':
      return cancelVariationsAction({ variationIds: [id] });
  }
}

type Input = { edit: FeedEdit; after?: Promise<boolean> };

/**
 * Every edit of the feed is saved on the server at once and shown before the answer
 * (optimistic); a refusal or a network failure rolls the screen back and says so. Stars,
 * ratings, notes and deletes go on this instance's undo stack (`undo`): a delete's toast
 * offers "Undo" for that entry, and the compare workspace's Z plays back the newest.
 */
export function useRunEdits(sessionId: string) {
  const toast = useToast();
  const undo = useUndo();
  const feedKey = runFeedQuery(sessionId).queryKey;

  const patches = ({ edit: e }: Input): OptimisticPatch[] => {
    switch (e.op) {
      case 'star':
        return [cachePatch(feedKey, patchFeed(e.target, { starred: e.value }), patchFeed(e.target, { starred: e.before }))];
      case 'rate':
        return [cachePatch(feedKey, patchFeed(e.target, { rating: e.value }), patchFeed(e.target, { rating: e.before }))];
      case 'note':
        return [cachePatch(feedKey, patchFeed(e.target, { note: e.value }), patchFeed(e.target, { note: e.before }))];
      case 'cancel':
        return [
          cachePatch(feedKey, patchFeed(e.target, { status: 'cancelled', errorCode: 'cancelled', errorMessage: 'Cancelled by you.' })),
        ];
      case 'delete':
        return [cachePatch(feedKey, removeFromFeed(e.target))];
      case 'restore':
        return [];
    }
  };

  const edit = useOptimisticAction({
    action: ({ edit: e, after }: Input) => sendAfter(after, () => send(e)),
    optimistic: patches,
    // A restore is not patched in: the feed refetches to put the item back in its place.
    invalidate: ({ edit: e }) => [gridKeys.session(sessionId), sessionKeys.all, ...(e.op === 'restore' ? [feedKey] : [])],
  });

  /** Saves `e`; undoable edits go on the stack, and come off it again if refused. */
  const apply = (e: FeedEdit) => {
    const { saved } = edit.start({ edit: e });
    const back = inverse(e);
    if (!back) return { saved, entry: null };
    const entry = { id: undo.nextId(), label: e.op, value: undefined, revert: () => edit.start({ edit: back, after: saved }) };
    undo.push(entry, saved);
    return { saved, entry };
  };

  const remove = async (target: FeedTarget, message: string) => {
    const { saved, entry } = apply({ op: 'delete', target });
    if ((await saved) && entry) undo.offer(entry, message);
  };

  const tray = useOptimisticAction({
    action: (items: { assetId: string; variationId?: string }[]) => addToTrayAction({ items }),
    invalidate: () => [trayKeys.all],
    failurePrefix: '',
    onSaved: ({ count }) => toast({ message: `Added to the compare tray (${count} image${count === 1 ? '' : 's'}).` }),
  });

  const variation = (v: VariationDto): FeedTarget => ({ kind: 'variation', id: v.id });
  const run = (r: RunDto): FeedTarget => ({ kind: 'run', id: r.id });

  return {
    undo,
    starVariation: (v: VariationDto) => apply({ op: 'star', target: variation(v), value: !v.starred, before: v.starred }).saved,
    rateVariation: (v: VariationDto, rating: number | null) =>
      apply({ op: 'rate', target: variation(v), value: rating, before: v.rating }).saved,
    noteVariation: (v: VariationDto, note: string) => apply({ op: 'note', target: variation(v), value: note, before: v.note }).saved,
    deleteVariation: (v: VariationDto, label: string) => remove(variation(v), `Deleted ${label}.`),
    starRun: (r: RunDto) => apply({ op: 'star', target: run(r), value: !r.starred, before: r.starred }).saved,
    rateRun: (r: RunDto, rating: number | null) => apply({ op: 'rate', target: run(r), value: rating, before: r.rating }).saved,
    noteRun: (r: RunDto, note: string) => apply({ op: 'note', target: run(r), value: note, before: r.note }).saved,
    deleteRun: (r: RunDto) => remove(run(r), `Deleted run ${r.number}.`),
    cancel: (v: VariationDto) => apply({ op: 'cancel', target: variation(v) }).saved,
    addToTray: (items: { assetId: string; variationId?: string }[]) => tray.run(items),
  };
}

export type RunEdits = ReturnType<typeof useRunEdits>;
