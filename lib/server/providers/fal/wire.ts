import 'server-only';
import { z } from 'zod';
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
  images: z
    .array(z.object({ url: z.string().min(1), content_type: z.string().nullish() }))
    .default([]),
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
};

const KONTEXT: Omit<FalModelSpec, 'imageField'> = {
  seed: true,
  guidance: true,
  negativePrompt: false,
  outputFormat: true,
  size: 'aspect_ratio',
};

export const FAL_MODELS: Record<string, FalModelSpec> = {
  // Inputs prompt, image_url, seed, guidance_scale (1-20), num_images, output_format jpeg|png,
  // safety_tolerance, aspect_ratio. Source: https://fal.ai/models/fal-ai/flux-pro/kontext/llms.txt
  'fal-ai/flux-pro/kontext': { ...KONTEXT, imageField: 'image_url' },
  // Same fields with `image_urls` (list). Source: fal's Kontext multi schema,
  // https://fal.ai/docs/model-api-reference/image-generation-api/flux-pro-kontext-multi ; the
  // max/multi id itself is confirmed by a mirror of https://fal.ai/models/fal-ai/flux-pro/kontext/max/multi
  'fal-ai/flux-pro/kontext/max/multi': { ...KONTEXT, imageField: 'image_urls' },
  // UNVERIFIED against fal's own schema page: fields prompt, image_urls (1-4), negative_prompt,
  // image_size ({width,height} or preset), num_images, seed come from a fal-compatible mirror
  // (https://docs.runflow.io/models/alibaba/wan/v2.7/pro/edit) and third-party code posting to
  // queue.fal.run/fal-ai/wan/v2.7/edit. No output_format field is documented there.
  'fal-ai/wan/v2.7/edit': {
    imageField: 'image_urls',
    seed: true,
    guidance: false,
    negativePrompt: true,
    outputFormat: false,
    size: 'image_size',
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

/** The JSON body fal's queue expects for this model, given the uploaded reference URLs. */
export function falInput(req: EditRequest, imageUrls: string[]): Record<string, unknown> {
  const spec = specFor(req.model, imageUrls.length);
  const input: Record<string, unknown> = { prompt: req.prompt, num_images: 1 };
  if (spec.imageField === 'image_url') input.image_url = imageUrls[0];
  else input.image_urls = imageUrls;
  if (spec.seed) input.seed = req.seed;
  if (spec.guidance && req.guidance !== undefined) input.guidance_scale = req.guidance;
  if (spec.negativePrompt && req.negativePrompt) input.negative_prompt = req.negativePrompt;
  if (spec.outputFormat) input.output_format = req.outputFormat;
  if (req.size && spec.size === 'aspect_ratio') input.aspect_ratio = nearestRatio(req.size, KONTEXT_RATIOS);
  if (req.size && spec.size === 'image_size') input.image_size = { width: req.size.width, height: req.size.height };
  return input;
}
