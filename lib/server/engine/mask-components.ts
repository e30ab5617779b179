import 'server-only';

/** A 4-connected region: its pixels are `pixels[offset .. offset + size)`. */
export type Component = { offset: number; size: number };

/**
 * Labels the 4-connected components of the pixels for which `member` holds. All pixel
 * indexes land in one shared Int32Array (each pixel belongs to at most one component), so a
 * megapixel frame costs two typed arrays and no per-pixel allocation.
 */
export function components(width: number, height: number, member: (p: number) => boolean): { pixels: Int32Array; list: Component[] } {
  const n = width * height;
  const seen = new Uint8Array(n);
  const pixels = new Int32Array(n);
  const list: Component[] = [];
  let end = 0;
  for (let start = 0; start < n; start += 1) {
    if (seen[start] || !member(start)) continue;
    const offset = end;
    seen[start] = 1;
    pixels[end++] = start;
    // The region grows at the end of `pixels`, which doubles as the work queue (BFS).
    for (let k = offset; k < end; k += 1) {
      const p = pixels[k]!;
      const x = p % width;
      if (x > 0 && !seen[p - 1] && member(p - 1)) {
        seen[p - 1] = 1;
        pixels[end++] = p - 1;
      }
      if (x < width - 1 && !seen[p + 1] && member(p + 1)) {
        seen[p + 1] = 1;
        pixels[end++] = p + 1;
      }
      if (p >= width && !seen[p - width] && member(p - width)) {
        seen[p - width] = 1;
        pixels[end++] = p - width;
      }
      if (p < n - width && !seen[p + width] && member(p + width)) {
        seen[p + width] = 1;
        pixels[end++] = p + width;
      }
    }
    list.push({ offset, size: end - offset });
  }
  return { pixels, list };
}
