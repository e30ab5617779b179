import { describe, expect, it } from 'vitest';
import { flattenGrid } from './cache';
import { gridItem, gridPages } from './fixtures';
import { MAX_IDS_PER_CALL, callsFor, describeEntry, nextRating, nextStar, patchFor, ratingEntry, rejectEntry, starEntry } from './undo';

const a = gridItem('a', { rating: 3, index: 0 });
const b = gridItem('b', { rating: null, index: 1, starred: true });
const c = gridItem('c', { rating: 3, index: 2 });

describe('nextRating and nextStar', () => {
  it('sets a rating, clears it when pressed again, and 0 always clears', () => {
    expect(nextRating([b], 4)).toBe(4);
    expect(nextRating([a], 3)).toBeNull();
    expect(nextRating([a, c], 3)).toBeNull();
    expect(nextRating([a, b], 3)).toBe(3);
    expect(nextRating([a], 0)).toBeNull();
  });

  it('stars unless all are starred', () => {
    expect(nextStar([a, b])).toBe(true);
    expect(nextStar([b])).toBe(false);
  });
});

describe('entries', () => {
  it('skips edits that change nothing', () => {
    expect(ratingEntry(1, [b], null)).toBeNull();
    expect(starEntry(1, [b], true)).toBeNull();
    expect(rejectEntry(1, [])).toBeNull();
  });

  it('plays a bulk rating forwards and back, restoring each item its own rating', () => {
    const data = gridPages([[a, b, c]]);
    const entry = ratingEntry(7, [a, b, c], 5)!;
    const done = patchFor<typeof data>(entry, 'do')(data);
    expect(flattenGrid(done).map((i) => i.rating)).toEqual([5, 5, 5]);
    const undone = patchFor<typeof data>(entry, 'undo')(done);
    expect(flattenGrid(undone).map((i) => i.rating)).toEqual([3, null, 3]);
    expect(callsFor(entry, 'do')).toEqual([{ op: 'rate', ids: ['a', 'b', 'c'], rating: 5 }]);
    expect(callsFor(entry, 'undo')).toEqual([
      { op: 'rate', ids: ['a', 'c'], rating: 3 },
      { op: 'rate', ids: ['b'], rating: null },
    ]);
  });

  it('undoes a star toggle per item', () => {
    const data = gridPages([[a, b]]);
    const entry = starEntry(1, [a, b], true)!;
    expect(flattenGrid(patchFor<typeof data>(entry, 'do')(data)).map((i) => i.starred)).toEqual([true, true]);
    expect(callsFor(entry, 'undo')).toEqual([
      { op: 'star', ids: ['a'], starred: false },
      { op: 'star', ids: ['b'], starred: true },
    ]);
  });

  it('rejects and restores in place', () => {
    const data = gridPages([[a, b, c]]);
    const entry = rejectEntry(2, [b])!;
    const gone = patchFor<typeof data>(entry, 'do')(data);
    expect(flattenGrid(gone).map((i) => i.id)).toEqual(['a', 'c']);
    expect(flattenGrid(patchFor<typeof data>(entry, 'undo')(gone)).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(callsFor(entry, 'do')).toEqual([{ op: 'delete', ids: ['b'] }]);
    expect(callsFor(entry, 'undo')).toEqual([{ op: 'restore', ids: ['b'] }]);
    expect(describeEntry(entry)).toBe('Deleted 1 variation');
  });

  it('splits calls to stay within the action limit', () => {
    const many = Array.from({ length: MAX_IDS_PER_CALL + 20 }, (_, i) => gridItem(`v${i}`));
    const calls = callsFor(rejectEntry(1, many)!, 'do');
    expect(calls.map((c) => c.ids.length)).toEqual([MAX_IDS_PER_CALL, 20]);
  });
});
