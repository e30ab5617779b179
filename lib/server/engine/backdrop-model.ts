import 'server-only';
import type { Rgb } from './colors';
import { forEachBorderPixel, type Frame } from './frame';

/**
 * The backdrop as a colour plane: value = a + b*u + c*v per channel, u and v running -0.5..0.5
 * across the frame. A flat backdrop fits with b = c = 0; a lit sweep or a gradient paper fits
 * too, where a single colour would leave its darker end looking like "subject".
 * Fitted to the border ring by least squares, twice: the second pass drops the border
 * pixels the first fit could not explain (where the subject touches the edge).
 */
export type BackdropModel = { coef: [Coef, Coef, Coef]; centre: Rgb; slope: number };
type Coef = [number, number, number];

const weighted2 = (dr: number, dg: number, db: number) => 2 * dr * dr + 4 * dg * dg + 3 * db * db;

/** Border samples (at most ~6000, evenly strided) as parallel typed arrays. */
type Samples = { u: Float32Array; v: Float32Array; px: [Float32Array, Float32Array, Float32Array]; count: number };

function sampleRing(frame: Frame, ring: number): Samples {
  const { data, width, height } = frame;
  let total = 0;
  forEachBorderPixel(width, height, ring, () => {
    total += 1;
  });
  const stride = Math.max(1, Math.floor(total / 6000));
  const cap = Math.ceil(total / stride);
  const s: Samples = {
    u: new Float32Array(cap),
    v: new Float32Array(cap),
    px: [new Float32Array(cap), new Float32Array(cap), new Float32Array(cap)],
    count: 0,
  };
  let k = 0;
  forEachBorderPixel(width, height, ring, (p) => {
    k += 1;
    if (k % stride !== 0) return;
    const i = p * 4;
    if ((data[i + 3] ?? 0) < 128 || s.count >= cap) return;
    s.u[s.count] = (p % width) / Math.max(1, width - 1) - 0.5;
    s.v[s.count] = Math.floor(p / width) / Math.max(1, height - 1) - 0.5;
    for (let c = 0; c < 3; c += 1) s.px[c as 0 | 1 | 2][s.count] = data[i + c] ?? 0;
    s.count += 1;
  });
  return s;
}

function medianOf(values: Float32Array, count: number): number {
  const sorted = values.slice(0, count).sort();
  return sorted[Math.floor(count / 2)] ?? 0;
}

