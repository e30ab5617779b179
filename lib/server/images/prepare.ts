import 'server-only';
import sharp, { type Metadata, type Sharp } from 'sharp';
import {
  MAX_INPUT_PIXELS,
  MAX_INPUT_PIXELS_HEAVIEST,
  MAX_INPUT_PIXELS_HEAVY,
  MAX_STORED_SIDE,
  MAX_UPLOAD_ASPECT,
  MAX_UPLOAD_BYTES,
  MIN_UPLOAD_SIDE,
} from '@/lib/schemas/limits';
import type { ImageMime } from '../providers/types';
import { displayName } from '../uploads/display-name';
import { type ContainerFinding, inspectContainer, MAX_JPEG_SCANS } from './container';
import { sniffImage } from './sniff';

export type PreparedImage = {
  bytes: Buffer;
  mime: ImageMime;
  width: number;
  height: number;
  /** What was changed, said to the user ("downscaled from 4000×3000 to 2048×1536"). */
  notes: string[];
  thumb: Buffer;
  preview: Buffer;
};

export type PrepareError = {
  code: 'too_large' | 'unsupported_type' | 'too_many_pixels' | 'corrupt' | 'empty' | 'bad_geometry' | 'too_complex';
  message: string;
};

export type PrepareResult = { ok: true; image: PreparedImage } | { ok: false; error: PrepareError };

const MB = 1024 * 1024;
/** A decode that takes longer is abandoned: no legitimate 40 MP image needs this long. */
export const DECODE_TIMEOUT_SECONDS = 20;
const FORMAT_MIME: Partial<Record<string, ImageMime>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** What each finding means for the user, in the order notes are listed. */
const FINDING_NOTES: [ContainerFinding, string][] = [
  ['metadata', 'Metadata removed (EXIF, GPS, XMP).'],
  ['animation', 'Animated image: only its first frame was kept.'],
  ['colour-profile', 'Colour profile converted to sRGB.'],
  ['high-bit-depth', 'Reduced to 8 bits per channel.'],
  ['trailing-data', 'Data after the end of the image removed.'],
  ['unknown-blocks', 'Unrecognised data blocks removed.'],
  ['malformed', 'Re-encoded from a slightly damaged file: check that it looks right.'],
];

/**
 * Validates and normalises one reference image, refusing before any decode what cannot pass:
 * type by magic bytes (and the decoder must agree), size, pixels (tighter for interlaced and
 * 16-bit images), sides and aspect. The original is kept byte for byte only when provably
 * clean (one 8-bit sRGB frame, upright, within size, and a container with nothing but the
 * image: see container.ts); otherwise it is re-encoded and the user is told what changed.
 * Renders the thumbnail and preview from the same decode. Decoder messages never reach the
 * user. Callers limit how many run at once (uploads/gates.ts).
 */
