import 'server-only';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { Adaptation } from '@/lib/schemas/run';
import type { TargetCapabilities } from '@/lib/providers/target-kit';
import { sha256 } from '../storage';
import type { ImageMime, InputImage } from '../providers/types';

export type SourceImage = { bytes: Buffer; mime: string; width: number; height: number; sha256: string };

/**
 * Fits the run's references to one target's limits and records every change, so the UI can
 * say exactly what each target received instead of dropping references silently.
 */
export async function adaptInputs(
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
      pipeline = sharp(bytes).resize({ width: caps.maxInputSide, height: caps.maxInputSide, fit: 'inside' });
      const scale = caps.maxInputSide / long;
      adaptations.push({
        kind: 'resized',
        message: `${label} downscaled from ${width}×${height} to ${Math.round(width * scale)}×${Math.round(height * scale)} (max ${caps.maxInputSide} px).`,
      });
    } else if (short < caps.minInputSide) {
      const scale = caps.minInputSide / short;
      pipeline = sharp(bytes).resize({ width: Math.ceil(width * scale), height: Math.ceil(height * scale) });
      adaptations.push({
        kind: 'resized',
        message: `${label} upscaled from ${width}×${height} to meet the ${caps.minInputSide} px minimum.`,
      });
    }
    if (mime === 'image/webp' && !options.keepWebp) {
      pipeline = (pipeline ?? sharp(bytes)).png();
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

/** Lays references side by side at a common height, for models that take one image. */
async function stitch(sources: SourceImage[]): Promise<SourceImage> {
  const height = Math.min(1024, Math.max(...sources.map((s) => s.height)));
  const parts = await Promise.all(
    sources.map(async (s) => {
      const { data, info } = await sharp(s.bytes).resize({ height }).png().toBuffer({ resolveWithObject: true });
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
