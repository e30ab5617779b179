/**
 * |A − B| per pixel, amplified so small changes show. Pure (works on RGBA byte arrays such as
 * `ImageData.data`), so it is unit-tested without a canvas.
 */

/** Magnitudes are multiplied by this: a 16-level change becomes clearly visible. */
export const DIFF_GAIN = 4;
/** Mean channel change at or below this counts as unchanged (WebP/JPEG noise). */
export const DIFF_NOISE_FLOOR = 6;
/** How much of A's luminance is kept under the tint so the picture stays recognisable. */
const CONTEXT_LEVEL = 0.18;
/** The tint (magenta): reads on the dark context and does not look like image content. */
const TINT: [number, number, number] = [1, 0.25, 0.85];

export type PixelDiffStats = {
  /** Share of pixels above the noise floor, 0..1. */
  changedRatio: number;
  /** Largest raw magnitude, 0..255. */
  maxDelta: number;
};

/**
 * Writes the highlighted difference of `a` and `b` (same length, RGBA) into `out`.
 * Colours are compared premultiplied by alpha, so fully transparent pixels are equal whatever
 * their hidden RGB, and an alpha change counts as a change.
 */
export function diffPixels(a: Uint8ClampedArray, b: Uint8ClampedArray, out: Uint8ClampedArray, gain = DIFF_GAIN): PixelDiffStats {
  if (a.length !== b.length || out.length !== a.length || a.length % 4 !== 0) {
    throw new RangeError('diffPixels needs three RGBA buffers of the same length');
  }
  let changed = 0;
  let maxDelta = 0;
  for (let i = 0; i < a.length; i += 4) {
    const aa = a[i + 3]! / 255;
    const ba = b[i + 3]! / 255;
    const dr = Math.abs(a[i]! * aa - b[i]! * ba);
    const dg = Math.abs(a[i + 1]! * aa - b[i + 1]! * ba);
    const db = Math.abs(a[i + 2]! * aa - b[i + 2]! * ba);
    const magnitude = Math.max((dr + dg + db) / 3, Math.abs(a[i + 3]! - b[i + 3]!));
    if (magnitude > DIFF_NOISE_FLOOR) changed++;
    if (magnitude > maxDelta) maxDelta = magnitude;
    const boosted = Math.min(255, magnitude * gain);
    const context = (0.2126 * a[i]! + 0.7152 * a[i + 1]! + 0.0722 * a[i + 2]!) * aa * CONTEXT_LEVEL;
    // Uint8ClampedArray clamps and rounds on write.
    out[i] = context + boosted * TINT[0];
    out[i + 1] = context + boosted * TINT[1];
    out[i + 2] = context + boosted * TINT[2];
    out[i + 3] = 255;
  }
  const pixels = a.length / 4;
  return { changedRatio: pixels === 0 ? 0 : changed / pixels, maxDelta: Math.round(maxDelta) };
}

/** The canvas size both images are drawn into: A's own size, long side capped. */
export function diffCanvasSize(width: number, height: number, maxSide = 2048): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Where an image of `w`×`h` lands when contained (letterboxed, centred) in a `boxW`×`boxH` box:
 * the same fit the A/B panes use on screen, so the difference lines up with what is shown.
 */
export function containRect(w: number, h: number, boxW: number, boxH: number): { x: number; y: number; width: number; height: number } {
  const scale = Math.min(boxW / Math.max(w, 1), boxH / Math.max(h, 1));
  const width = w * scale;
  const height = h * scale;
  return { x: (boxW - width) / 2, y: (boxH - height) / 2, width, height };
}