export async function prepareImage(input: Buffer, rawName: string): Promise<PrepareResult> {
  const name = `“${displayName(rawName)}”`;
  const fail = (code: PrepareError['code'], message: string): PrepareResult => ({ ok: false, error: { code, message } });
  const unreadable = () => fail('corrupt', `${name} could not be read as an image.`);
  if (input.length === 0) return fail('empty', `${name} is empty.`);
  if (input.length > MAX_UPLOAD_BYTES) {
    return fail('too_large', `${name} is ${(input.length / MB).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / MB} MB per image.`);
  }
  const mime = sniffImage(input);
  if (!mime) return fail('unsupported_type', `${name} is not a JPEG, PNG or WebP image.`);

  let meta: Metadata;
  try {
    // The header only: dimensions and layout are known before a single pixel is decoded.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return unreadable();
  }
  if (FORMAT_MIME[meta.format] !== mime) return unreadable();
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (!width || !height) return unreadable();

  const pixels = width * height;
  const cap = pixelCapFor(meta);
  if (pixels > cap.pixels) {
    const mp = formatMp(pixels, cap.pixels);
    return fail(
      'too_many_pixels',
      `${name} is ${width}×${height} (${mp}); the limit${cap.kind ? ` for ${cap.kind(mime)} images` : ''} is ${cap.pixels / 1e6} MP.`,
    );
  }
  const [short, long] = width < height ? [width, height] : [height, width];
  if (short < MIN_UPLOAD_SIDE)
    return fail('bad_geometry', `${name} is ${width}×${height}; images must be at least ${MIN_UPLOAD_SIDE} px on each side.`);
  if (long > short * MAX_UPLOAD_ASPECT) {
    return fail('bad_geometry', `${name} is ${width}×${height}; the long side can be at most ${MAX_UPLOAD_ASPECT} times the short side.`);
  }

  const container = inspectContainer(input, mime);
  if (container.scans > MAX_JPEG_SCANS)
    return fail('too_complex', `${name} has ${container.scans} progressive scans; at most ${MAX_JPEG_SCANS} are accepted.`);
  const findings = container.findings;
  if (meta.exif || meta.xmp || meta.iptc || meta.comments?.length) findings.add('metadata');
  if (meta.hasProfile) findings.add('colour-profile');
  if (meta.depth !== 'uchar') findings.add('high-bit-depth');
  if ((meta.pages ?? 1) > 1) findings.add('animation');

  const notes: string[] = [];
  const orientation = meta.orientation ?? 1;
  if (orientation > 1) notes.push('Rotated to match its camera orientation.');
  const oriented = orientation >= 5 ? { width: height, height: width } : { width, height };
  const downscale = long > MAX_STORED_SIDE;
  if (downscale) notes.push(`Downscaled from ${oriented.width}×${oriented.height} to fit ${MAX_STORED_SIDE} px.`);
  for (const [finding, note] of FINDING_NOTES) if (findings.has(finding)) notes.push(note);
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  if (meta.space === 'cmyk') notes.push('Converted from CMYK to RGB.');
  else if (findings.has('unusual-coding')) notes.push('Re-encoded as a standard JPEG.');
  const keepBytes = findings.size === 0 && orientation === 1 && !downscale && (meta.space === 'srgb' || grey);

  try {
    // Only the first frame is read (sharp's default), so a 5,000-frame WebP costs one frame.
    const base = sharp(input, { limitInputPixels: cap.pixels, failOn: 'error', sequentialRead: true })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .autoOrient();
    if (downscale) base.resize({ width: MAX_STORED_SIDE, height: MAX_STORED_SIDE, fit: 'inside' });
    // Converts ICC/CMYK/16-bit to 8-bit sRGB, or grey when there is no alpha ('b-w' drops it).
    base.toColourspace(grey && !meta.hasAlpha ? 'b-w' : 'srgb');
    const { data, info } = await base.raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    const [bytes, thumb, preview] = await Promise.all([
      keepBytes ? input : encodeOriginal(sharp(data, raw), mime),
      encodeRendition(sharp(data, raw), 'thumb'),
      encodeRendition(sharp(data, raw), 'preview'),
    ]);
    return { ok: true, image: { bytes, mime, width: info.width, height: info.height, notes, thumb, preview } };
  } catch (e) {
    if (e instanceof Error && /timeout/i.test(e.message)) return fail('too_complex', `${name} took too long to decode.`);
    return unreadable();
  }
}

type PixelCap = { pixels: number; kind?: (mime: ImageMime) => string };

/**
 * Interlaced PNGs and progressive JPEGs are decoded whole rather than row by row, and 16-bit
 * samples double the memory: a 114 KB interlaced 16-bit PNG can take 178 MB to decode.
 */
function pixelCapFor(meta: Pick<Metadata, 'isProgressive' | 'depth'>): PixelCap {
  const wide = meta.depth !== 'uchar';
  const whole = meta.isProgressive;
  if (!wide && !whole) return { pixels: MAX_INPUT_PIXELS };
  const kind = (mime: ImageMime) =>
    [whole ? (mime === 'image/jpeg' ? 'progressive' : 'interlaced') : '', wide ? '16-bit' : ''].filter(Boolean).join(' ');
  return { pixels: wide && whole ? MAX_INPUT_PIXELS_HEAVIEST : MAX_INPUT_PIXELS_HEAVY, kind };
}

/** "48 MP"; "over 40 MP" when rounding would make an image over the limit look equal to it. */
function formatMp(pixels: number, limit: number): string {
  const rounded = Math.round(pixels / 1e6);
  return rounded * 1e6 <= limit ? `over ${limit / 1e6} MP` : `${rounded} MP`;
}

function encodeOriginal(img: Sharp, mime: ImageMime): Promise<Buffer> {
  // Same format as uploaded; quality high because this is the reference the models see.
  if (mime === 'image/jpeg') return img.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
  if (mime === 'image/webp') return img.webp({ quality: 92, effort: 2 }).toBuffer();
  return img.png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
}

/** WebP renditions: a ~320 px thumbnail for grids, a ~1280 px preview for compare views. */
function encodeRendition(img: Sharp, kind: 'thumb' | 'preview'): Promise<Buffer> {
  return kind === 'thumb'
    ? img.resize({ width: 320, height: 320, fit: 'inside' }).webp({ quality: 78, effort: 2 }).toBuffer()
    : img.resize({ width: 1280, height: 1280, fit: 'inside', withoutEnlargement: true }).webp({ quality: 82, effort: 2 }).toBuffer();
}

/** Renders a rendition from stored original bytes (for outputs, on first request). */
export function renditionFrom(original: Buffer, kind: 'thumb' | 'preview'): Promise<Buffer> {
  return encodeRendition(sharp(original, { limitInputPixels: MAX_INPUT_PIXELS * 4 }).timeout({ seconds: DECODE_TIMEOUT_SECONDS }), kind);
}
