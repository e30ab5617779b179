import { describe, expect, it } from 'vitest';
import { compareGridItems, findItems, flattenGrid, gridTotal, hasLiveItems, insertItems, patchItems, removeItems } from './cache';
import { gridItem, gridPages } from './fixtures';

// Run 3 is newest; within a run, target then index.
const a = gridItem('a', { runNumber: 3, targetId: 'fal:x', index: 0 });
const b = gridItem('b', { runNumber: 3, targetId: 'fal:x', index: 1 });
const c = gridItem('c', { runNumber: 3, targetId: 'openai:y', index: 0 });
const d = gridItem('d', { runNumber: 2, targetId: 'fal:x', index: 0 });
const e = gridItem('e', { runNumber: 1, targetId: 'fal:x', index: 0 });
const ids = (data: Parameters<typeof flattenGrid>[0]) => flattenGrid(data).map((i) => i.id);

describe('compareGridItems', () => {
  it('sorts like the server: run number descending, then target, index and id ascending', () => {
    expect([e, c, a, d, b].sort(compareGridItems).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(compareGridItems(gridItem('x1'), gridItem('x2'))).toBeLessThan(0);
  });
});

describe('flattenGrid', () => {
  it('joins pages in order and drops an id repeated across a page boundary', () => {
    const data = gridPages([
      [a, b],
      [b, c],
    ]);
    expect(ids(data)).toEqual(['a', 'b', 'c']);
    expect(flattenGrid(undefined)).toEqual([]);
    expect(findItems(data, ['c', 'a', 'zz']).map((i) => i.id)).toEqual(['a', 'c']);
  });

  it('reports live items so the grid knows to poll', () => {
    expect(hasLiveItems(gridPages([[a, b]]))).toBe(false);
    expect(hasLiveItems(gridPages([[a], [gridItem('r', { status: 'running', output: null })]]))).toBe(true);
  });
});

describe('patchItems', () => {
  it('changes only the listed items and keeps untouched pages identical', () => {
    const data = gridPages([
      [a, b],
      [c, d],
    ]);
    const next = patchItems(data, ['c'], (i) => ({ ...i, rating: 4 }));
    expect(next.pages[0]).toBe(data.pages[0]);
    expect(flattenGrid(next).map((i) => i.rating)).toEqual([null, null, 4, null]);
    expect(data.pages[1]!.items[0]!.rating).toBeNull();
  });
});

describe('removeItems and insertItems', () => {
  it('removes across pages and lowers every page total', () => {
    const data = gridPages([
      [a, b],
      [c, d, e],
    ]);
    const next = removeItems(data, ['b', 'd']);
    expect(ids(next)).toEqual(['a', 'c', 'e']);
    expect(next.pages.map((p) => p.total)).toEqual([3, 3]);
    expect(gridTotal(next)).toBe(3);
    expect(removeItems(data, ['nope'])).toBe(data);
  });

  it('puts restored items back at their sorted places', () => {
    const data = gridPages([
      [a, b],
      [c, d, e],
    ]);
    const removed = removeItems(data, ['a', 'c', 'e']);
    const back = insertItems(removed, [e, a, c]);
    expect(ids(back)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(gridTotal(back)).toBe(5);
    // Applying the same restore twice changes nothing more.
    expect(ids(insertItems(back, [a]))).toEqual(ids(back));
    expect(insertItems(back, [a])).toBe(back);
  });

  it('leaves an item past the loaded pages to the next fetch but still counts it', () => {
    const data = gridPages([[a, b]], 'b');
    const next = insertItems(removeItems(data, []), [e]);
    expect(ids(next)).toEqual(['a', 'b']);
    expect(gridTotal(next)).toBe(3);
    // With nothing more to load, it goes at the end.
    expect(ids(insertItems(gridPages([[a, b]]), [e]))).toEqual(['a', 'b', 'e']);
  });
});
