import 'server-only';
import sharp from 'sharp';
import { toHex } from './colors';
import { borderStats, isOpaque, mapFrame, type Frame } from './frame';
import type { Op } from './ops';
import { between, type SeedSource } from './prng';
import { segment } from './segment';
import type { Stepped } from './ops-tone';

export type GeometryOp = Extract<Op, { kind: 'flip' | 'rotate' | 'crop' }>;

export async function applyGeometry(frame: Frame, op: GeometryOp, seeds: SeedSource): Promise<Stepped> {
  switch (op.kind) {
    case 'flip':
      return {
        frame: await mapFrame(frame, (s) => (op.axis === 'horizontal' ? s.flop() : s.flip())),
        step: op.axis === 'horizontal' ? 'Flipped horizontally (mirror)' : 'Flipped vertically',
      };
    case 'rotate':
      return rotate(frame, op, seeds);
    case 'crop':
      return crop(frame, op);
  }
}

async function rotate(frame: Frame, op: Extract<Op, { kind: 'rotate' }>, seeds: SeedSource): Promise<Stepped> {
  // "Tilt" names no angle: the seed picks 3..8 degrees in the direction asked.
  const degrees = op.seeded ? Math.sign(op.degrees) * between(seeds.stream('tilt'), 3, 8) : op.degrees;
  const normalised = ((degrees % 360) + 360) % 360;
  const way = degrees < 0 ? 'counter-clockwise' : 'clockwise';
  const shown = `${Number(Math.abs(degrees).toFixed(1))}° ${way}`;
  if (normalised % 90 === 0) {
    return { frame: await mapFrame(frame, (s) => s.rotate(normalised)), step: `Rotated ${shown}` };
  }
  // Any other angle grows the canvas; the new corners take the border colour (or stay
  // transparent when the picture already has transparency) so they read as backdrop.
  const transparent = !isOpaque(frame);
  const fill = transparent
    ? { r: 0, g: 0, b: 0, alpha: 0 }
    : { ...borderStats(frame, Math.max(1, Math.round(Math.min(frame.width, frame.height) / 100))).median, alpha: 1 };
  const rotated = await mapFrame(frame, (s) => s.rotate(normalised, { background: fill }));
  const filled = transparent ? 'transparent corners' : `corners filled with the border colour ${toHex(fill)}`;
  return { frame: rotated, step: `Rotated ${shown} (${filled})` };
}

async function crop(frame: Frame, op: Extract<Op, { kind: 'crop' }>): Promise<Stepped> {
  const target = op.ratioW / op.ratioH;
  const current = frame.width / frame.height;
  let width = frame.width;
  let height = frame.height;
  if (current > target) width = Math.max(1, Math.round(frame.height * target));
  else height = Math.max(1, Math.round(frame.width / target));
  if (width === frame.width && height === frame.height) {
    return { frame, step: `Already ${op.label}: no crop needed` };
  }
  // On a plain backdrop, centre the crop on the subject; otherwise let sharp's attention
  // strategy keep the most salient part (same scale, smaller box: `cover` only crops).
  const cut = await segment(frame);
  if (cut.ok) {
    const { box } = cut.seg;
    const left = clampInt(box.left + box.width / 2 - width / 2, 0, frame.width - width);
    const top = clampInt(box.top + box.height / 2 - height / 2, 0, frame.height - height);
    const cropped = await mapFrame(frame, (s) => s.extract({ left, top, width, height }));
    return { frame: cropped, step: `Cropped to ${op.label} (${width}×${height}, centred on the subject)` };
  }
  const cropped = await mapFrame(frame, (s) => s.resize(width, height, { fit: 'cover', position: sharp.strategy.attention }));
  return { frame: cropped, step: `Cropped to ${op.label} (${width}×${height}, keeping the most salient part)` };
}

const clampInt = (v: number, min: number, max: number) => Math.round(Math.min(max, Math.max(min, v)));

const MAX_OUTPUT_SIDE = 8192;

/** Target size for an upscale, capped at MAX_OUTPUT_SIDE on the long side. */
export function upscaleSize(frame: Frame, factor: number): { width: number; height: number; capped: boolean } {
  const long = Math.max(frame.width, frame.height);
  const effective = Math.min(factor, MAX_OUTPUT_SIDE / long);
  return {
    width: Math.max(1, Math.round(frame.width * effective)),
    height: Math.max(1, Math.round(frame.height * effective)),
    capped: effective < factor,
  };
}
