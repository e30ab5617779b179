import { describe, expect, it } from 'vitest';
import { moveItem } from './order';

describe('moveItem', () => {
  it('moves earlier, later, to the ends, and clamps', () => {
    const l = ['a', 'b', 'c', 'd'];
    expect(moveItem(l, 2, 1)).toEqual(['a', 'c', 'b', 'd']);
    expect(moveItem(l, 0, 3)).toEqual(['b', 'c', 'd', 'a']);
    expect(moveItem(l, 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(l, 1, 99)).toEqual(['a', 'c', 'd', 'b']);
    expect(moveItem(l, 9, 0)).toEqual(l);
    expect(l).toEqual(['a', 'b', 'c', 'd']);
  });
});
