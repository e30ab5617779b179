import { isTerminal } from '@/lib/schemas/run';
import type { GridItem, GridPage } from '@/lib/schemas/history';

/**
 * Pure edits of the culling grid's infinite-query cache (`gridQuery` in lib/client/queries.ts). Each returns a
 * new object (React Query compares by reference) and works on any shape with `pages`, so the
 * same functions serve `InfiniteData<GridPage, string | null>` and the tests.
 */
export type GridPages = { pages: GridPage[] };

/** The server's order (lib/server/services/grid.ts): newest run first, then target, index, id. */
export function compareGridItems(a: GridItem, b: GridItem): number {
  if (a.runNumber !== b.runNumber) return b.runNumber - a.runNumber;
  // Plain code-unit comparison, like SQLite's default BINARY collation (not localeCompare).
  if (a.targetId !== b.targetId) return a.targetId < b.targetId ? -1 : 1;
  if (a.index !== b.index) return a.index - b.index;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * All loaded items in order, without duplicates: a refetch while new runs arrive can shift an
 * item across a page boundary, and a duplicated id would break keys and selection.
 */
export function flattenGrid(data: GridPages | undefined): GridItem[] {
  if (!data) return [];
  const seen = new Set<string>();
  const out: GridItem[] = [];
  for (const page of data.pages) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push(item);
    }
  }
  return out;
}

/** The server's count of live variations, as last reported (and adjusted optimistically). */
export function gridTotal(data: GridPages | undefined): number {
  return data?.pages[0]?.total ?? 0;
}

/** Whether any loaded variation is still queued or running (the grid then polls). */
export function hasLiveItems(data: GridPages | undefined): boolean {
  return !!data?.pages.some((p) => p.items.some((i) => !isTerminal(i.status)));
}

export function findItems(data: GridPages | undefined, ids: readonly string[]): GridItem[] {
  const wanted = new Set(ids);
  return flattenGrid(data).filter((i) => wanted.has(i.id));
}

/** Applies `fn` to the listed items; pages without any of them keep their identity. */
export function patchItems<T extends GridPages>(data: T, ids: readonly string[], fn: (item: GridItem) => GridItem): T {
  const wanted = new Set(ids);
  const pages = data.pages.map((p) =>
    p.items.some((i) => wanted.has(i.id)) ? { ...p, items: p.items.map((i) => (wanted.has(i.id) ? fn(i) : i)) } : p,
  );
  return { ...data, pages };
}

/** Takes the listed items out (a reject) and lowers the total by as many as were present. */
export function removeItems<T extends GridPages>(data: T, ids: readonly string[]): T {
  const wanted = new Set(ids);
  let removed = 0;
  const kept = data.pages.map((p) => {
    const items = p.items.filter((i) => !wanted.has(i.id));
    removed += p.items.length - items.length;
    return items.length === p.items.length ? p : { ...p, items };
  });
  if (removed === 0) return data;
  return { ...data, pages: kept.map((p) => ({ ...p, total: Math.max(0, p.total - removed) })) };
}

/**
 * Puts restored items back where the server will list them. An item that sorts after the last
 * loaded one while more pages remain is left for the next page fetch (it is back on the server),
 * but still counts in the total. Items already present are skipped, so re-applying is harmless.
 */
export function insertItems<T extends GridPages>(data: T, items: readonly GridItem[]): T {
  const present = new Set(flattenGrid(data).map((i) => i.id));
  const fresh = items.filter((i) => !present.has(i.id));
  if (fresh.length === 0) return data;
  const pages = data.pages.map((p) => ({ ...p, items: [...p.items] }));
  for (const item of [...fresh].sort(compareGridItems)) {
    let target = pages.findIndex((p) => {
      const last = p.items.at(-1);
      return last !== undefined && compareGridItems(item, last) < 0;
    });
    if (target === -1) {
      const lastPage = pages.at(-1);
      if (!lastPage || lastPage.nextCursor !== null) continue;
      target = pages.length - 1;
    }
    const page = pages[target]!;
    const at = page.items.findIndex((i) => compareGridItems(item, i) < 0);
    page.items.splice(at === -1 ? page.items.length : at, 0, item);
  }
  return { ...data, pages: pages.map((p) => ({ ...p, total: p.total + fresh.length })) };
}
