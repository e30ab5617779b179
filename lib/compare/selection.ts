import type { CompareCandidate } from '@/lib/schemas/compare';

/**
 * Which image is A and which is B. A can be any reference or candidate; B is always a candidate
 * other than A. State holds only keys; `resolvePair` turns possibly stale keys (an item removed
 * from the tray) into a valid pair at render time. Pure.
 */
export type ComparePair = { a: CompareCandidate; b: CompareCandidate };
export type CompareModeId = 'side' | 'slider' | 'fade' | 'difference';

export const COMPARE_MODES: { id: CompareModeId; label: string }[] = [
  { id: 'side', label: 'Side by side' },
  { id: 'slider', label: 'Slider' },
  { id: 'fade', label: 'Fade' },
  { id: 'difference', label: 'Difference' },
];

export function cycleMode(mode: CompareModeId, delta: 1 | -1): CompareModeId {
  const i = COMPARE_MODES.findIndex((m) => m.id === mode);
  return COMPARE_MODES[(i + delta + COMPARE_MODES.length) % COMPARE_MODES.length]!.id;
}

/** The candidates B steps through: every candidate but A (all of them if A is the only one). */
export function bOptions(candidates: CompareCandidate[], aKey: string): CompareCandidate[] {
  const others = candidates.filter((c) => c.key !== aKey);
  return others.length > 0 ? others : candidates;
}

export function resolvePair(
  candidates: CompareCandidate[],
  references: CompareCandidate[],
  aKey: string | undefined,
  bKey: string | undefined,
): ComparePair | null {
  const a = [...references, ...candidates].find((c) => c.key === aKey) ?? references[0] ?? candidates[0];
  if (!a) return null;
  const options = bOptions(candidates, a.key);
  const b = options.find((c) => c.key === bKey) ?? options[0];
  return b ? { a, b } : null;
}

/** B moved `delta` places through its options, wrapping. */
export function stepB(options: CompareCandidate[], bKey: string, delta: number): string {
  if (options.length === 0) return bKey;
  const i = Math.max(
    0,
    options.findIndex((c) => c.key === bKey),
  );
  return options[(((i + delta) % options.length) + options.length) % options.length]!.key;
}

/**
 * Pins `newA` as A. B stays where it is unless it just became A; then it moves on to the
 * candidate after it, so "pin B as A" flows straight into comparing the next one.
 */
export function pinA(candidates: CompareCandidate[], newA: string, bKey: string): { aKey: string; bKey: string } {
  if (newA !== bKey) return { aKey: newA, bKey };
  const from = candidates.findIndex((c) => c.key === bKey);
  for (let step = 1; step <= candidates.length; step++) {
    const next = candidates[(from + step) % candidates.length];
    if (next && next.key !== newA) return { aKey: newA, bKey: next.key };
  }
  return { aKey: newA, bKey };
}
