import 'server-only';
import { describeColour, luma, seededShade, type NamedColour, type Rgb } from './colors';
import { mapFrame, type Frame } from './frame';
import type { Op } from './ops';
import { between, type SeedSource } from './prng';

export type ToneOp = Extract<
  Op,
  { kind: 'greyscale' | 'sepia' | 'warmth' | 'brightness' | 'contrast' | 'saturation' | 'blur' | 'sharpen' | 'tint' }
>;
export type Stepped = { frame: Frame; step: string };

// Rec. 709 luma weights, applied to sRGB values (what "black and white" means to a designer).
const LUMA: [number, number, number] = [0.2126, 0.7152, 0.0722];
// Sepia as a warm-brown multiple of luma: whites land on a paper tone, not blown-out yellow.
const SEPIA_TONE: [number, number, number] = [1.07, 0.92, 0.72];
const sepiaRow = (c: 0 | 1 | 2): [number, number, number] => [LUMA[0] * SEPIA_TONE[c], LUMA[1] * SEPIA_TONE[c], LUMA[2] * SEPIA_TONE[c]];

const pct = (x: number) => `${x > 0 ? '+' : ''}${Math.round(x * 100)}%`;

/**
 * The amount an adjective leaves open ("warmer": how much?) varies with the seed within
 * ±15% of the default, so variations differ without any one being far off the request.
 */
function openAmount(seeds: SeedSource, kind: string, amount: number): number {
  return amount * between(seeds.stream(`amount:${kind}`), 0.85, 1.15);
}

export async function applyTone(frame: Frame, op: ToneOp, seeds: SeedSource): Promise<Stepped> {
  const side = Math.min(frame.width, frame.height);
  switch (op.kind) {
    case 'greyscale':
      return {
        frame: await mapFrame(frame, (s) => s.recomb([LUMA, LUMA, LUMA])),
        step: 'Converted to black and white',
      };
    case 'sepia':
      return {
        frame: await mapFrame(frame, (s) => s.recomb([sepiaRow(0), sepiaRow(1), sepiaRow(2)])),
        step: 'Applied a sepia tone',
      };
    case 'warmth': {
      const k = openAmount(seeds, op.kind, op.amount) * op.direction;
      // Push red up and blue down (or the reverse): a white-balance shift, not a colour wash.
      const a = [1 + 0.07 * k, 1 + 0.01 * k, 1 - 0.09 * k];
      const b = [6 * k, 1 * k, -8 * k];
      return {
        frame: await mapFrame(frame, (s) => s.linear(a, b)),
        step: `${op.direction > 0 ? 'Warmed' : 'Cooled'} the colours (${pct(Math.abs(0.08 * k))})`,
      };
    }
    case 'brightness': {
      const k = 0.15 * openAmount(seeds, op.kind, op.amount) * op.direction;
      return {
        frame: await mapFrame(frame, (s) => s.modulate({ brightness: 1 + k })),
        step: `${op.direction > 0 ? 'Brightened' : 'Darkened'} (${pct(k)})`,
      };
    }
    case 'contrast': {
      const k = 0.25 * openAmount(seeds, op.kind, op.amount);
      const a = op.direction > 0 ? 1 + k : 1 / (1 + k);
      return {
        frame: await mapFrame(frame, (s) => s.linear(a, 128 * (1 - a))),
        step: `${op.direction > 0 ? 'Increased' : 'Reduced'} contrast (${pct(a - 1)})`,
      };
    }
    case 'saturation': {
      const k = openAmount(seeds, op.kind, op.amount);
      const factor = op.direction > 0 ? 1 + 0.35 * k : 1 / (1 + 0.6 * k);
      return {
        frame: await mapFrame(frame, (s) => s.modulate({ saturation: factor })),
        step: `${op.direction > 0 ? 'Increased' : 'Reduced'} saturation (${pct(factor - 1)})`,
      };
    }
    case 'blur': {
      const sigma = Math.max(0.8, (side / 150) * openAmount(seeds, op.kind, op.amount));
      return {
        frame: await mapFrame(frame, (s) => s.blur(sigma)),
        step: `Blurred (Gaussian, sigma ${sigma.toFixed(1)} px)`,
      };
    }
    case 'sharpen': {
      // The radius follows the picture size; "slightly" / "a lot" scale the strength instead.
      const sigma = Math.max(0.8, side / 1000);
      const k = openAmount(seeds, op.kind, op.amount);
      return {
        frame: await mapFrame(frame, (s) => s.sharpen({ sigma, m1: 1.5 * k, m2: 3 * k })),
        step: `Sharpened (sigma ${sigma.toFixed(1)} px)`,
      };
    }
    case 'tint': {
      const target = seededShade(op.colour, seeds.stream('shade:tint'));
      const strength = Math.min(0.85, Math.max(0.15, 0.45 * openAmount(seeds, op.kind, op.amount)));
      return {
        frame: colourise(frame, target, () => strength),
        step: `Tinted with ${describeColour(target, op.colour)} (${Math.round(strength * 100)}%)`,
      };
    }
  }
}

/**
 * Colour at a given luma with the target's hue: black -> target -> white, passing through the
 * target exactly at its own luma. `scale` lets a subject recolour map its mean luma there.
 */
function colourise(frame: Frame, target: Rgb, strengthAt: (pixel: number) => number, lumaScale = 1): Frame {
  const { data, width, height } = frame;
  const out = Buffer.from(data);
  const lt = Math.max(1, Math.min(254, luma(target)));
  const t = [target.r, target.g, target.b];
  for (let p = 0, i = 0; i < data.length; p += 1, i += 4) {
    const s = strengthAt(p);
    if (s <= 0) continue;
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    const l = Math.min(255, (0.2126 * r + 0.7152 * g + 0.0722 * b) * lumaScale);
    const src = [r, g, b];
    for (let c = 0; c < 3; c += 1) {
      const tc = t[c] ?? 0;
      const coloured = l <= lt ? (tc * l) / lt : tc + ((255 - tc) * (l - lt)) / (255 - lt);
      const v = src[c] ?? 0;
      out[i + c] = Math.round(v + (coloured - v) * s);
    }
  }
  return { data: out, width, height };
}

/** Recolours only the subject (alpha from segmentation), keeping its shading. */
export function recolourSubject(frame: Frame, alpha: Uint8Array, colour: NamedColour, seeds: SeedSource): Stepped {
  const target = seededShade(colour, seeds.stream('shade:recolour'));
  const { data } = frame;
  let sum = 0;
  let weight = 0;
  for (let p = 0, i = 0; p < alpha.length; p += 1, i += 4) {
    const a = alpha[p] ?? 0;
    if (a < 128) continue;
    sum += 0.2126 * (data[i] ?? 0) + 0.7152 * (data[i + 1] ?? 0) + 0.0722 * (data[i + 2] ?? 0);
    weight += 1;
  }
  const mean = weight > 0 ? sum / weight : 128;
  // Map the subject's mean luma onto the target's, so "red" reads as red, not as dark red.
  const scale = Math.min(4, Math.max(0.25, luma(target) / Math.max(8, mean)));
  return {
    frame: colourise(frame, target, (p) => ((alpha[p] ?? 0) / 255) * 0.92, scale),
    step: `Recoloured the subject to ${describeColour(target, colour)}`,
  };
}
