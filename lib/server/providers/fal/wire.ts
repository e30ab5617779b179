import 'server-only';
import { z } from 'zod';
import { wanSeed } from '../seed';
import { nearestRatio } from '../sizes';
import type { EditRequest } from '../types';

/** fal's queue and storage hosts; the protocol on each, with sources, is described in adapter.ts. */
export const FAL_DEFAULT_QUEUE_URL = 'https://queue.fal.run';
export const FAL_DEFAULT_STORAGE_URL = 'https://rest.alpha.fal.ai';

/** Queue answers and the stored handle (https://docs.fal.ai/documentation/model-apis/inference/queue). */
export const submitSchema = z.object({
  request_id: z.string().min(1),
  status_url: z.string().optional(),
  response_url: z.string().optional(),
  cancel_url: z.string().optional(),
});
export const statusSchema = z.object({
  status: z.string(),
  queue_position: z.number().optional(),
  error: z.string().nullish(),
  error_type: z.string().nullish(),
});
export const resultSchema = z.object({
  images: z.array(z.object({ url: z.string().min(1), content_type: z.string().nullish() })).default([]),
  // One flag per image; fal's safety checker flags (and usually blacks out) unsafe outputs.
  has_nsfw_concepts: z.array(z.boolean()).nullish(),
  seed: z.number().nullish(),
  timings: z.object({ inference: z.number().optional() }).nullish(),
});
export const initiateSchema = z.object({ upload_url: z.string().min(1), file_url: z.string().min(1) });
export const handleSchema = z.object({
  requestId: z.string(),
  statusUrl: z.string(),
  responseUrl: z.string(),
  cancelUrl: z.string(),
});
export type FalHandle = z.infer<typeof handleSchema>;

/**
 * How each fal model names its inputs. fal has one queue protocol but every model has its
 * own input schema, so the mapping from our EditRequest lives here, one entry per model.
 */
type FalModelSpec = {
  /** `image_url` for single-reference models, `image_urls` for multi-reference ones. */
  imageField: 'image_url' | 'image_urls';
  seed: boolean;
  guidance: boolean;
  negativePrompt: boolean;
  /** Model takes `output_format` (jpeg|png). */
  outputFormat: boolean;
  /** Output size vocabulary: Kontext takes an aspect-ratio enum, Wan an explicit {width,height}. */
  size: 'aspect_ratio' | 'image_size' | 'none';
  /** A Wan model: seeds go through wanSeed, prompt expansion is turned off. */
  wan?: boolean;
};

const KONTEXT: Omit<FalModelSpec, 'imageField'> = {
  seed: true,
  guidance: true,
  negativePrompt: false,
  outputFormat: true,
  size: 'aspect_ratio',
};

const FAL_MODELS: Record<string, FalModelSpec> = {
  // Inputs prompt, image_url, seed, guidance_scale (1-20), num_images, output_format jpeg|png,
  // safety_tolerance, aspect_ratio. Source: https://fal.ai/models/fal-ai/flux-pro/kontext/llms.txt
  'fal-ai/flux-pro/kontext': { ...KONTEXT, imageField: 'image_url' },
  // Same fields with `image_urls` (list). Source: fal's Kontext multi schema,
  // https://fal.ai/docs/model-api-reference/image-generation-api/flux-pro-kontext-multi ; the
  // max/multi id itself is confirmed by a mirror of https://fal.ai/models/fal-ai/flux-pro/kontext/max/multi
  'fal-ai/flux-pro/kontext/max/multi': { ...KONTEXT, imageField: 'image_urls' },
  // `WanV27EditInput` in fal's official client, generated from the model's OpenAPI
  // (fal-ai/fal-js@381105e1 libs/client/src/types/endpoints.ts; the same field list is in
  // https://fal.ai/models/fal-ai/wan/v2.7/edit/llms.txt): prompt, image_urls (1-4),
  // enable_prompt_expansion (default TRUE), enable_safety_checker, image_size (preset or
  // {width, height}, default "square_hd"), negative_prompt (≤ 500), num_images 1-4,
  // output_format jpeg|png|webp, seed 0-2147483647.
  'fal-ai/wan/v2.7/edit': {
    imageField: 'image_urls',
    seed: true,
    guidance: false,
    negativePrompt: true,
    outputFormat: true,
    size: 'image_size',
    wan: true,
  },
};

