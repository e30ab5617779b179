import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, clickSelect, extendTo, pruneSelection, rangeBetween, selectAll } from './selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const plain = { toggle: false, range: false };
const ctrl = { toggle: true, range: false };
const shift = { toggle: false, range: true };
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('rangeBetween', () => {
  it('returns the inclusive range either way round', () => {
    expect(rangeBetween(order, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeBetween(order, 'e', 'c')).toEqual(['c', 'd', 'e']);
    expect(rangeBetween(order, 'gone', 'c')).toEqual(['c']);
  });
});

describe('clickSelect', () => {
  it('selects one on a plain click and toggles with Ctrl/Cmd', () => {
    let s = clickSelect(EMPTY_SELECTION, order, 'b', plain);
    expect(ids(s)).toEqual(['b']);
    s = clickSelect(s, order, 'd', ctrl);
    expect(ids(s)).toEqual(['b', 'd']);
    expect(s.anchor).toBe('d');
    s = clickSelect(s, order, 'b', ctrl);
    expect(ids(s)).toEqual(['d']);
    expect(ids(clickSelect(s, order, 'f', plain))).toEqual(['f']);
  });

  it('selects the range from the last clicked with Shift, keeping the anchor', () => {
    let s = clickSelect(EMPTY_SELECTION, order, 'c', plain);
    s = clickSelect(s, order, 'e', shift);
    expect(ids(s)).toEqual(['c', 'd', 'e']);
    s = clickSelect(s, order, 'a', shift);
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(s.anchor).toBe('c');
  });

  it('adds the range to the selection with Ctrl+Shift', () => {
    let s = clickSelect(EMPTY_SELECTION, order, 'a', plain);
    s = clickSelect(s, order, 'd', ctrl);
    s = clickSelect(s, order, 'f', { toggle: true, range: true });
    expect(ids(s)).toEqual(['a', 'd', 'e', 'f']);
  });

  it('treats Shift without an anchor as a plain click', () => {
    expect(ids(clickSelect(EMPTY_SELECTION, order, 'c', shift))).toEqual(['c']);
  });
});

describe('extendTo, selectAll and pruneSelection', () => {
  it('extends from the focus when there is no anchor', () => {
    expect(ids(extendTo(EMPTY_SELECTION, order, 'b', 'd'))).toEqual(['b', 'c', 'd']);
    const anchored = clickSelect(EMPTY_SELECTION, order, 'e', plain);
    expect(ids(extendTo(anchored, order, 'e', 'c'))).toEqual(['c', 'd', 'e']);
  });

  it('selects everything loaded', () => {
    expect(selectAll(order).ids.size).toBe(6);
  });

  it('drops rejected ids and keeps the same object when nothing changed', () => {
    const s = selectAll(order);
    const pruned = pruneSelection(s, new Set(['b', 'c', 'd', 'e', 'f']));
    expect(ids(pruned)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(pruned.anchor).toBeNull();
    expect(pruneSelection(pruned, new Set(order))).toBe(pruned);
  });
});
