import 'server-only';
import sharp, { type Sharp } from 'sharp';
import { MAX_ADAPTED_PIXELS, MAX_INPUT_PIXELS } from '@/lib/schemas/limits';
import type { Adaptation } from '@/lib/schemas/run';
import type { TargetCapabilities } from '@/lib/providers/target-kit';
import { DECODE_TIMEOUT_SECONDS } from '../images/prepare';
import { ProviderError } from '../providers/errors';
import { sha256 } from '../storage';
import type { ImageMime, InputImage } from '../providers/types';
import { withDecodeSlot } from '../uploads/gates';

export type SourceImage = { bytes: Buffer; mime: string; width: number; height: number; sha256: string };

/** Stitched images are laid out at this height at most, and never wider than this. */
const STITCH_HEIGHT = 1024;
const STITCH_MAX_WIDTH = 8192;

/** A reference that cannot be adapted: final for this variation (bad_input is never retried). */
function cannotAdapt(message: string, cause?: unknown): ProviderError {
  const e = new ProviderError({ code: 'bad_input', message });
  if (cause) Object.assign(e, { cause });
  return e;
}

function load(bytes: Buffer): Sharp {
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).timeout({ seconds: DECODE_TIMEOUT_SECONDS });
}

/**
 * Fits the run's references to one target's limits and records every change, so the UI can
 * say exactly what each target received instead of dropping references silently. Every image
 * built on the way is capped in pixels before it is built, decodes take a decode slot (waiting
 * behind uploads, never refused), and any failure is `bad_input`: retrying cannot fix a
 * reference.
 */
export async function adaptInputs(
  sources: SourceImage[],
  caps: TargetCapabilities,
  options: { keepWebp: boolean },
): Promise<{ images: InputImage[]; adaptations: Adaptation[] }> {
  try {
    return await withDecodeSlot(() => adapt(sources, caps, options), { overflow: 'wait' });
  } catch (e) {
    if (e instanceof ProviderError) throw e;
    throw cannotAdapt('A reference image could not be read as an image, so it could not be prepared for this model.', e);
  }
}

async function adapt(
  sources: SourceImage[],
  caps: TargetCapabilities,
  options: { keepWebp: boolean },
): Promise<{ images: InputImage[]; adaptations: Adaptation[] }> {
  const adaptations: Adaptation[] = [];
  let working: SourceImage[] = sources;

  if (sources.length > caps.maxReferences) {
    if (caps.overflow === 'stitch' && caps.maxReferences === 1) {
      working = [await stitch(sources)];
      adaptations.push({
        kind: 'stitched',
        message: `Images 1–${sources.length} stitched side by side into one (this model takes a single image).`,
      });
    } else {
      const dropped = sources.slice(caps.maxReferences).map((_, i) => `image ${caps.maxReferences + i + 1}`);
      working = sources.slice(0, caps.maxReferences);
      adaptations.push({
        kind: 'dropped',
        message: `Dropped ${dropped.join(', ')}: this model takes at most ${caps.maxReferences}.`,
      });
    }
  }

  const images: InputImage[] = [];
  for (const [i, src] of working.entries()) {
    const label = working.length === 1 && sources.length > 1 && caps.overflow === 'stitch' ? 'The stitched image' : `Image ${i + 1}`;
    let { bytes, width, height } = src;
    let mime = src.mime as ImageMime;
    const long = Math.max(width, height);
    const short = Math.min(width, height);
    let pipeline: Sharp | undefined;
    if (long > caps.maxInputSide) {
      const scale = caps.maxInputSide / long;
      if (Math.round(short * scale) < caps.minInputSide) throw outOfRange(label, src, caps);
      pipeline = load(bytes).resize({ width: caps.maxInputSide, height: caps.maxInputSide, fit: 'inside' });
      adaptations.push({
        kind: 'resized',
        message: `${label} downscaled from ${width}×${height} to ${Math.round(width * scale)}×${Math.round(height * scale)} (max ${caps.maxInputSide} px).`,
      });
    } else if (short < caps.minInputSide) {
      const scale = caps.minInputSide / short;
      const [w, h] = [Math.ceil(width * scale), Math.ceil(height * scale)];
      // A thin strip cannot reach the minimum without passing the maximum (or any sane size).
      if (Math.max(w, h) > caps.maxInputSide || w * h > MAX_ADAPTED_PIXELS) throw outOfRange(label, src, caps);
      pipeline = load(bytes).resize({ width: w, height: h });
      adaptations.push({
        kind: 'resized',
        message: `${label} upscaled from ${width}×${height} to meet the ${caps.minInputSide} px minimum.`,
      });
    }
    if (mime === 'image/webp' && !options.keepWebp) {
      pipeline = (pipeline ?? load(bytes)).png();
      mime = 'image/png';
      adaptations.push({ kind: 'reencoded', message: `${label} re-encoded from WebP to PNG.` });
    }
    if (pipeline) {
      const out = await pipeline.toBuffer({ resolveWithObject: true });
      bytes = out.data;
      width = out.info.width;
      height = out.info.height;
    }
    const ext = mime === 'image/jpeg' ? 'jpg' : mime === 'image/webp' ? 'webp' : 'png';
    images.push({ bytes, mime, width, height, filename: `image-${i + 1}.${ext}`, sha256: pipeline ? sha256(bytes) : src.sha256 });
  }
  return { images, adaptations };
}

function outOfRange(label: string, src: SourceImage, caps: TargetCapabilities): ProviderError {
  return cannotAdapt(
    `${label} is ${src.width}×${src.height}: too thin to fit this model's sides (${caps.minInputSide} to ${caps.maxInputSide} px) without distorting it.`,
  );
}

/**
 * Lays references side by side at a common height, for models that take one image. The
 * height is chosen so the strip stays within STITCH_MAX_WIDTH and MAX_ADAPTED_PIXELS before
 * anything is resized.
 */
async function stitch(sources: SourceImage[]): Promise<SourceImage> {
  const ratio = sources.reduce((sum, s) => sum + s.width / s.height, 0);
  const byWidth = Math.floor(STITCH_MAX_WIDTH / ratio);
  const byPixels = Math.floor(Math.sqrt(MAX_ADAPTED_PIXELS / ratio));
  const height = Math.min(STITCH_HEIGHT, Math.max(...sources.map((s) => s.height)), byWidth, byPixels);
  if (height < 16) throw cannotAdapt(`Images 1–${sources.length} are too wide to be stitched into one image.`);
  const parts = await Promise.all(
    sources.map(async (s) => {
      const { data, info } = await load(s.bytes)
        .resize({ width: Math.max(1, Math.round((s.width * height) / s.height)), height, fit: 'fill' })
        .png()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width };
    }),
  );
  const width = parts.reduce((sum, p) => sum + p.width, 0);
  let left = 0;
  const composites = parts.map((p) => {
    const c = { input: p.data, left, top: 0 };
    left += p.width;
    return c;
  });
  const bytes = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png()
    .toBuffer();
  return { bytes, mime: 'image/png', width, height, sha256: sha256(bytes) };
}
