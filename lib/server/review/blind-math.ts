/**
 * Win rates of a blind comparison, pure (no server imports, so the tests and any page can use it).
 *
 * Each vote is one comparison for each of the two targets shown. A win counts 1, a "same"
 * counts ½ for both sides (the usual tie rule of paired-comparison ratings: it keeps
 * wins + losses + ties = comparisons, so rates across targets stay comparable), and ties are
 * also reported on their own so a designer can see "often the same" apart from "sometimes
 * better". The 95 % interval is Wilson's score interval, which stays inside [0, 1] and behaves
 * at small counts where the normal approximation does not (Wilson 1927; Agresti & Coull 1998).
 */

import type { TargetScoreDto } from '@/lib/schemas/review';

export const Z_95 = 1.959963984540054;

/** Wilson score interval for `successes` out of `n` (successes may be fractional: ties count ½). */
export function wilsonInterval(successes: number, n: number, z = Z_95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export type VoteChoice = 'a' | 'b' | 'same';
export type Vote = { itemAId: string; itemBId: string; choice: VoteChoice };

/** A target's row of the results, before the caller adds how many items it has in the gallery. */
export type TargetScore = Omit<TargetScoreDto, 'items'>;

/**
 * Scores per target from votes between items. `targetOf` maps an item id to its target; a
 * vote between two items of one target (possible after items were re-added) says nothing
 * about targets and is skipped, as is a vote naming an item no longer in the gallery.
 * Sorted by rate, then by votes.
 */
export function scoreTargets(votes: Vote[], targetOf: (itemId: string) => string | undefined, targets: string[] = []): TargetScore[] {
  const tally = new Map<string, { wins: number; ties: number; losses: number }>();
  const row = (t: string) => {
    let r = tally.get(t);
    if (!r) {
      r = { wins: 0, ties: 0, losses: 0 };
      tally.set(t, r);
    }
    return r;
  };
  for (const t of targets) row(t);
  for (const v of votes) {
    const a = targetOf(v.itemAId);
    const b = targetOf(v.itemBId);
    if (!a || !b || a === b) continue;
    if (v.choice === 'same') {
      row(a).ties++;
      row(b).ties++;
    } else {
      const [winner, loser] = v.choice === 'a' ? [a, b] : [b, a];
      row(winner).wins++;
      row(loser).losses++;
    }
  }
  return [...tally.entries()]
    .map(([target, { wins, ties, losses }]) => {
      const n = wins + ties + losses;
      const points = wins + ties / 2;
      return { target, votes: n, wins, ties, losses, rate: n ? points / n : 0, ...wilsonInterval(points, n) };
    })
    .sort((x, y) => y.rate - x.rate || y.votes - x.votes || x.target.localeCompare(y.target));
}
