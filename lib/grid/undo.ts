import type { GridItem } from '@/lib/schemas/history';
import { insertItems, patchItems, removeItems, type GridPages } from './cache';

/**
 * Culling edits as data: each entry knows how to apply itself to the cache and which server
 * calls make it true, in either direction, so undo is just the same entry played backwards.
 * Entries record per-item previous values: undoing a bulk rating restores each item's own.
 * The stack they live on is the app's one undo stack (lib/client/undo.ts).
 */
/** The server actions accept at most 500 ids (itemsSchema) and 200 tray items per call. */
export const MAX_IDS_PER_CALL = 500;

export type CullEntry =
  | { id: number; kind: 'rating'; next: number | null; prev: Record<string, number | null> }
  | { id: number; kind: 'star'; next: boolean; prev: Record<string, boolean> }
  | { id: number; kind: 'reject'; items: GridItem[] };

export type Direction = 'do' | 'undo';

export type CullCall =
  | { op: 'rate'; ids: string[]; rating: number | null }
  | { op: 'star'; ids: string[]; starred: boolean }
  | { op: 'delete'; ids: string[] }
  | { op: 'restore'; ids: string[] };

/** Pressing the rating an item (or every targeted item) already has clears it; 0 always clears. */
export function nextRating(items: readonly GridItem[], key: number): number | null {
  if (key === 0) return null;
  return items.length > 0 && items.every((i) => i.rating === key) ? null : key;
}

/** S stars the lot unless every one is already starred; then it unstars them. */
export function nextStar(items: readonly GridItem[]): boolean {
  return !(items.length > 0 && items.every((i) => i.starred));
}

/** Null when nothing would change (no entry, nothing to undo). */
export function ratingEntry(id: number, items: readonly GridItem[], next: number | null): CullEntry | null {
  if (items.every((i) => i.rating === next)) return null;
  return { id, kind: 'rating', next, prev: Object.fromEntries(items.map((i) => [i.id, i.rating])) };
}

export function starEntry(id: number, items: readonly GridItem[], next: boolean): CullEntry | null {
  if (items.every((i) => i.starred === next)) return null;
  return { id, kind: 'star', next, prev: Object.fromEntries(items.map((i) => [i.id, i.starred])) };
}

export function rejectEntry(id: number, items: readonly GridItem[]): CullEntry | null {
  return items.length === 0 ? null : { id, kind: 'reject', items: [...items] };
}

function entryIds(entry: CullEntry): string[] {
  return entry.kind === 'reject' ? entry.items.map((i) => i.id) : Object.keys(entry.prev);
}

/** The cache edit for one direction. Idempotent: applying it twice equals applying it once. */
export function patchFor<T extends GridPages>(entry: CullEntry, direction: Direction): (data: T) => T {
  switch (entry.kind) {
    case 'rating':
      return (d) => patchItems(d, entryIds(entry), (i) => ({ ...i, rating: direction === 'do' ? entry.next : (entry.prev[i.id] ?? null) }));
    case 'star':
      return (d) =>
        patchItems(d, entryIds(entry), (i) => ({ ...i, starred: direction === 'do' ? entry.next : (entry.prev[i.id] ?? false) }));
    case 'reject':
      return (d) => (direction === 'do' ? removeItems(d, entryIds(entry)) : insertItems(d, entry.items));
  }
}

export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Ids grouped by their value, in first-seen order: one server call per distinct previous value. */
function groupByValue<V>(values: Record<string, V>): [V, string[]][] {
  const groups = new Map<V, string[]>();
  for (const [id, v] of Object.entries(values)) groups.set(v, [...(groups.get(v) ?? []), id]);
  return [...groups];
}

/** The server calls that make `entry` true in `direction`, within the actions' size limits. */
export function callsFor(entry: CullEntry, direction: Direction): CullCall[] {
  const ids = entryIds(entry);
  const split = (all: string[]) => chunk(all, MAX_IDS_PER_CALL);
  switch (entry.kind) {
    case 'rating': {
      const groups: [number | null, string[]][] = direction === 'do' ? [[entry.next, ids]] : groupByValue(entry.prev);
      return groups.flatMap(([rating, group]) => split(group).map((c): CullCall => ({ op: 'rate', ids: c, rating })));
    }
    case 'star': {
      const groups: [boolean, string[]][] = direction === 'do' ? [[entry.next, ids]] : groupByValue(entry.prev);
      return groups.flatMap(([starred, group]) => split(group).map((c): CullCall => ({ op: 'star', ids: c, starred })));
    }
    case 'reject':
      return split(ids).map((c): CullCall => ({ op: direction === 'do' ? 'delete' : 'restore', ids: c }));
  }
}

/** Short words for toasts: "Rated 3 variations 4 stars", "Rejected 1 variation". */
export function describeEntry(entry: CullEntry): string {
  const n = entryIds(entry).length;
  const what = `${n} variation${n === 1 ? '' : 's'}`;
  switch (entry.kind) {
    case 'rating':
      return entry.next === null ? `Cleared the rating of ${what}` : `Rated ${what} ${entry.next} star${entry.next === 1 ? '' : 's'}`;
    case 'star':
      return `${entry.next ? 'Starred' : 'Unstarred'} ${what}`;
    case 'reject':
      return `Deleted ${what}`;
  }
}
