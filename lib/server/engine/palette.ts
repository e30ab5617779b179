import 'server-only';
import { rawInput, toFrame, type Frame } from './frame';

/**
 * Colour transfer after Reinhard et al. (2001), "Color Transfer between Images": shift and
 * scale each channel so its mean and spread match the reference. Done in CIE Lab (D65),
 * where lightness and the two colour axes are nearly independent, instead of lαβ.
 */

const SRGB_TO_LINEAR = new Float64Array(256).map((_v, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const LINEAR_STEPS = 4096;
const LINEAR_TO_SRGB = new Uint8Array(LINEAR_STEPS + 1).map((_v, i) => {
  const c = i / LINEAR_STEPS;
  const s = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, s)) * 255);
});

const XN = 0.95047;
const ZN = 1.08883;
const EPS = 216 / 24389;
const KAPPA = 24389 / 27;
const f = (t: number) => (t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
const finv = (t: number) => (t * t * t > EPS ? t * t * t : (116 * t - 16) / KAPPA);

/** Lab of one pixel into out[0..2]. */
function toLab(r: number, g: number, b: number, out: Float64Array): void {
  const lr = SRGB_TO_LINEAR[r] ?? 0;
  const lg = SRGB_TO_LINEAR[g] ?? 0;
  const lb = SRGB_TO_LINEAR[b] ?? 0;
  const fx = f((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / XN);
  const fy = f(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const fz = f((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / ZN);
  out[0] = 116 * fy - 16;
  out[1] = 500 * (fx - fy);
  out[2] = 200 * (fy - fz);
}

function encode(linear: number): number {
  const i = Math.round(Math.min(1, Math.max(0, linear)) * LINEAR_STEPS);
  return LINEAR_TO_SRGB[i] ?? 0;
}

type Stats = { mean: [number, number, number]; std: [number, number, number] };

/** Lab mean/std over the opaque pixels, measured on a <=256 px thumbnail for speed. */
export async function labStats(frame: Frame, weights?: Uint8Array): Promise<Stats> {
  const small = weights ? frame : await toFrame(rawInput(frame).resize(256, 256, { fit: 'inside', withoutEnlargement: true }));
  const { data } = small;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  let count = 0;
  const lab = new Float64Array(3);
  for (let p = 0, i = 0; i < data.length; p += 1, i += 4) {
    const a = weights ? (weights[p] ?? 0) : (data[i + 3] ?? 0);
    if (a < 128) continue;
    toLab(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, lab);
    for (let c = 0; c < 3; c += 1) {
      const v = lab[c] ?? 0;
      sum[c] = (sum[c] ?? 0) + v;
      sq[c] = (sq[c] ?? 0) + v * v;
    }
    count += 1;
  }
  const n = Math.max(1, count);
  const mean = sum.map((s) => s / n) as [number, number, number];
  const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / n - (mean[c] ?? 0) ** 2))) as [number, number, number];
  return { mean, std };
}

/**
 * Moves `frame`'s colours toward `target` stats by `strength` (0..1). The spread ratio is
 * clamped so a flat source (a plain backdrop) is not stretched into noise.
 */
export function transferColours(frame: Frame, source: Stats, target: Stats, strength: number): Frame {
  const { data, width, height } = frame;
  const out = Buffer.from(data);
  const scale = [0, 1, 2].map((c) => {
    const s = source.std[c] ?? 1;
    const t = target.std[c] ?? 1;
    return Math.min(3, Math.max(0.33, s < 0.5 ? 1 : t / s));
  });
  const lab = new Float64Array(3);
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i + 3] ?? 0) === 0) continue;
    toLab(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, lab);
    const mapped = [0, 0, 0];
    for (let c = 0; c < 3; c += 1) {
      const v = lab[c] ?? 0;
      const moved = (v - (source.mean[c] ?? 0)) * (scale[c] ?? 1) + (target.mean[c] ?? 0);
      mapped[c] = v + (moved - v) * strength;
    }
    const L = Math.min(100, Math.max(0, mapped[0] ?? 0));
    const fy = (L + 16) / 116;
    const fx = fy + (mapped[1] ?? 0) / 500;
    const fz = fy - (mapped[2] ?? 0) / 200;
    const x = finv(fx) * XN;
    const y = L > KAPPA * EPS ? fy * fy * fy : L / KAPPA;
    const z = finv(fz) * ZN;
    out[i] = encode(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
    out[i + 1] = encode(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
    out[i + 2] = encode(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
  }
  return { data: out, width, height };
}
