import 'server-only';
import { z } from 'zod';
import { ProviderError } from '../errors';
import { requireJson, type HttpResponse } from '../http';
import type { EditRequest, InputImage, OutputImage } from '../types';
import { clamp, stabilitySeed } from './sdxl';

const VENDOR = 'Stability';

/** Stability's API host; v1 (SDXL) and v2beta (SD 3.5) share it. */
export const STABILITY_DEFAULT_BASE_URL = 'https://api.stability.ai';

/** v2beta answer with `Accept: application/json`. */
export const sd3Schema = z.object({
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
  form.append('seed', String(stabilitySeed(req.seed, 4294967294)));
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
