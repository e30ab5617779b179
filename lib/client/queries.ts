import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { hasLiveItems } from '@/lib/grid/cache';
import type { CompareCandidate } from '@/lib/schemas/compare';
import type { GalleryListItem } from '@/lib/schemas/gallery';
import type { GridPage, SessionListItem, TrashEntry } from '@/lib/schemas/history';
import type { LedgerStats, LedgerWindow, ProbeFilter } from '@/lib/schemas/ledger-stats';
import type { LineagePage } from '@/lib/schemas/lineage';
import { isTerminal, type RunPage } from '@/lib/schemas/run';
import { sessionPollInterval } from './push';
import {
  galleryKeys,
  gridKeys,
  ledgerKeys,
  lineageKeys,
  runKeys,
  sessionKeys,
  trashKeys,
  trayKeys,
  type SessionListFilters,
} from './query-keys';

/**
 * Every query the client makes, declared once: key, fetch, paging and polling. Components use
 * these (`useInfiniteQuery(runFeedQuery(id))`) and add only what is theirs, such as the page the
 * server rendered as `initialData`. The keys come back typed with their data, so
 * `setQueryData(runFeedQuery(id).queryKey, …)` is checked.
 */

export const GRID_PAGE_SIZE = 120;

export type SessionListPage = { sessions: SessionListItem[]; nextCursor: string | null };

/**
 * A GET of one of the app's JSON routes. A network failure stays a `TypeError` (the feed shows
 * "Reconnecting" for it); an HTTP error becomes a sentence naming what could not be loaded.
 */
async function getJson<T>(url: string, what: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', signal });
  if (!res.ok) throw new Error(`Could not load ${what} (HTTP ${res.status}).`);
  return (await res.json()) as T;
}

function withQuery(path: string, params: Record<string, string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v ? [[k, v]] : [])));
  return qs.size > 0 ? `${path}?${qs}` : path;
}

/**
 * A session's runs, newest first, 20 per page on a cursor. Changes are pushed to the open page
 * (lib/client/use-session-events.ts), so each variation appears the moment it is stored. Only
 * while that stream is down, and anything is queued or running, are the loaded pages polled,
 * with the stream's backoff; through a failed fetch (a restarting server) polling goes on,
 * without retries.
 */
export function runFeedQuery(sessionId: string) {
  return infiniteQueryOptions({
    queryKey: runKeys.feed(sessionId),
    queryFn: ({ pageParam, signal }) =>
      getJson<RunPage>(withQuery(`/api/sessions/${encodeURIComponent(sessionId)}/runs`, { cursor: pageParam }), 'runs', signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) =>
      sessionPollInterval(
        sessionId,
        !!q.state.data?.pages.some((p) => p.runs.some((r) => r.variations.some((v) => !isTerminal(v.status)))),
        q.state.error ? 2000 : 700,
      ),
    retry: false,
  });
}

/**
 * A session's variations for the culling grid, 120 at a time, in server order. Changes are
 * pushed; without the stream it polls every 5 s (or slower, backing off) while a loaded
 * variation is still queued or running, so a grid opened mid-run fills in.
 */
