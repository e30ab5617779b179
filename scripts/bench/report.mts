/** Median of repeated timings, printed against an optional target. */
export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const out = await fn();
  return [performance.now() - t, out];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function report(label: string, value: number, unit: string, target?: { max: number }): void {
  const shown = unit === '×' ? value.toFixed(2) : Math.round(value).toString();
  const verdict = target
    ? value <= target.max
      ? `  ✓ target ≤ ${target.max}${unit === '×' ? '×' : ` ${unit}`}`
      : `  ✗ target ≤ ${target.max}${unit === '×' ? '×' : ` ${unit}`}`
    : '';
  console.log(`${label.padEnd(68)} ${shown.padStart(8)} ${unit}${verdict}`);
}