/** An unknown model gets the conservative common subset (prompt, images, seed). */
function specFor(model: string, imageCount: number): FalModelSpec {
  return (
    FAL_MODELS[model] ?? {
      imageField: imageCount > 1 ? 'image_urls' : 'image_url',
      seed: true,
      guidance: false,
      negativePrompt: false,
      outputFormat: false,
      size: 'none',
    }
  );
}

/** Kontext's aspect_ratio enum (same source as above). */
const KONTEXT_RATIOS = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'] as const;

/**
 * Wan's `image_size` when the form says 'auto'. Omitted, fal uses "square_hd" (1024×1024,
 * WanV27EditInput default), which would square every edit. So the first reference's shape is
 * sent at square_hd's pixel budget (~1 MP), sides in multiples of 16. fal converts this to
 * DashScope's size and publishes no range for it; the aspect is kept within Wan 2.7's 1:8…8:1
 * (defensive: the limit fal applies is not documented).
 */
function wanImageSize(req: EditRequest): { width: number; height: number } | undefined {
  if (req.size) return { width: req.size.width, height: req.size.height };
  const first = req.images[0];
  if (!first) return undefined;
  const ratio = Math.min(8, Math.max(1 / 8, first.width / first.height));
  const height = Math.sqrt((1024 * 1024) / ratio);
  const snap = (v: number) => Math.max(16, Math.round(v / 16) * 16);
  return { width: snap(height * ratio), height: snap(height) };
}

/** The JSON body fal's queue expects for this model, given the uploaded reference URLs. */
export function falInput(req: EditRequest, imageUrls: string[]): Record<string, unknown> {
  const spec = specFor(req.model, imageUrls.length);
  const input: Record<string, unknown> = { prompt: req.prompt, num_images: 1 };
  if (spec.imageField === 'image_url') input.image_url = imageUrls[0];
  else input.image_urls = imageUrls;
  if (spec.seed) input.seed = spec.wan ? wanSeed(req.seed) : req.seed;
  if (spec.guidance && req.guidance !== undefined) input.guidance_scale = req.guidance;
  if (spec.negativePrompt && req.negativePrompt) input.negative_prompt = spec.wan ? req.negativePrompt.slice(0, 500) : req.negativePrompt;
  if (spec.outputFormat) input.output_format = req.outputFormat;
  if (req.size && spec.size === 'aspect_ratio') input.aspect_ratio = nearestRatio(req.size, KONTEXT_RATIOS);
  if (spec.size === 'image_size') {
    const size = wanImageSize(req);
    if (size) input.image_size = size;
  }
  // "Enable DashScope prompt expansion … Default value: true" (WanV27EditInput): left on, Wan
  // rewrites the instruction, so the edit drifts from what was asked and a seed no longer
  // reproduces it. This app compares instructions across models, so the prompt goes as written.
  if (spec.wan) input.enable_prompt_expansion = false;
  // The run's safety setting (catalog `safety`), else fal's default: Kontext's `safety_tolerance`
  // is a string enum "1"–"6"; Wan's `enable_safety_checker` a boolean.
  if (!spec.wan && typeof req.safety === 'number') input.safety_tolerance = String(req.safety);
  if (spec.wan && typeof req.safety === 'boolean') input.enable_safety_checker = req.safety;
  return input;
}

/**
 * The quantity fal billed for a request, in the model's own pricing unit (images, megapixels,
 * seconds), from the `x-fal-billable-units` header of the result response. fal's serverless
 * apps set this header to declare their billing (fal's own app examples set
 * `response.headers["x-fal-billable-units"]`); for hosted models it is sent on the result fetch
 * ([3P] TanStack/ai#722, which multiplies it by the unit price from fal's pricing API). Absent
 * or not a positive number: undefined, and the estimate stands.
 */
export function billableUnitsOf(headers: Headers): number | undefined {
  const raw = headers.get('x-fal-billable-units');
  if (raw === null) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
