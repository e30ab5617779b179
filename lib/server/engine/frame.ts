import 'server-only';
import sharp, { type Sharp } from 'sharp';
import type { Rgb } from './colors';

/**
 * The engine's working picture: 8-bit RGBA, not premultiplied, row-major. Every operation
 * takes and returns one, so the order of operations is ours (a single sharp pipeline would
 * apply them in sharp's own fixed order, whatever order we chained them in).
 */
export type Frame = { data: Buffer; width: number; height: number };

/** Larger than any input the app accepts (2048 px) times the 4x upscale, well under sharp's default. */
const MAX_INPUT_PIXELS = 8192 * 8192;

export function rawInput(frame: Frame): Sharp {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 4 } });
}

export async function toFrame(image: Sharp): Promise<Frame> {
  const { data, info } = await image.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`engine: expected 4 channels, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

/** Decodes an uploaded reference: EXIF orientation applied, converted to sRGB RGBA. */
export async function decodeImage(bytes: Buffer): Promise<Frame> {
  return toFrame(sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).rotate());
}

export async function mapFrame(frame: Frame, edit: (image: Sharp) => Sharp): Promise<Frame> {
  return toFrame(edit(rawInput(frame)));
}

export function isOpaque(frame: Frame): boolean {
  const { data } = frame;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}

/** The frame with its alpha multiplied by `alpha` (one byte per pixel). */
export function withAlpha(frame: Frame, alpha: Uint8Array): Frame {
  const data = Buffer.from(frame.data);
  for (let p = 0, i = 3; p < alpha.length; p += 1, i += 4) {
    const a = alpha[p] ?? 0;
    const own = data[i] ?? 255;
    data[i] = own === 255 ? a : Math.round((own * a) / 255);
  }
  return { data, width: frame.width, height: frame.height };
}

/** Per-channel median of the opaque pixels in a ring `thickness` wide around the edge. */
export function borderStats(frame: Frame, thickness: number): { median: Rgb; opaque: number; total: number } {
  const { data, width, height } = frame;
  const hist: [Uint32Array, Uint32Array, Uint32Array] = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  let opaque = 0;
  let total = 0;
  forEachBorderPixel(width, height, thickness, (p) => {
    total += 1;
    const i = p * 4;
    if ((data[i + 3] ?? 0) < 128) return;
    opaque += 1;
    for (let c = 0; c < 3; c += 1) {
      const v = data[i + c] ?? 0;
      hist[c as 0 | 1 | 2][v] = (hist[c as 0 | 1 | 2][v] ?? 0) + 1;
    }
  });
  const median = (h: Uint32Array) => {
    let seen = 0;
    for (let v = 0; v < 256; v += 1) {
      seen += h[v] ?? 0;
      if (seen * 2 >= opaque) return v;
    }
    return 255;
  };
  return { median: { r: median(hist[0]), g: median(hist[1]), b: median(hist[2]) }, opaque, total };
}

export function forEachBorderPixel(width: number, height: number, thickness: number, visit: (p: number) => void): void {
  const t = Math.max(1, Math.min(thickness, Math.floor(Math.min(width, height) / 2)));
  for (let y = 0; y < height; y += 1) {
    const edgeRow = y < t || y >= height - t;
    if (edgeRow) {
      for (let x = 0; x < width; x += 1) visit(y * width + x);
    } else {
      for (let x = 0; x < t; x += 1) visit(y * width + x);
      for (let x = width - t; x < width; x += 1) visit(y * width + x);
    }
  }
}

/**
 * Runs sharp operations on a one-byte-per-pixel mask. sharp widens single-band raw input to
 * sRGB on output unless told otherwise, hence the explicit 'b-w' and the channel check.
 */
export async function editMask(mask: Uint8Array, width: number, height: number, edit: (image: Sharp) => Sharp): Promise<Uint8Array> {
  const input = Buffer.from(mask.buffer, mask.byteOffset, mask.length);
  const { data, info } = await edit(sharp(input, { raw: { width, height, channels: 1 } }))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length !== width * height) {
    throw new Error(`engine: mask edit returned ${info.channels} channels`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
