import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TargetCapabilities } from '@/lib/providers/target-kit';
import { MAX_ADAPTED_PIXELS } from '@/lib/schemas/limits';
import { ProviderError } from '../providers/errors';
import { sha256 } from '../storage';
import { adaptInputs, type SourceImage } from './adapt-inputs';

const caps = (over: Partial<TargetCapabilities>): TargetCapabilities => ({
  maxReferences: 4,
  overflow: 'drop',
  maxInputSide: 2048,
  minInputSide: 64,
  sizes: ['auto'],
  seed: true,
  negativePrompt: false,
  strength: false,
  guidance: false,
  formats: ['png'],
  pricePerImageUsd: null,
  priceNote: '',
  ...over,
});

async function source(width: number, height: number): Promise<SourceImage> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: '#4477aa' } })
    .png()
    .toBuffer();
  return { bytes, mime: 'image/png', width, height, sha256: sha256(bytes) };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('adaptInputs: capped, and failures are final', () => {
  it('upscales a small reference to the minimum side', async () => {
    const { images, adaptations } = await adaptInputs([await source(100, 80)], caps({ minInputSide: 256 }), { keepWebp: false });
    expect([images[0]!.width, images[0]!.height]).toEqual([320, 256]);
    expect(adaptations[0]!.kind).toBe('resized');
  });

  it('refuses, as bad_input, a strip that cannot reach the minimum within the maximum (no 524288×256)', async () => {
    const e = await failure(adaptInputs([await source(2048, 1)], caps({ minInputSide: 256 }), { keepWebp: false }));
    expect(e.code).toBe('bad_input');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe("Image 1 is 2048×1: too thin to fit this model's sides (256 to 2048 px) without distorting it.");
  });

  it('refuses a downscale that would fall below the minimum', async () => {
    const e = await failure(adaptInputs([await source(4000, 300)], caps({ minInputSide: 240, maxInputSide: 1440 }), { keepWebp: false }));
    expect(e.code).toBe('bad_input');
  });

  it('turns an unreadable reference into bad_input with a plain message, never a decoder message', async () => {
    const broken = { ...(await source(100, 100)), bytes: Buffer.from('not an image at all') };
    const e = await failure(adaptInputs([broken], caps({ minInputSide: 256 }), { keepWebp: false }));
    expect([e.code, e.retryable]).toEqual(['bad_input', false]);
    expect(e.message).toBe('A reference image could not be read as an image, so it could not be prepared for this model.');
  });

  it('stitches extreme aspect ratios within the width and pixel caps', async () => {
    const sources = await Promise.all([source(2048, 256), source(2048, 256), source(2048, 256), source(256, 2048)]);
    const { images, adaptations } = await adaptInputs(sources, caps({ maxReferences: 1, overflow: 'stitch', maxInputSide: 8192 }), {
      keepWebp: false,
    });
    const out = images[0]!;
    expect(adaptations[0]!.kind).toBe('stitched');
    expect(out.width).toBeLessThanOrEqual(8192);
    expect(out.width * out.height).toBeLessThanOrEqual(MAX_ADAPTED_PIXELS);
    const meta = await sharp(out.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([out.width, out.height]);
  });

  it('refuses to stitch strips so wide that the common height would be a few pixels', async () => {
    const strips = await Promise.all(Array.from({ length: 4 }, () => source(4096, 8)));
    const e = await failure(adaptInputs(strips, caps({ maxReferences: 1, overflow: 'stitch' }), { keepWebp: false }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe('Images 1–4 are too wide to be stitched into one image.');
  });
});
