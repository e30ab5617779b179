import { flattenGrid, insertItems, patchItems, removeItems, type GridPages } from '@/lib/grid/cache';
import type { SessionChange } from '@/lib/schemas/events';
import type { GridItem } from '@/lib/schemas/history';
import type { LineageDto, LineageRun } from '@/lib/schemas/lineage';
import type { RunDto, VariationDto } from '@/lib/schemas/run';
import { mapRuns, mapVariation, type RunFeed } from './run-feed-cache';

/**
 * Pure edits that apply one change from a session's event stream (lib/schemas/events.ts) to the
 * run feed, the grid and the lineage caches, so a page updates in place without a refetch. Like
 * the other cache edits they return new objects and keep untouched parts as they were; an edit
 * that changes nothing returns its input.
 *
 * The stream carries the engine's side of a row (status, job, output, errors, adaptations). Star,
 * rating and note are the person's and are kept from the cache: an optimistic edit in flight is
 * not undone by a change the worker stored meanwhile.
 */

type UserFields = { starred: boolean; rating: number | null; note: string };

function keepUserFields<T extends UserFields>(fresh: T, cached: UserFields | undefined): T {
  return cached ? { ...fresh, starred: cached.starred, rating: cached.rating, note: cached.note } : fresh;
}

/** The server's order of a run's variations (services/dto.ts `runInclude`). */
function compareVariations(a: VariationDto, b: VariationDto): number {
  if (a.targetId !== b.targetId) return a.targetId < b.targetId ? -1 : 1;
  return a.index - b.index;
}

/** The feed's order (services/runs.ts `listRuns`): newest first, then id descending. */
function compareRuns(a: RunDto, b: RunDto): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function findRun(feed: RunFeed, runId: string): RunDto | undefined {
  for (const page of feed.pages) for (const run of page.runs) if (run.id === runId) return run;
  return undefined;
}

/**
 * A run not loaded yet goes where the server would list it. One older than every loaded run
 * while older pages remain is left for "Load older runs".
 */
function insertRun(feed: RunFeed, run: RunDto): RunFeed {
  for (let p = 0; p < feed.pages.length; p++) {
    const runs = feed.pages[p]!.runs;
    const at = runs.findIndex((r) => compareRuns(run, r) < 0);
    if (at === -1) continue;
    return {
      ...feed,
      pages: feed.pages.map((page, i) => (i === p ? { ...page, runs: [...runs.slice(0, at), run, ...runs.slice(at)] } : page)),
    };
  }
  const last = feed.pages.at(-1);
  if (!last || last.nextCursor !== null) return feed;
  return { ...feed, pages: [...feed.pages.slice(0, -1), { ...last, runs: [...last.runs, run] }] };
}

function upsertRun(feed: RunFeed, fresh: RunDto): RunFeed {
  const cached = findRun(feed, fresh.id);
  if (!cached) return insertRun(feed, fresh);
  const byId = new Map(cached.variations.map((v) => [v.id, v]));
  const merged = { ...keepUserFields(fresh, cached), variations: fresh.variations.map((v) => keepUserFields(v, byId.get(v.id))) };
  return mapRuns(feed, (r) => (r.id === fresh.id ? merged : r));
}

function upsertVariation(feed: RunFeed, runId: string, fresh: VariationDto): RunFeed {
  const run = findRun(feed, runId);
  // A run that is not loaded (older pages) is fetched with its page, as it is then.
  if (!run) return feed;
  if (run.variations.some((v) => v.id === fresh.id)) return mapVariation(feed, fresh.id, (v) => keepUserFields(fresh, v));
  // Restored from the Trash: back in its place.
  const variations = [...run.variations, fresh].sort(compareVariations);
  return mapRuns(feed, (r) => (r.id === runId ? { ...r, variations } : r));
}

export function applyToFeed(feed: RunFeed, change: SessionChange): RunFeed {
  switch (change.type) {
    case 'variation':
      return upsertVariation(feed, change.runId, change.variation);
    case 'variation-removed':
      return findRun(feed, change.runId)?.variations.some((v) => v.id === change.variationId)
        ? mapVariation(feed, change.variationId, () => null)
        : feed;
    case 'run':
      return upsertRun(feed, change.run);
    case 'run-removed':
      return findRun(feed, change.runId) ? mapRuns(feed, (r) => (r.id === change.runId ? null : r)) : feed;
    case 'session':
      return feed;
  }
}

