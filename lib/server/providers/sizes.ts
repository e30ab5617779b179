import 'server-only';

/**
 * The vendor aspect ratio ("16:9", "1:1"...) closest to a requested size, compared on a log
 * scale so 2:1 and 1:2 are equally far from 1:1. For models that take a ratio, not pixels.
 */
export function nearestRatio(size: { width: number; height: number }, ratios: readonly string[]): string {
  const want = Math.log(size.width / size.height);
  let best = ratios[0] ?? '1:1';
  let bestDist = Infinity;
  for (const r of ratios) {
    const [w, h] = r.split(':').map(Number);
    if (!w || !h) continue;
    const dist = Math.abs(Math.log(w / h) - want);
    if (dist < bestDist) {
      best = r;
      bestDist = dist;
    }
  }
  return best;
}
