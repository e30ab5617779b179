import 'server-only';
import { describeColour, luma, parseHex, seededShade, shiftLightness, toHex, type Rgb } from './colors';
import { editMask } from './frame';
import type { BackgroundFill } from './ops';
import { between, type Rng, type SeedSource } from './prng';
import type { Box } from './segment';

/** A generated backdrop: raw RGB pixels (3 channels) plus how to describe it. */
export type Backdrop = { data: Buffer; width: number; height: number; description: string };

/** Used when "gradient" names no colours: the seed picks one of these calm pairs. */
const GRADIENT_PAIRS: [string, string][] = [
  ['#0f2027', '#2c5364'],
  ['#a1c4fd', '#c2e9fb'],
  ['#667eea', '#764ba2'],
  ['#f6d365', '#fda085'],
  ['#84fab0', '#8fd3f4'],
  ['#e0eafc', '#cfdef3'],
  ['#fbc2eb', '#a6c1ee'],
  ['#434343', '#1a1a1a'],
];

// 4x4 Bayer matrix: sub-level dither so long, gentle gradients do not band.
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => (v + 0.5) / 16);

export function makeBackdrop(fill: BackgroundFill, width: number, height: number, seeds: SeedSource): Backdrop {
  switch (fill.type) {
    case 'colour': {
      const rgb = seededShade(fill.colour, seeds.stream('shade:background'));
      return { ...solid(rgb, width, height), description: describeColour(rgb, fill.colour) };
    }
    case 'gradient':
      return gradientBackdrop(fill, width, height, seeds);
    case 'studio': {
      const rng = seeds.stream('studio');
      const base = fill.colour ? seededShade(fill.colour, rng) : { r: 250, g: 250, b: 250 };
      const centre = fill.colour ? base : shiftLightness(base, between(rng, -0.005, 0.02));
      const edge = shiftLightness(centre, -between(rng, 0.06, 0.12));
      const cx = width * between(rng, 0.42, 0.58);
      const cy = height * between(rng, 0.3, 0.45);
      const reach = 0.8 * Math.hypot(width, height);
      const data = paint(width, height, (x, y) => Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) / reach, centre, edge, true);
      return {
        data,
        width,
        height,
        description: `a ${fill.colour?.label ?? 'white'} studio backdrop (${toHex(centre)} fading to ${toHex(edge)})`,
      };
    }
  }
}

function solid(rgb: Rgb, width: number, height: number): { data: Buffer; width: number; height: number } {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = rgb.r;
    data[i + 1] = rgb.g;
    data[i + 2] = rgb.b;
  }
  return { data, width, height };
}

function gradientBackdrop(fill: Extract<BackgroundFill, { type: 'gradient' }>, width: number, height: number, seeds: SeedSource): Backdrop {
  const rng = seeds.stream('gradient');
  let from: Rgb;
  let to: Rgb;
  if (fill.from) {
    from = seededShade(fill.from, rng);
    // One colour named: run from it to a lighter (or, for light colours, darker) companion.
    to = fill.to ? seededShade(fill.to, rng) : shiftLightness(from, luma(from) > 150 ? -0.22 : 0.22);
  } else {
    const pair = GRADIENT_PAIRS[Math.floor(rng() * GRADIENT_PAIRS.length)] ?? GRADIENT_PAIRS[0];
    from = parseHex(pair?.[0] ?? '#000') ?? { r: 0, g: 0, b: 0 };
    to = parseHex(pair?.[1] ?? '#fff') ?? { r: 255, g: 255, b: 255 };
  }
  const named = `from ${describeColour(from, fill.from)} to ${describeColour(to, fill.to)}`;
  if (fill.direction === 'radial') {
    const cx = width * between(rng, 0.35, 0.65);
    const cy = height * between(rng, 0.3, 0.6);
    const reach = Math.hypot(Math.max(cx, width - cx), Math.max(cy, height - cy));
    const data = paint(width, height, (x, y) => Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) / reach, from, to, false);
    return { data, width, height, description: `a radial gradient ${named}` };
  }
  const angle = gradientAngle(fill.direction, rng);
  const rad = (angle * Math.PI) / 180;
  const dx = Math.cos(rad);
  const dy = Math.sin(rad);
  // Project each pixel on the direction; normalise so the corners reach exactly 0 and 1.
  const half = (Math.abs(dx) * width + Math.abs(dy) * height) / 2;
  const data = paint(width, height, (x, y) => ((x - width / 2) * dx + (y - height / 2) * dy) / (2 * half) + 0.5, from, to, false);
  return { data, width, height, description: `a gradient ${named} at ${Math.round(angle)}°` };
}

