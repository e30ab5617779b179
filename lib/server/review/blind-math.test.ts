import { describe, expect, it } from 'vitest';
import { scoreTargets, wilsonInterval } from './blind-math';
import { candidatePairs, nextPair } from './pairing';

describe('Wilson score interval (95 %)', () => {
  it('matches known values', () => {
    // 8 of 10: the textbook example, [0.4902, 0.9433].
    const a = wilsonInterval(8, 10);
    expect(a.low).toBeCloseTo(0.4902, 4);
    expect(a.high).toBeCloseTo(0.9433, 4);
    // 0 of 10: lower bound 0, upper 0.2775 (not the degenerate [0, 0] of the normal approximation).
    const b = wilsonInterval(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 4);
    // 50 of 100: symmetric around one half, [0.4038, 0.5962].
    const c = wilsonInterval(50, 100);
    expect(c.low).toBeCloseTo(0.4038, 4);
    expect(c.high).toBeCloseTo(0.5962, 4);
    // 10 of 10 mirrors 0 of 10.
    expect(wilsonInterval(10, 10).low).toBeCloseTo(1 - 0.2775, 4);
  });
  it('is the whole range with no votes and narrows as votes grow', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    const small = wilsonInterval(3, 4);
    const large = wilsonInterval(300, 400);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });
});

describe('scores per target', () => {
  const target: Record<string, string> = { a1: 'A', a2: 'A', b1: 'B', c1: 'C' };
  const of = (id: string) => target[id];

  it('counts a win, a loss and a tie (half a win each) per target', () => {
    const scores = scoreTargets(
      [
        { itemAId: 'a1', itemBId: 'b1', choice: 'a' },
        { itemAId: 'b1', itemBId: 'a2', choice: 'b' },
        { itemAId: 'a1', itemBId: 'b1', choice: 'same' },
        { itemAId: 'c1', itemBId: 'b1', choice: 'a' },
      ],
      of,
    );
    const byTarget = Object.fromEntries(scores.map((s) => [s.target, s]));
    expect(byTarget.A).toMatchObject({ votes: 3, wins: 2, ties: 1, losses: 0 });
    expect(byTarget.A!.rate).toBeCloseTo(2.5 / 3, 10);
    expect(byTarget.B).toMatchObject({ votes: 4, wins: 0, ties: 1, losses: 3, rate: 0.125 });
    expect(byTarget.C).toMatchObject({ votes: 1, wins: 1, rate: 1 });
    expect(byTarget.A!.low).toBeCloseTo(wilsonInterval(2.5, 3).low, 10);
    expect(scores.map((s) => s.target)).toEqual(['C', 'A', 'B']);
  });

  it('skips votes within one target or naming unknown items, and lists targets with no votes', () => {
    const scores = scoreTargets(
      [
        { itemAId: 'a1', itemBId: 'a2', choice: 'a' },
        { itemAId: 'zz', itemBId: 'b1', choice: 'a' },
      ],
      of,
      ['A', 'B'],
    );
    expect(scores).toEqual([
      { target: 'A', votes: 0, wins: 0, ties: 0, losses: 0, rate: 0, low: 0, high: 1 },
      { target: 'B', votes: 0, wins: 0, ties: 0, losses: 0, rate: 0, low: 0, high: 1 },
    ]);
  });

  it('all ties give one half for every target', () => {
    const scores = scoreTargets([{ itemAId: 'a1', itemBId: 'b1', choice: 'same' }], of);
    expect(scores.every((s) => s.rate === 0.5 && s.ties === 1)).toBe(true);
  });
});

describe('pairing', () => {
  const items = [
    { id: 'a1', target: 'A' },
    { id: 'a2', target: 'A' },
    { id: 'b1', target: 'B' },
    { id: 'c1', target: 'C' },
  ];

  it('pairs only items of different targets', () => {
    const pairs = candidatePairs(items);
    expect(pairs).toHaveLength(5); // a1b1 a1c1 a2b1 a2c1 b1c1; never a1a2
    expect(pairs.some(([x, y]) => x.startsWith('a') && y.startsWith('a'))).toBe(false);
    expect(candidatePairs([items[0]!, items[1]!])).toEqual([]);
  });

  it('never repeats a pair for one reviewer, in either order, and ends when all are done', () => {
    const mine: { itemAId: string; itemBId: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const { pair, remaining } = nextPair(items, mine, mine);
      expect(remaining).toBe(5 - i);
      expect(pair).not.toBeNull();
      mine.push(i % 2 ? { itemAId: pair!.right, itemBId: pair!.left } : { itemAId: pair!.left, itemBId: pair!.right });
    }
    expect(new Set(mine.map((v) => [v.itemAId, v.itemBId].sort().join())).size).toBe(5);
    expect(nextPair(items, mine, mine)).toEqual({ pair: null, remaining: 0 });
  });

  it('prefers the pairs with fewest votes overall', () => {
    const everyone = candidatePairs(items)
      .filter(([x, y]) => !(x === 'b1' && y === 'c1'))
      .map(([x, y]) => ({ itemAId: x, itemBId: y }));
    for (let i = 0; i < 20; i++) {
      const { pair } = nextPair(items, [], everyone);
      expect([pair!.left, pair!.right].sort()).toEqual(['b1', 'c1']);
    }
  });

  it('puts each item on the left about half the time', () => {
    let seed = 1;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    let left = 0;
    const two = [
      { id: 'x', target: 'X' },
      { id: 'y', target: 'Y' },
    ];
    for (let i = 0; i < 1000; i++) if (nextPair(two, [], [], rnd).pair!.left === 'x') left++;
    expect(left).toBeGreaterThan(430);
    expect(left).toBeLessThan(570);
  });
});
