import 'server-only';
import sharp from 'sharp';
import { z } from 'zod';
import { SDXL_SIZES } from '@/lib/providers/targets/stability';
import { ProviderError } from '../errors';
import type { EditRequest, InputImage, OutputImage } from '../types';

/**
 * Stability v1 SDXL image-to-image: request building and response parsing.
 * Wire facts (Stability's own OpenAPI spec and examples, github.com/Stability-AI/rest-api-support
 * spec/v1.yaml + examples/ts/code/v1/image_to_image.ts):
 * - multipart: `text_prompts[n][text]`/`[weight]` (negative weight = negative prompt),
 *   `init_image`, `init_image_mode` IMAGE_STRENGTH, `image_strength` 0..1 where values near 1
 *   keep the init image (the opposite of our `strength`), `cfg_scale` 0..35, `samples`,
 *   `seed` 0..4294967295 (0 = random).
 * - `Accept: application/json` → `{artifacts:[{base64, finishReason SUCCESS|ERROR|CONTENT_FILTERED, seed}]}`.
 */

export const SDXL_ENGINE_PREFIX = 'stable-diffusion-';

export function isSdxlModel(model: string): boolean {
  return model.startsWith(SDXL_ENGINE_PREFIX);
}

type Size = { width: number; height: number };

const ALLOWED: Size[] = SDXL_SIZES.map((s) => {
  const [w, h] = s.split('x').map(Number);
  return { width: w ?? 1024, height: h ?? 1024 };
});

/**
 * SDXL rejects any other init size ("for stable-diffusion-xl-1024-v1-0 the allowed dimensions
 * are 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, 640x1536, 768x1344, 832x1216,
 * 896x1152, but we received WxH" — Stability's 400 message as quoted in public code).
 * Pick the allowed size whose aspect ratio is closest (log scale, so 2:1 and 1:2 are symmetric).
 */
export function nearestSdxlSize(want: Size): Size {
  const exact = ALLOWED.find((s) => s.width === want.width && s.height === want.height);
  if (exact) return exact;
  const ratio = Math.log(want.width / want.height);
  let best = ALLOWED[0] ?? { width: 1024, height: 1024 };
  for (const s of ALLOWED) {
    if (Math.abs(Math.log(s.width / s.height) - ratio) < Math.abs(Math.log(best.width / best.height) - ratio)) best = s;
  }
  return best;
}

/** Resizes (centre crop) the init image to an allowed size; says what it changed. */
export async function fitSdxlInit(image: InputImage, size?: Size): Promise<{ bytes: Buffer; mime: string; size: Size; note?: string }> {
  const target = nearestSdxlSize(size ?? { width: image.width, height: image.height });
  if (target.width === image.width && target.height === image.height) {
    return { bytes: image.bytes, mime: image.mime, size: target };
  }
  const bytes = await sharp(image.bytes).resize(target.width, target.height, { fit: 'cover', position: 'centre' }).png().toBuffer();
  return {
    bytes,
    mime: 'image/png',
    size: target,
    note: `SDXL accepts fixed sizes only: reference resized and centre-cropped from ${image.width}x${image.height} to ${target.width}x${target.height}.`,
  };
}

/**
 * Folds our seed into the vendor range. Stability treats 0 as "random", which would make the
 * variation irreproducible, so 0 becomes a fixed stand-in (the range maximum).
 */
export function stabilitySeed(seed: number, max = 4294967295): number {
  const n = Math.abs(Math.trunc(seed)) % (max + 1);
  return n === 0 ? max : n;
}

export async function buildSdxlForm(req: EditRequest, image: InputImage): Promise<{ form: FormData; note?: string }> {
  const init = await fitSdxlInit(image, req.size);
  const form = new FormData();
  form.append('text_prompts[0][text]', req.prompt);
  form.append('text_prompts[0][weight]', '1');
  if (req.negativePrompt?.trim()) {
    form.append('text_prompts[1][text]', req.negativePrompt);
    form.append('text_prompts[1][weight]', '-1');
  }
  form.append('init_image', new Blob([new Uint8Array(init.bytes)], { type: init.mime }), image.filename);
  form.append('init_image_mode', 'IMAGE_STRENGTH');
  // Our strength is "how far from the source"; image_strength is "how close to it".
  if (req.strength !== undefined) form.append('image_strength', String(round3(1 - clamp(req.strength, 0, 1))));
  if (req.guidance !== undefined) form.append('cfg_scale', String(clamp(req.guidance, 0, 35)));
  form.append('seed', String(stabilitySeed(req.seed)));
  form.append('samples', '1');
  return { form, note: init.note };
}

const artifactsSchema = z.object({
  artifacts: z
    .array(z.object({ base64: z.string().optional(), finishReason: z.string().optional(), seed: z.number().optional() }))
    .min(1),
});

export function parseSdxlResponse(body: unknown): OutputImage[] {
  const parsed = artifactsSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError({ code: 'provider_error', message: 'Stability: the response has no artifacts.' });
  }
  const images: OutputImage[] = [];
  for (const a of parsed.data.artifacts) {
    if (a.finishReason === 'CONTENT_FILTERED') {
      // The v1 spec: "the result affected by the content filter and may be blurred" — useless to a designer.
      throw new ProviderError({
        code: 'content_policy',
        blocked: 'output',
        providerCode: 'CONTENT_FILTERED',
        message: 'Stability: the generated image was blocked by the content filter.',
      });
    }
    if (a.finishReason === 'ERROR' || !a.base64) {
      throw new ProviderError({ code: 'provider_error', providerCode: a.finishReason, message: 'Stability: the generation ended with an error.' });
    }
    images.push({ bytes: Buffer.from(a.base64, 'base64'), mime: 'image/png' });
  }
  return images;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