function gradientAngle(direction: 'vertical' | 'horizontal' | 'diagonal' | undefined, rng: Rng): number {
  if (direction === 'vertical') return 90;
  if (direction === 'horizontal') return 0;
  if (direction === 'diagonal') return rng() < 0.5 ? 45 : 135;
  return between(rng, 0, 360);
}

/** Fills RGB pixels by interpolating a->b at t(x, y) in 0..1, dithered. */
function paint(width: number, height: number, t: (x: number, y: number) => number, a: Rgb, b: Rgb, smooth: boolean): Buffer {
  const data = Buffer.alloc(width * height * 3);
  const dr = b.r - a.r;
  const dg = b.g - a.g;
  const db = b.b - a.b;
  let i = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1, i += 3) {
      let v = Math.min(1, Math.max(0, t(x, y)));
      if (smooth) v = v * v * (3 - 2 * v);
      const d = BAYER[(y & 3) * 4 + (x & 3)] ?? 0.5;
      data[i] = Math.min(255, Math.floor(a.r + dr * v + d));
      data[i + 1] = Math.min(255, Math.floor(a.g + dg * v + d));
      data[i + 2] = Math.min(255, Math.floor(a.b + db * v + d));
    }
  }
  return data;
}

export type Layer = { input: Buffer; raw: { width: number; height: number; channels: 4 }; left: number; top: number };

/**
 * A soft contact shadow: a flat ellipse under the subject's base, blurred. The seed varies
 * its width, softness, offset and strength; only the ellipse's neighbourhood is rendered.
 */
export async function contactShadow(
  box: Box,
  canvasWidth: number,
  canvasHeight: number,
  seeds: SeedSource,
): Promise<{ layer: Layer; step: string } | null> {
  const rng = seeds.stream('shadow');
  const rx = Math.max(2, box.width * between(rng, 0.36, 0.5));
  const ry = Math.max(1.5, rx * between(rng, 0.07, 0.13));
  const sigma = 0.8 + ry * between(rng, 0.5, 1.2);
  const opacity = between(rng, 0.28, 0.46);
  const cx = box.left + box.width / 2 + box.width * between(rng, -0.05, 0.05);
  const cy = box.top + box.height - ry * between(rng, 0.1, 0.6);
  const pad = Math.ceil(3 * sigma);
  const left = Math.max(0, Math.floor(cx - rx - pad));
  const top = Math.max(0, Math.floor(cy - ry - pad));
  const right = Math.min(canvasWidth, Math.ceil(cx + rx + pad));
  const bottom = Math.min(canvasHeight, Math.ceil(cy + ry + pad));
  const width = right - left;
  const height = bottom - top;
  if (width < 2 || height < 2) return null;

  const ellipse = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const ny = (y + top + 0.5 - cy) / ry;
    for (let x = 0; x < width; x += 1) {
      const nx = (x + left + 0.5 - cx) / rx;
      if (nx * nx + ny * ny <= 1) ellipse[y * width + x] = 255;
    }
  }
  const blurred = await editMask(ellipse, width, height, (s) => s.blur(sigma));
  const rgba = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p += 1) rgba[p * 4 + 3] = Math.round((blurred[p] ?? 0) * opacity);
  return {
    layer: { input: rgba, raw: { width, height, channels: 4 }, left, top },
    step: `Added a soft contact shadow (${Math.round(opacity * 100)}% strength, softness ${sigma.toFixed(1)} px)`,
  };
}
