import type { Percentiles } from '@/lib/schemas/ledger-stats';

/**
 * Nearest-rank percentile: the smallest value with at least p % of the values at or below
 * it, i.e. the value at 1-based rank ceil(p/100 × n) of the sorted list. Chosen over linear
 * interpolation because every figure it reports is a latency that really happened (a P99 of
 * 3 samples is the slowest one, not a blend), and it is what spreadsheets call PERCENTILE.EXC's
 * plain cousin: easy to check by hand from the CSV export.
 */
export function nearestRank(n: number, p: number): number {
  if (n <= 0) return 0;
  // p × n / 100 from an integer product: exact whenever the rank is a whole number.
  return Math.min(n, Math.max(1, Math.ceil((p * n) / 100)));
}

/** Percentile of an ascending-sorted list; null for an empty list. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[nearestRank(sorted.length, p) - 1]!;
}

/** P50, P95 and P99 of the values (any order; a typed array is sorted in place). */
export function percentiles(values: Float64Array | readonly number[]): Percentiles {
  const sorted = values instanceof Float64Array ? values.sort() : Float64Array.from(values).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/**
 * The comma-packed integers SQLite's group_concat returns (null: none), read by hand: about
 * twice as fast as split + Number over the ~100,000 values of a busy month.
 */
export function parseDurations(packed: string | null): Float64Array {
  if (!packed) return new Float64Array(0);
  let n = 1;
  for (let i = 0; i < packed.length; i++) if (packed.charCodeAt(i) === 44) n++;
  const out = new Float64Array(n);
  let k = 0;
  let value = 0;
  let negative = false;
  for (let i = 0; i <= packed.length; i++) {
    const c = i < packed.length ? packed.charCodeAt(i) : 44;
    if (c === 44) {
      out[k++] = negative ? -value : value;
      value = 0;
      negative = false;
    } else if (c === 45) negative = true;
    else value = value * 10 + (c - 48);
  }
  return out;
}

/** Counts of each code in a packed list, most frequent first. */
export function countCodes(packed: string | null, sep: string): { code: string; count: number }[] {
  if (!packed) return [];
  const counts = new Map<string, number>();
  for (const code of packed.split(sep)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Success over what finished either way; cancelled and pending work say nothing about the provider. */
export function successRate(succeeded: number, failed: number): number | null {
  const finished = succeeded + failed;
  return finished === 0 ? null : succeeded / finished;
}
