import 'server-only';
import { z } from 'zod';
import { ProviderError } from '../errors';
import { requireJson, type HttpResponse } from '../http';
import { nonZeroSeed } from '../seed';
import type { EditRequest, InputImage, OutputImage } from '../types';

const VENDOR = 'Stability';

/** Stability's API host. */
export const STABILITY_DEFAULT_BASE_URL = 'https://api.stability.ai';

/**
 * The `model` values of v2beta `stable-image/generate/sd3`, as Stability's own API nodes list
 * them (Stability-AI/ComfyUI-SAI_API@6c0e3a21 stability_api.py, `StabilitySD3`).
 */
const SD3_MODELS = ['sd3.5-large', 'sd3.5-large-turbo', 'sd3.5-medium', 'sd3-large', 'sd3-large-turbo', 'sd3-medium'] as const;

export function isSd3Model(model: string): boolean {
  return (SD3_MODELS as readonly string[]).includes(model);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Folds our seed into 1…4294967294: 0 is "random" at Stability (seed 0–4294967294, default 0,
 * Stability-AI/ComfyUI-SAI_API@6c0e3a21), which would make the variation irreproducible.
 */
function stabilitySeed(seed: number): number {
  return nonZeroSeed(seed, 4294967294);
}

/** v2beta answer with `Accept: application/json`. */
const sd3Schema = z.object({
  image: z.string().min(1),
  finish_reason: z.string().optional(),
  seed: z.number().optional(),
});

export function sd3Form(req: EditRequest, image: InputImage): FormData {
  const form = new FormData();
  form.append('prompt', req.prompt);
  form.append('mode', 'image-to-image');
  form.append('image', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), image.filename);
  // strength is required in image-to-image mode; 0.7 is the documented default.
  form.append('strength', String(clamp(req.strength ?? 0.7, 0, 1)));
  form.append('model', req.model);
  form.append('seed', String(stabilitySeed(req.seed)));
  form.append('output_format', req.outputFormat);
  // Turbo ignores negative prompts ([3P] Stability SD3 example gist chiliec/e2986507061ad23a61ccf545fb9147f2).
  if (req.negativePrompt?.trim() && !req.model.includes('turbo')) form.append('negative_prompt', req.negativePrompt);
  if (req.guidance !== undefined) form.append('cfg_scale', String(clamp(req.guidance, 1, 10)));
  return form;
}

export function parseSd3(res: HttpResponse, req: EditRequest): OutputImage {
  const parsed = sd3Schema.safeParse(requireJson(res, VENDOR));
  if (!parsed.success) throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: the response has no image.` });
  const { image, finish_reason: finish } = parsed.data;
  // A 200 can still be a refusal: CONTENT_FILTERED means the output violated policy (and is blurred).
  if (finish === 'CONTENT_FILTERED') {
    throw new ProviderError({
      code: 'content_policy',
      blocked: 'output',
      providerCode: finish,
      message: `${VENDOR}: the generated image was blocked by the content filter.`,
    });
  }
  if (finish && finish !== 'SUCCESS') {
    throw new ProviderError({ code: 'provider_error', providerCode: finish, message: `${VENDOR}: generation finished with ${finish}.` });
  }
  // "application/json; type=image/png" names the encoded format.
  const typed = /type=(image\/[a-z]+)/.exec(res.headers.get('content-type') ?? '')?.[1];
  return { bytes: Buffer.from(image, 'base64'), mime: typed ?? `image/${req.outputFormat}` };
}