export function gridQuery(sessionId: string) {
  return infiniteQueryOptions({
    queryKey: gridKeys.session(sessionId),
    queryFn: ({ pageParam, signal }) =>
      getJson<GridPage>(
        withQuery(`/api/sessions/${encodeURIComponent(sessionId)}/variations`, {
          limit: String(GRID_PAGE_SIZE),
          cursor: pageParam ?? undefined,
        }),
        'the variations',
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (q) => sessionPollInterval(sessionId, hasLiveItems(q.state.data), 5000),
  });
}

/** The sidebar's sessions: search and filters, newest first, paginated. */
export function sessionListQuery(filters: SessionListFilters) {
  return infiniteQueryOptions({
    queryKey: sessionKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      getJson<SessionListPage>(
        withQuery('/api/sessions', {
          view: filters.view,
          q: filters.q,
          provider: filters.provider,
          status: filters.status,
          starred: filters.starred ? '1' : undefined,
          cursor: pageParam,
        }),
        'sessions',
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The compare tray's images, labelled; the sidebar shows how many. */
export function trayQuery() {
  return queryOptions({
    queryKey: trayKeys.all,
    queryFn: async ({ signal }) => (await getJson<{ items: CompareCandidate[] }>('/api/tray', 'the compare tray', signal)).items,
  });
}

/** Deleted sessions, runs and variations, newest first. */
export function trashQuery() {
  return queryOptions({
    queryKey: trashKeys.all,
    queryFn: async ({ signal }) => (await getJson<{ entries: TrashEntry[] }>('/api/trash', 'the trash', signal)).entries,
  });
}

/** Where a lineage page starts: the children of run `expand` (null: the roots) from `cursor` on. */
export type LineagePageParam = { expand: string | null; cursor: number };

/** The lineage pages a session view holds, in the order they were asked for. */
export type LineagePages = { pages: LineagePage[]; pageParams: LineagePageParam[] };

export function fetchLineagePage(sessionId: string, { expand, cursor }: LineagePageParam, signal?: AbortSignal): Promise<LineagePage> {
  const url = withQuery(`/api/sessions/${encodeURIComponent(sessionId)}/lineage`, {
    expand: expand ?? undefined,
    cursor: cursor > 0 ? String(cursor) : undefined,
  });
  return getJson<LineagePage>(url, 'the lineage', signal);
}

/**
 * A session's lineage tree, a page at a time: the first page, then each "show more" the view
 * appends (components/lineage/lineage-pane.tsx). A refetch asks again for every page held, so
 * the tree stays as opened. Outputs are pushed into it as they are stored; like the run feed it
 * polls only while the stream is down and a variation is still queued or running.
 */
export function lineageQuery(sessionId: string) {
  return queryOptions({
    queryKey: lineageKeys.session(sessionId),
    queryFn: async ({ client, queryKey, signal }): Promise<LineagePages> => {
      const held = client.getQueryData<LineagePages>(queryKey)?.pageParams;
      const pageParams = held && held.length > 0 ? held : [{ expand: null, cursor: 0 }];
      const pages = await Promise.all(pageParams.map((p) => fetchLineagePage(sessionId, p, signal)));
      // A "show more" that landed while this ran is kept, not overwritten.
      const now = client.getQueryData<LineagePages>(queryKey);
      const extra = now ? now.pageParams.map((p, i) => [p, i] as const).filter(([p]) => !pageParams.includes(p)) : [];
      return { pages: [...pages, ...extra.map(([, i]) => now!.pages[i]!)], pageParams: [...pageParams, ...extra.map(([p]) => p)] };
    },
    refetchInterval: (q) =>
      sessionPollInterval(
        sessionId,
        !!q.state.data?.pages.some((p) => p.nodes.some((n) => n.run.variations.some((v) => !isTerminal(v.status)))),
        1500,
      ),
  });
}

/** The workspace's galleries, most recently changed first. */
export function galleryListQuery() {
  return queryOptions({
    queryKey: galleryKeys.list(),
    queryFn: async ({ signal }) => (await getJson<{ galleries: GalleryListItem[] }>('/api/galleries', 'the galleries', signal)).galleries,
  });
}

/** The providers dashboard's figures; polled while anything in the window is still running. */
export function ledgerStatsQuery(window: LedgerWindow, probes: ProbeFilter) {
  return queryOptions({
    queryKey: ledgerKeys.stats(window, probes),
    queryFn: ({ signal }) => getJson<LedgerStats>(withQuery('/api/ledger/stats', { window, probes }), 'the dashboard', signal),
    refetchInterval: (q) => (q.state.data?.targets.some((t) => t.pending > 0) ? 4000 : false),
  });
}
