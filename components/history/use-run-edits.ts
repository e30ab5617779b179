'use client';

import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { addToTrayAction, deleteAction, noteAction, rateAction, restoreAction, starAction } from '@/lib/server/actions/history';
import { cancelVariationsAction } from '@/lib/server/actions/runs';
import type { ActionResult } from '@/lib/schemas/result';
import type { RunDto, RunPage, VariationDto } from '@/lib/schemas/run';
import { useToast } from '../ui/toaster';

export const runsKey = (sessionId: string) => ['runs', sessionId] as const;
type Feed = InfiniteData<RunPage, string | undefined>;

function mapRuns(feed: Feed, fn: (run: RunDto) => RunDto | null): Feed {
  return { ...feed, pages: feed.pages.map((p) => ({ ...p, runs: p.runs.flatMap((r) => fn(r) ?? []) })) };
}

function mapVariation(feed: Feed, id: string, fn: (v: VariationDto) => VariationDto | null): Feed {
  return mapRuns(feed, (r) => (r.variations.some((v) => v.id === id) ? { ...r, variations: r.variations.flatMap((v) => (v.id === id ? (fn(v) ?? []) : [v])) } : r));
}

/**
 * Every edit of the feed is saved on the server at once and shown before the answer
 * (optimistic); a refusal or a network failure rolls the screen back and says so.
 */
export function useRunEdits(sessionId: string) {
  const qc = useQueryClient();
  const toast = useToast();
  const key = runsKey(sessionId);

  async function apply<T>(patch: (feed: Feed) => Feed, call: () => Promise<ActionResult<T>>): Promise<boolean> {
    await qc.cancelQueries({ queryKey: key });
    const before = qc.getQueryData<Feed>(key);
    if (before) qc.setQueryData<Feed>(key, patch(before));
    try {
      const result = await call();
      if (!result.ok) throw new Error(result.error.message);
      void qc.invalidateQueries({ queryKey: ['grid', sessionId] });
      void qc.invalidateQueries({ queryKey: ['sessions'] });
      return true;
    } catch (e) {
      if (before) qc.setQueryData<Feed>(key, before);
      toast({ tone: 'error', message: `Not saved: ${e instanceof Error ? e.message : 'the server did not answer'}` });
      return false;
    }
  }

  const refresh = () => qc.invalidateQueries({ queryKey: key });

  return {
    starVariation: (v: VariationDto) =>
      apply((f) => mapVariation(f, v.id, (x) => ({ ...x, starred: !v.starred })), () => starAction({ kind: 'variation', ids: [v.id], starred: !v.starred })),
    rateVariation: (v: VariationDto, rating: number | null) =>
      apply((f) => mapVariation(f, v.id, (x) => ({ ...x, rating })), () => rateAction({ kind: 'variation', ids: [v.id], rating })),
    noteVariation: (v: VariationDto, note: string) =>
      apply((f) => mapVariation(f, v.id, (x) => ({ ...x, note })), () => noteAction({ kind: 'variation', id: v.id, note })),
    deleteVariation: async (v: VariationDto, label: string) => {
      if (await apply((f) => mapVariation(f, v.id, () => null), () => deleteAction({ kind: 'variation', ids: [v.id] }))) {
        toast({ message: `Deleted ${label}.`, action: { label: 'Undo', onClick: () => void apply((f) => f, () => restoreAction({ kind: 'variation', ids: [v.id] })).then(refresh) } });
      }
    },
    /** Restores a deleted variation (undo); the feed refetches to put it back in place. */
    restoreVariation: (v: VariationDto) => apply((f) => f, () => restoreAction({ kind: 'variation', ids: [v.id] })).then(refresh),
    starRun: (r: RunDto) => apply((f) => mapRuns(f, (x) => (x.id === r.id ? { ...x, starred: !r.starred } : x)), () => starAction({ kind: 'run', ids: [r.id], starred: !r.starred })),
    rateRun: (r: RunDto, rating: number | null) =>
      apply((f) => mapRuns(f, (x) => (x.id === r.id ? { ...x, rating } : x)), () => rateAction({ kind: 'run', ids: [r.id], rating })),
    noteRun: (r: RunDto, note: string) => apply((f) => mapRuns(f, (x) => (x.id === r.id ? { ...x, note } : x)), () => noteAction({ kind: 'run', id: r.id, note })),
    deleteRun: async (r: RunDto) => {
      if (await apply((f) => mapRuns(f, (x) => (x.id === r.id ? null : x)), () => deleteAction({ kind: 'run', ids: [r.id] }))) {
        toast({ message: `Deleted run ${r.number}.`, action: { label: 'Undo', onClick: () => void apply((f) => f, () => restoreAction({ kind: 'run', ids: [r.id] })).then(refresh) } });
      }
    },
    cancel: (v: VariationDto) =>
      apply(
        (f) => mapVariation(f, v.id, (x) => ({ ...x, status: 'cancelled', errorCode: 'cancelled', errorMessage: 'Cancelled by you.' })),
        () => cancelVariationsAction({ variationIds: [v.id] }),
      ),
    addToTray: async (items: { assetId: string; variationId?: string }[]) => {
      const result = await addToTrayAction({ items });
      if (!result.ok) return toast({ tone: 'error', message: result.error.message });
      void qc.invalidateQueries({ queryKey: ['tray'] });
      toast({ message: `Added to the compare tray (${result.data.count} image${result.data.count === 1 ? '' : 's'}).` });
    },
  };
}

export type RunEdits = ReturnType<typeof useRunEdits>;
