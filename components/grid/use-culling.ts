'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { chunk, callsFor, nextRating, nextStar, patchFor, pushEntry, ratingEntry, rejectEntry, starEntry, takeEntry, describeEntry } from '@/lib/grid/undo';
import type { CullCall, CullEntry, Direction } from '@/lib/grid/undo';
import { findItems, flattenGrid } from '@/lib/grid/cache';
import { addToTrayAction, deleteAction, rateAction, restoreAction, starAction } from '@/lib/server/actions/history';
import type { ActionResult } from '@/lib/schemas/result';
import type { GridItem } from '@/lib/server/history/grid';
import { useToast } from '../ui/toaster';
import { gridKey, type GridData } from './use-grid-data';

function send(call: CullCall): Promise<ActionResult<unknown>> {
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
const reason = (e: unknown) => (e instanceof Error ? e.message : 'the server did not answer');

/**
 * Optimistic culling edits with a 20-step undo stack. Edits are prepared one at a time (a
 * promise lane) so each entry records the values left by the edit before it, even when keys
 * are pressed faster than the cache settles; the server calls then run in parallel. A failure
 * plays the entry backwards on the *current* cache (not a stale snapshot), so other edits made
 * meanwhile survive the rollback.
 */
export function useCulling(sessionId: string) {
  const qc = useQueryClient();
  const toast = useToast();
  const key = gridKey(sessionId);
  const stack = useRef<CullEntry[]>([]);
  const inflight = useRef(new Map<number, Promise<boolean>>());
  const lane = useRef<Promise<unknown>>(Promise.resolve());
  const seq = useRef(0);

  const patch = (entry: CullEntry, direction: Direction) => qc.setQueryData<GridData>(key, (d) => d && patchFor<GridData>(entry, direction)(d));

  async function save(entry: CullEntry, direction: Direction): Promise<boolean> {
    try {
      const results = await Promise.all(callsFor(entry, direction).map(send));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) throw new Error(failed.error.message);
      void qc.invalidateQueries({ queryKey: ['runs', sessionId] });
      return true;
    } catch (e) {
      patch(entry, flip(direction));
      toast({ tone: 'error', message: `${direction === 'do' ? 'Not saved' : 'Undo failed'}: ${reason(e)}` });
      return false;
    }
  }

  /** Runs `step` after every earlier step, with queries cancelled so no refetch overwrites it. */
  function enqueue<T>(step: (data: GridData | undefined) => T | Promise<T>): Promise<T> {
    const run = lane.current.then(async () => {
      await qc.cancelQueries({ queryKey: key });
      return step(qc.getQueryData<GridData>(key));
    });
    lane.current = run.catch(() => undefined);
    return run;
  }

  function edit(build: (items: GridItem[], id: number) => CullEntry | null, targets: Targets, onSaved?: (entry: CullEntry) => void): Promise<CullEntry | null> {
    return enqueue((data) => {
      const ids = typeof targets === 'function' ? targets(flattenGrid(data)) : targets;
      const entry = build(findItems(data, ids), ++seq.current);
      if (!entry) return null;
      stack.current = pushEntry(stack.current, entry);
      patch(entry, 'do');
      const saved = save(entry, 'do').then((ok) => {
        inflight.current.delete(entry.id);
        if (!ok) stack.current = takeEntry(stack.current, entry.id).rest;
        else onSaved?.(entry);
        return ok;
      });
      inflight.current.set(entry.id, saved);
      return entry;
    });
  }

  /** Z (newest entry) or a toast's Undo (that entry). Resolves to the entry played back. */
  function undo(id?: number): Promise<CullEntry | null> {
    return enqueue(async () => {
      const { entry, rest } = takeEntry(stack.current, id);
      if (!entry) return null;
      stack.current = rest;
      patch(entry, 'undo');
      // Undoing before the edit reached the server would race it there; wait for it first. If it
      // failed it was already rolled back and there is nothing to send.
      const pending = inflight.current.get(entry.id);
      void (async () => {
        if (pending && !(await pending)) return;
        if (!(await save(entry, 'undo'))) stack.current = pushEntry(stack.current, entry);
      })();
      return entry;
    });
  }

  return {
    /** `value`: the key pressed, 1–5 (again on the same rating clears it) or 0 (clears). */
    rate: (targets: Targets, value: number) => edit((items, id) => ratingEntry(id, items, nextRating(items, value)), targets),
    toggleStar: (targets: Targets) => edit((items, id) => starEntry(id, items, nextStar(items)), targets),
    setStar: (targets: Targets, starred: boolean) => edit((items, id) => starEntry(id, items, starred), targets),
    /** `announce`: the bulk bar's delete says so in a toast with Undo (12 s); X stays quiet. */
    reject: (targets: Targets, announce = false) =>
      edit((items, id) => rejectEntry(id, items), targets, (entry) => {
        if (announce) toast({ message: `${describeEntry(entry)}.`, action: { label: 'Undo', onClick: () => void undo(entry.id) }, durationMs: 12_000 });
      }),
    undo,
    addToTray: async (ids: readonly string[]) => {
      const items = findItems(qc.getQueryData<GridData>(key), ids).flatMap((v) => (v.output ? [{ assetId: v.output.id, variationId: v.id }] : []));
      if (items.length === 0) return toast({ tone: 'error', message: 'None of the selected variations has an image yet.' });
      try {
        const results = await Promise.all(chunk(items, 200).map((c) => addToTrayAction({ items: c })));
        const failed = results.find((r) => !r.ok);
        if (failed && !failed.ok) throw new Error(failed.error.message);
        const added = results.reduce((n, r) => n + (r.ok ? r.data.count : 0), 0);
        void qc.invalidateQueries({ queryKey: ['tray'] });
        toast({ message: `Added to the compare tray (${added} image${added === 1 ? '' : 's'}).` });
      } catch (e) {
        toast({ tone: 'error', message: `Not added: ${reason(e)}` });
      }
    },
    /** The loaded items right now, for callers that act after an await. */
    current: () => flattenGrid(qc.getQueryData<GridData>(key)),
  };
}

export type Culling = ReturnType<typeof useCulling>;