export function fitBackdrop(frame: Frame, ring: number): BackdropModel {
  const s = sampleRing(frame, ring);
  const { count } = s;
  const mc = [medianOf(s.px[0], count), medianOf(s.px[1], count), medianOf(s.px[2], count)];
  const keep = new Uint8Array(count);

  // Start from the border pixels near the median colour, then refit on the first fit's inliers.
  let kept = 0;
  for (let k = 0; k < count; k += 1) {
    const d = weighted2((s.px[0][k] ?? 0) - (mc[0] ?? 0), (s.px[1][k] ?? 0) - (mc[1] ?? 0), (s.px[2][k] ?? 0) - (mc[2] ?? 0));
    keep[k] = d < 3 * 60 * 60 ? 1 : 0;
    kept += keep[k] ?? 0;
  }
  if (kept < count * 0.2) keep.fill(1);
  let coef = solve(s, keep) ?? constant(mc);
  const residuals = new Float32Array(count);
  for (let k = 0; k < count; k += 1) {
    const u = s.u[k] ?? 0;
    const v = s.v[k] ?? 0;
    residuals[k] = Math.sqrt(
      weighted2(
        (s.px[0][k] ?? 0) - evaluate(coef[0], u, v),
        (s.px[1][k] ?? 0) - evaluate(coef[1], u, v),
        (s.px[2][k] ?? 0) - evaluate(coef[2], u, v),
      ) / 3,
    );
  }
  const cut = Math.max(12, 3 * medianOf(residuals, count));
  for (let k = 0; k < count; k += 1) keep[k] = (residuals[k] ?? 0) <= cut ? 1 : 0;
  coef = solve(s, keep) ?? coef;

  const centre = { r: clamp(coef[0][0]), g: clamp(coef[1][0]), b: clamp(coef[2][0]) };
  const slope = Math.max(...coef.map((k) => Math.hypot(k[1], k[2])));
  return { coef, centre, slope };
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const evaluate = (k: Coef, u: number, v: number) => k[0] + k[1] * u + k[2] * v;
const constant = (mc: number[]): [Coef, Coef, Coef] => [
  [mc[0] ?? 0, 0, 0],
  [mc[1] ?? 0, 0, 0],
  [mc[2] ?? 0, 0, 0],
];

/** Least squares for a + b*u + c*v over the kept samples, all three channels at once. */
function solve(s: Samples, keep: Uint8Array): [Coef, Coef, Coef] | null {
  let n = 0,
    su = 0,
    sv = 0,
    suu = 0,
    svv = 0,
    suv = 0;
  const sy = [0, 0, 0],
    suy = [0, 0, 0],
    svy = [0, 0, 0];
  for (let k = 0; k < s.count; k += 1) {
    if (!keep[k]) continue;
    const u = s.u[k] ?? 0;
    const v = s.v[k] ?? 0;
    n += 1;
    su += u;
    sv += v;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    for (let c = 0; c < 3; c += 1) {
      const y = s.px[c as 0 | 1 | 2][k] ?? 0;
      sy[c] = (sy[c] ?? 0) + y;
      suy[c] = (suy[c] ?? 0) + u * y;
      svy[c] = (svy[c] ?? 0) + v * y;
    }
  }
  if (n < 8) return null;
  // Cramer's rule on the 3x3 normal equations.
  const det = n * (suu * svv - suv * suv) - su * (su * svv - suv * sv) + sv * (su * suv - suu * sv);
  if (Math.abs(det) < 1e-9) return null;
  const channel = (c: number): Coef => {
    const y = sy[c] ?? 0,
      uy = suy[c] ?? 0,
      vy = svy[c] ?? 0;
    const a = (y * (suu * svv - suv * suv) - su * (uy * svv - suv * vy) + sv * (uy * suv - suu * vy)) / det;
    const b = (n * (uy * svv - suv * vy) - y * (su * svv - suv * sv) + sv * (su * vy - uy * sv)) / det;
    const cc = (n * (suu * vy - uy * suv) - su * (su * vy - uy * sv) + y * (su * suv - suu * sv)) / det;
    return [a, b, cc];
  };
  return [channel(0), channel(1), channel(2)];
}

/**
 * Weighted squared distance of every pixel to the backdrop plane at its position (green
 * counts most, as the eye does). Compare with 3*T^2: for an equal shift in all channels this
 * is the plain Euclidean distance. Transparent pixels count as backdrop (distance 0).
 */
export function backdropDistances(frame: Frame, model: BackdropModel): Float32Array {
  const { data, width, height } = frame;
  const out = new Float32Array(width * height);
  const [kr, kg, kb] = model.coef;
  const du = 1 / Math.max(1, width - 1);
  for (let y = 0, p = 0; y < height; y += 1) {
    const v = y / Math.max(1, height - 1) - 0.5;
    let r = kr[0] - 0.5 * kr[1] + kr[2] * v;
    let g = kg[0] - 0.5 * kg[1] + kg[2] * v;
    let b = kb[0] - 0.5 * kb[1] + kb[2] * v;
    for (let x = 0; x < width; x += 1, p += 1) {
      const i = p * 4;
      out[p] = (data[i + 3] ?? 0) < 128 ? 0 : weighted2((data[i] ?? 0) - r, (data[i + 1] ?? 0) - g, (data[i + 2] ?? 0) - b);
      r += kr[1] * du;
      g += kg[1] * du;
      b += kb[1] * du;
    }
  }
  return out;
}
