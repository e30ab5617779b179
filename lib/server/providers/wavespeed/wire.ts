import 'server-only';
import { z } from 'zod';
import { wanSeed } from '../seed';
import type { EditRequest } from '../types';

/** Source: WaveSpeedAI/wavespeed-javascript src/config.ts (official SDK). */
export const WAVESPEED_DEFAULT_BASE_URL = 'https://api.wavespeed.ai';

/**
 * Submit, result and sync responses share one envelope
 * (https://wavespeed.ai/docs/shared/submit-response, https://wavespeed.ai/docs/get-result).
 * Fields are lenient: a missing array is an empty one, unknown fields are ignored.
 */
export const predictionSchema = z.object({
  id: z.string().min(1),
  model: z.string().optional(),
  status: z.string(),
  outputs: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  has_nsfw_contents: z
    .array(z.boolean())
    .nullish()
    .transform((v) => v ?? []),
  error: z.string().nullish(),
  timings: z.record(z.string(), z.number()).nullish(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export const envelopeSchema = z.object({
  code: z.number().optional(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

/**
 * The two-step upload's ticket: `POST /api/v3/media/uploads {filename, size, content_type}` →
 * `data.upload {method: "PUT", url, headers}` and `data.download_url` (WaveSpeedAI/wavespeed-python@a4207182
 * src/wavespeed/api/client.py `upload()`, and its tests/test_api.py `TestUpload` fixtures).
 */
export const ticketSchema = z.object({
  code: z.number(),
  message: z.string().optional(),
  data: z
    .object({
      download_url: z.string().url(),
      upload: z.object({
        method: z.string().default('PUT'),
        url: z.string().url(),
        headers: z.record(z.string(), z.string()).nullish(),
      }),
    })
    .optional(),
});

/** The one-request binary upload's answer (https://wavespeed.ai/docs-common-api/media-upload). */
export const uploadSchema = z.object({
  code: z.number(),
  message: z.string().optional(),
  data: z.object({ download_url: z.string().url() }).optional(),
});

/**
 * Wan 2.5: `size` is "W*H" with total pixels between 768² and 1280² and aspect 1:4…4:1;
 * omitted means "follow the last input" (https://wavespeed.ai/models/alibaba/wan-2.5/image-edit/llms.txt).
 * Requests outside the budget are scaled into it rather than refused.
 */
export function wan25Size(size: { width: number; height: number }): string {
  const minPx = 768 * 768;
  const maxPx = 1280 * 1280;
  let ratio = size.width / size.height;
  ratio = Math.min(4, Math.max(0.25, ratio));
  const px = Math.min(maxPx, Math.max(minPx, size.width * size.height));
  // Round down to a multiple of 16 so the product cannot overshoot the budget.
  const h = Math.floor(Math.sqrt(px / ratio) / 16) * 16;
  const w = Math.floor((h * ratio) / 16) * 16;
  return `${w}*${h}`;
}

/**
 * The request body for one prediction. Only Wan 2.5 documents `size` and `negative_prompt`
 * on WaveSpeed; 2.7/2.6 document `prompt`, `images`, `seed`
 * (https://wavespeed.ai/docs/docs-api/alibaba/alibaba-wan-2.7-image-edit-pro: "Seed control").
 * `enable_sync_mode` stays false: we poll, so a slow job never holds a connection open.
 */
export function buildBody(req: EditRequest, imageUrls: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt: req.prompt,
    images: imageUrls,
    // −1 is "random" on WaveSpeed and 0 is at other Wan gateways: always 1…2^31−1 (../seed.ts).
    seed: wanSeed(req.seed),
    enable_sync_mode: false,
  };
  if (req.model === 'alibaba/wan-2.5/image-edit') {
    if (req.size) body.size = wan25Size(req.size);
    if (req.negativePrompt?.trim()) body.negative_prompt = req.negativePrompt.trim();
  }
  return body;
}

/** Prediction handle stored by the worker; the result URL is rebuilt from our own base URL. */
export const handleSchema = z.object({ v: z.literal(1), id: z.string().min(1), model: z.string() });
