/**
 * Which two items a blind reviewer sees next, pure. Candidates are every pair of items from
 * different targets; a reviewer never gets a pair they already voted on (either order); among
 * the rest, the pairs with the fewest votes from everyone come first, so votes spread over all
 * pairs; ties are broken at random, and which item stands left is a coin toss per pair, so
 * position says nothing about the target.
 */

export type PairItem = { id: string; target: string };
export type VotedPair = { itemAId: string; itemBId: string };
export type Pair = { left: string; right: string };

const keyOf = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);

export function candidatePairs(items: PairItem[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) if (items[i]!.target !== items[j]!.target) pairs.push([items[i]!.id, items[j]!.id]);
  return pairs;
}

export function nextPair(
  items: PairItem[],
  mine: VotedPair[],
  everyone: VotedPair[],
  random: () => number = Math.random,
): { pair: Pair | null; remaining: number } {
  const done = new Set(mine.map((v) => keyOf(v.itemAId, v.itemBId)));
  const counts = new Map<string, number>();
  for (const v of everyone) counts.set(keyOf(v.itemAId, v.itemBId), (counts.get(keyOf(v.itemAId, v.itemBId)) ?? 0) + 1);
  const open = candidatePairs(items).filter(([a, b]) => !done.has(keyOf(a, b)));
  if (open.length === 0) return { pair: null, remaining: 0 };
  const fewest = Math.min(...open.map(([a, b]) => counts.get(keyOf(a, b)) ?? 0));
  const pool = open.filter(([a, b]) => (counts.get(keyOf(a, b)) ?? 0) === fewest);
  const [a, b] = pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))]!;
  const pair = random() < 0.5 ? { left: a, right: b } : { left: b, right: a };
  return { pair, remaining: open.length };
}
