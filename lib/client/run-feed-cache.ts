import type { InfiniteData } from '@tanstack/react-query';
import type { RunDto, RunPage, VariationDto } from '@/lib/schemas/run';

/**
 * Pure edits of a run feed's infinite-query cache (`runFeedQuery`). Each returns new objects
 * (React Query compares by reference) and leaves untouched pages and runs as they were.
 */
export type RunFeed = InfiniteData<RunPage, unknown>;

/** `fn` returns the new run, or null to drop it. */
export function mapRuns(feed: RunFeed, fn: (run: RunDto) => RunDto | null): RunFeed {
  return { ...feed, pages: feed.pages.map((p) => ({ ...p, runs: p.runs.flatMap((r) => fn(r) ?? []) })) };
}

/** `fn` returns the new variation, or null to drop it. */
export function mapVariation(feed: RunFeed, id: string, fn: (v: VariationDto) => VariationDto | null): RunFeed {
  return mapRuns(feed, (r) =>
    r.variations.some((v) => v.id === id) ? { ...r, variations: r.variations.flatMap((v) => (v.id === id ? (fn(v) ?? []) : [v])) } : r,
  );
}

export type FeedTarget = { kind: 'run' | 'variation'; id: string };
/** The fields a person edits on a run or a variation. */
export type FeedFields = Partial<Pick<VariationDto, 'starred' | 'rating' | 'note' | 'status' | 'errorCode' | 'errorMessage'>>;

/** Sets `fields` on one run or variation. */
export function patchFeed(target: FeedTarget, fields: FeedFields): (feed: RunFeed) => RunFeed {
  return target.kind === 'variation'
    ? (feed) => mapVariation(feed, target.id, (v) => ({ ...v, ...fields }))
    : (feed) => mapRuns(feed, (r) => (r.id === target.id ? { ...r, ...fields } : r));
}

/** Takes one run or variation out of the feed (a delete). */
export function removeFromFeed(target: FeedTarget): (feed: RunFeed) => RunFeed {
  return target.kind === 'variation'
    ? (feed) => mapVariation(feed, target.id, () => null)
    : (feed) => mapRuns(feed, (r) => (r.id === target.id ? null : r));
}