function gridUpsert<T extends GridPages>(data: T, items: GridItem[]): T {
  const loaded = new Map(flattenGrid(data).map((i) => [i.id, i]));
  const known = items.filter((i) => loaded.has(i.id));
  const fresh = new Map(known.map((i) => [i.id, i]));
  const patched = known.length > 0 ? patchItems(data, [...fresh.keys()], (old) => keepUserFields(fresh.get(old.id)!, old)) : data;
  const added = items.filter((i) => !loaded.has(i.id));
  return added.length > 0 ? insertItems(patched, added) : patched;
}

export function applyToGrid<T extends GridPages>(data: T, change: SessionChange): T {
  switch (change.type) {
    case 'variation':
      return gridUpsert(data, [
        { ...change.variation, runId: change.runId, runNumber: change.run.number, instruction: change.run.instruction },
      ]);
    case 'variation-removed':
      return removeItems(data, [change.variationId]);
    case 'run': {
      const { run } = change;
      return gridUpsert(
        data,
        run.variations.map((v) => ({ ...v, runId: run.id, runNumber: run.number, instruction: run.instruction })),
      );
    }
    case 'run-removed':
      return removeItems(
        data,
        flattenGrid(data)
          .filter((i) => i.runId === change.runId)
          .map((i) => i.id),
      );
    case 'session':
      return data;
  }
}

type LineageVariation = LineageRun['variations'][number];
type LineageNodes = { nodes: { run: LineageRun }[] };

/**
 * The lineage cache holds runs either as one list (`LineageDto`) or in tree pages (`LineagePage`,
 * alone or as an infinite query's pages). These reach every run in any of them.
 */
function lineageRuns(data: unknown): LineageRun[] {
  const d = data as Partial<LineageDto & LineageNodes & { pages: LineageNodes[] }>;
  if (Array.isArray(d.runs)) return d.runs;
  if (Array.isArray(d.nodes)) return d.nodes.map((n) => n.run);
  if (Array.isArray(d.pages)) return d.pages.flatMap((p) => (Array.isArray(p.nodes) ? p.nodes.map((n) => n.run) : []));
  return [];
}

function mapLineageRuns<T>(data: T, fn: (run: LineageRun) => LineageRun): T {
  const d = data as Partial<LineageDto & LineageNodes & { pages: LineageNodes[] }>;
  const nodes = (n: LineageNodes['nodes']) => n.map((node) => ({ ...node, run: fn(node.run) }));
  if (Array.isArray(d.runs)) return { ...data, runs: d.runs.map(fn) };
  if (Array.isArray(d.nodes)) return { ...data, nodes: nodes(d.nodes) };
  if (Array.isArray(d.pages)) return { ...data, pages: d.pages.map((p) => (Array.isArray(p.nodes) ? { ...p, nodes: nodes(p.nodes) } : p)) };
  return data;
}

/**
 * The lineage keeps only a variation's status and output in place (and drops a deleted
 * variation). Null when the change cannot be drawn from what is cached: a new or restored run or
 * variation, whose place in the tree and labels come from the server, or a run deleted from a
 * paged tree (its counts change); the caller then fetches the lineage again.
 */
export function applyToLineage<T>(data: T, change: SessionChange): T | null {
  const runs = lineageRuns(data);
  const flat = Array.isArray((data as Partial<LineageDto>).runs);
  const run = 'runId' in change ? runs.find((r) => r.id === change.runId) : undefined;
  const patch = (v: LineageVariation, fresh: VariationDto): LineageVariation => ({ ...v, status: fresh.status, output: fresh.output });
  const onRun = (runId: string, fn: (r: LineageRun) => LineageRun) => mapLineageRuns(data, (r) => (r.id === runId ? fn(r) : r));
  switch (change.type) {
    case 'variation': {
      if (!run?.variations.some((v) => v.id === change.variation.id)) return null;
      return onRun(change.runId, (r) => ({
        ...r,
        variations: r.variations.map((v) => (v.id === change.variation.id ? patch(v, change.variation) : v)),
      }));
    }
    case 'variation-removed':
      if (!run?.variations.some((v) => v.id === change.variationId)) return data;
      return onRun(change.runId, (r) => ({ ...r, variations: r.variations.filter((v) => v.id !== change.variationId) }));
    case 'run': {
      const cached = runs.find((r) => r.id === change.run.id);
      const fresh = new Map(change.run.variations.map((v) => [v.id, v]));
      if (!cached || cached.variations.length !== fresh.size || cached.variations.some((v) => !fresh.has(v.id))) return null;
      return onRun(cached.id, (r) => ({ ...r, variations: r.variations.map((v) => patch(v, fresh.get(v.id)!)) }));
    }
    case 'run-removed':
      if (!run) return data;
      return flat ? ({ ...data, runs: runs.filter((r) => r.id !== change.runId) } as T) : null;
    case 'session':
      return null;
  }
}
