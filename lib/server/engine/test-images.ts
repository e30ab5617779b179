import 'server-only';
import sharp from 'sharp';
import type { EngineImage, EngineInput } from './index';

/** Synthetic inputs and pixel readers shared by the engine's tests. */

export type Pixels = { data: Buffer; width: number; height: number };
export type Rgba = [number, number, number, number];

export const RED: Rgba = [208, 32, 32, 255];
export const MARKER: Rgba = [32, 48, 128, 255];

/**
 * A red disc on a light grey backdrop, with a small blue marker square in the top-left
 * quarter (so flips and rotations have something to move). Anti-aliased by librsvg.
 */
export async function redCircle(width = 384, height = width, backdrop = '#d8d8d8'): Promise<EngineImage> {
  const r = Math.round(Math.min(width, height) * 0.28);
  const m = Math.round(Math.min(width, height) * 0.08);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${backdrop}"/>
    <circle cx="${width / 2}" cy="${height / 2}" r="${r}" fill="#d02020"/>
    <rect x="${Math.round(width * 0.1)}" y="${Math.round(height * 0.1)}" width="${m}" height="${m}" fill="#203080"/>
  </svg>`;
  const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
  return { bytes, width, height };
}

/** A scene with no plain backdrop: a vertical sky-to-grass gradient with stripes. */
export async function scene(width = 320, height = 240): Promise<EngineImage> {
  const stripes = Array.from(
    { length: 8 },
    (_v, i) =>
      `<rect x="${(i * width) / 8}" y="${height * 0.7}" width="${width / 16}" height="${height * 0.3}" fill="#${i % 2 ? '8b4513' : 'f0e68c'}"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#4fa3e0"/><stop offset="1" stop-color="#2e8b57"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${stripes}
  </svg>`;
  const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
  return { bytes, width, height };
}

export async function solid(width: number, height: number, hex: string): Promise<EngineImage> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: hex } })
    .png()
    .toBuffer();
  return { bytes, width, height };
}

export async function decode(bytes: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function px(img: Pixels, x: number, y: number): Rgba {
  const i = (Math.round(y) * img.width + Math.round(x)) * 4;
  return [img.data[i] ?? -1, img.data[i + 1] ?? -1, img.data[i + 2] ?? -1, img.data[i + 3] ?? -1];
}

/** Largest per-channel difference between two colours (alpha ignored). */
export function colourDiff(a: Rgba | number[], b: Rgba | number[]): number {
  return Math.max(Math.abs((a[0] ?? 0) - (b[0] ?? 0)), Math.abs((a[1] ?? 0) - (b[1] ?? 0)), Math.abs((a[2] ?? 0) - (b[2] ?? 0)));
}

/** Mean R, G, B over opaque pixels. */
export function meanColour(img: Pixels): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if ((img.data[i + 3] ?? 0) < 128) continue;
    for (let c = 0; c < 3; c += 1) sum[c] = (sum[c] ?? 0) + (img.data[i + c] ?? 0);
    n += 1;
  }
  return [(sum[0] ?? 0) / n, (sum[1] ?? 0) / n, (sum[2] ?? 0) / n];
}

/** Mean absolute difference per channel between two same-sized images (0..255). */
export function meanAbsDiff(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 1) sum += Math.abs((a.data[i] ?? 0) - (b.data[i] ?? 0));
  return sum / a.data.length;
}

export const input = (instruction: string, images: EngineImage[], extra: Partial<EngineInput> = {}): EngineInput => ({
  instruction,
  seed: 1,
  images,
  outputFormat: 'png',
  ...extra,
});

/** The red disc on a grey backdrop with deterministic ±12 noise (a textured but plain backdrop). */
export async function noisyCircle(size = 256): Promise<EngineImage> {
  const data = Buffer.alloc(size * size * 3);
  let state = 42;
  const r = size * 0.28;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const i = (y * size + x) * 3;
      if (Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) < r) {
        data.set([208, 32, 32], i);
      } else {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const v = 216 + ((state >>> 24) % 25) - 12;
        data.set([v, v, v], i);
      }
    }
  }
  const bytes = await sharp(data, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
  return { bytes, width: size, height: size };
}

/** Variance of the red channel over a square window. */
export function variance(img: Pixels, x0: number, y0: number, side: number): number {
  const values: number[] = [];
  for (let y = y0; y < y0 + side; y += 1) for (let x = x0; x < x0 + side; x += 1) values.push(px(img, x, y)[0]);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
}

/** A busy picture with no backdrop at all: 12x12 blocks of seeded random colours. */
export async function busy(size = 240): Promise<EngineImage> {
  const cell = size / 12;
  let state = 7;
  const rects: string[] = [];
  for (let y = 0; y < 12; y += 1) {
    for (let x = 0; x < 12; x += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      rects.push(
        `<rect x="${x * cell}" y="${y * cell}" width="${cell}" height="${cell}" fill="#${(state >>> 8).toString(16).padStart(6, '0').slice(-6)}"/>`,
      );
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${rects.join('')}</svg>`;
  return { bytes: await sharp(Buffer.from(svg)).png().toBuffer(), width: size, height: size };
}

/** Share of pixels (0..1) whose colour differs by at least `levels` in some channel. */
export function changedShare(a: Pixels, b: Pixels, levels = 6): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let changed = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c += 1) d = Math.max(d, Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0)));
    if (d >= levels) changed += 1;
  }
  return changed / (a.data.length / 4);
}
