import 'server-only';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { MAX_INPUT_PIXELS, MAX_STORED_SIDE, MAX_UPLOAD_BYTES } from '@/lib/schemas/limits';
import type { ImageMime } from '../providers/types';
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
  code: 'too_large' | 'unsupported_type' | 'too_many_pixels' | 'corrupt';
  message: string;
};

export type PrepareResult = { ok: true; image: PreparedImage } | { ok: false; error: PrepareError };

const MB = 1024 * 1024;

/**
 * Validates and normalises one reference image: type by magic bytes, size, pixel limit,
 * EXIF orientation applied, every metadata block (EXIF/GPS, XMP, ICC comments) dropped by
 * re-encoding, long side capped. Also renders the thumbnail and preview in the same pass.
 */
export async function prepareImage(input: Buffer, name: string): Promise<PrepareResult> {
  const fail = (code: PrepareError['code'], message: string): PrepareResult => ({ ok: false, error: { code, message } });
  if (input.length > MAX_UPLOAD_BYTES) {
    return fail('too_large', `“${name}” is ${(input.length / MB).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / MB} MB per image.`);
  }
  const mime = sniffImage(input);
  if (!mime) return fail('unsupported_type', `“${name}” is not a JPEG, PNG or WebP image.`);

  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return fail('corrupt', `“${name}” could not be read as an image; it may be damaged.`);
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!meta.width || !meta.height) return fail('corrupt', `“${name}” has no readable dimensions.`);
  if (pixels > MAX_INPUT_PIXELS) {
    return fail(
      'too_many_pixels',
      `“${name}” is ${meta.width}×${meta.height} (${(pixels / 1e6).toFixed(0)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP.`,
    );
  }

  try {
    const notes: string[] = [];
    // autoOrient applies EXIF orientation; nothing of the input's metadata is kept on output.
    const base = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).autoOrient();
    const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
    if ((meta.orientation ?? 1) > 1) notes.push('Rotated to match its camera orientation.');
    const longSide = Math.max(oriented.width, oriented.height);
    if (longSide > MAX_STORED_SIDE) {
      base.resize({ width: MAX_STORED_SIDE, height: MAX_STORED_SIDE, fit: 'inside' });
      notes.push(`Downscaled from ${oriented.width}×${oriented.height} to fit ${MAX_STORED_SIDE} px.`);
    }
    const hasMetadata = Boolean(meta.exif || meta.xmp || meta.iptc || meta.comments?.length);
    if (hasMetadata) notes.push('Metadata removed (EXIF, GPS, XMP).');
    // A PNG or WebP with no metadata, upright and within size is kept byte for byte: nothing to
    // strip, and no re-encode (faster, and no generational loss). JPEGs are always re-encoded,
    // since their comment and app segments are not all visible in sharp's metadata.
    const keepBytes = !hasMetadata && notes.length === 0 && mime !== 'image/jpeg';

    // Decode once to raw pixels, then encode the three renditions from the same buffer.
    const { data, info } = await base.raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    const [bytes, thumb, preview] = await Promise.all([
      keepBytes ? input : encodeOriginal(sharp(data, raw), mime),
      encodeRendition(sharp(data, raw), 'thumb'),
      encodeRendition(sharp(data, raw), 'preview'),
    ]);
    return { ok: true, image: { bytes, mime, width: info.width, height: info.height, notes, thumb, preview } };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return fail('corrupt', `“${name}” could not be decoded (${detail.split('\n')[0]}).`);
  }
}

function encodeOriginal(img: Sharp, mime: ImageMime): Promise<Buffer> {
  // Same format as uploaded; quality high because this is the reference the models see.
  if (mime === 'image/jpeg') return img.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
  if (mime === 'image/webp') return img.webp({ quality: 92, effort: 2 }).toBuffer();
  return img.png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
}

/** WebP renditions: a ~320 px thumbnail for grids, a ~1280 px preview for compare views. */
export function encodeRendition(img: Sharp, kind: 'thumb' | 'preview'): Promise<Buffer> {
  return kind === 'thumb'
    ? img.resize({ width: 320, height: 320, fit: 'inside' }).webp({ quality: 78, effort: 2 }).toBuffer()
    : img.resize({ width: 1280, height: 1280, fit: 'inside', withoutEnlargement: true }).webp({ quality: 82, effort: 2 }).toBuffer();
}

/** Renders a rendition from stored original bytes (for outputs, on first request). */
export function renditionFrom(original: Buffer, kind: 'thumb' | 'preview'): Promise<Buffer> {
  return encodeRendition(sharp(original, { limitInputPixels: MAX_INPUT_PIXELS * 4 }), kind);
}
