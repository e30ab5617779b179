import 'server-only';
import { z } from 'zod';
import { wanSeed } from '../seed';
import type { EditRequest } from '../types';

/**
 * Media API host; the paths below start with /api/v1. Atlas's docs FAQ ("Base URL:
 * https://api.atlascloud.ai") and its official ComfyUI nodes (AtlasCloudAI/atlascloud_comfyui,
 * `client/atlas_client.py`, which also reads ATLASCLOUD_BASE_URL).
 */
export const ATLASCLOUD_DEFAULT_BASE_URL = 'https://api.atlascloud.ai';

/**
 * Every media answer is `{code, msg|message, data}`; `code` mirrors the HTTP status
 * (https://www.atlascloud.ai/docs/en/errors; AtlasCloudAI/mcp-server `src/types.ts` and
 * `services/api-client.ts`, which reads `msg || message || error`).
 */
export const envelopeSchema = z.object({
  code: z.number().optional(),
  msg: z.string().nullish(),
  message: z.string().nullish(),
  data: z.unknown().optional(),
});

/** Submit answer: `{"code":200,"data":{"id":"…","status":"starting"}}` (atlas-cloud-skills SKILL.md). */
export const submitDataSchema = z.object({ id: z.string().min(1), status: z.string().optional() });

/** An output is a URL string; the official ComfyUI client also tolerates `{url}` objects. */
const outputSchema = z.union([z.string(), z.object({ url: z.string() }).transform((o) => o.url)]);

/**
 * `GET /api/v1/model/prediction/{id}` data (mcp-server `PredictionResponse`): `status`
 * starting → processing → completed | succeeded | failed; images in `outputs[]`, with
 * `output` (string or array) as the older spelling the MCP server still falls back to. A failed
 * job carries `error` and, for moderation, `error_code: 1039` (docs/en/errors).
 */
export const predictionSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  outputs: z.array(outputSchema).nullish(),
  output: z.union([outputSchema, z.array(outputSchema)]).nullish(),
  error: z.string().nullish(),
  error_code: z.union([z.number(), z.string()]).nullish(),
  metrics: z.record(z.string(), z.unknown()).nullish(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export function outputUrls(p: Prediction): string[] {
  const older = p.output == null ? [] : Array.isArray(p.output) ? p.output : [p.output];
  return [...(p.outputs ?? []), ...older].filter((u) => u.length > 0);
}

/**
 * `POST /api/v1/model/uploadMedia` answer: `data.download_url` (mcp-server `types.ts`, SKILL.md);
 * the docs' upload page sample reads a `url` instead, so that is the fallback.
 */
export const uploadSchema = z.object({
  code: z.number().optional(),
  url: z.string().optional(),
  data: z.object({ download_url: z.string().optional(), url: z.string().optional() }).nullish(),
});

/** The edit size is a tier; up to 1.5 MP is closer to 1K (1024²) than to 2K (2048²). */
export function sizeTier(size: { width: number; height: number }): '1K' | '2K' {
  return size.width * size.height <= 1.5 * 1024 * 1024 ? '1K' : '2K';
}

/**
 * The flat body both official clients send: `{model, ...params}` (mcp-server
 * `services/generation.ts`, `const body = { model, ...finalParams }`; the ComfyUI nodes alike).
 * Some model pages show an `input: {…}` wrapper; a third-party probe saw it accepted and the
 * prediction then fail with "Field required", so it is never used.
 * Fields for Wan 2.7 edit are third-party, unverified (see lib/providers/targets/atlascloud.ts):
 * `images`, `prompt`, `size` "1K"/"2K", `n`, `seed`. `n: 1`: one variation is one image.
 * The seed is never 0 or negative (Atlas's Wan nodes read −1 as random; see ../seed.ts).
 */
export function buildBody(req: EditRequest, imageUrls: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model, prompt: req.prompt, images: imageUrls, n: 1, seed: wanSeed(req.seed) };
  if (req.size) body.size = sizeTier(req.size);
  return body;
}

/**
 * What poll() needs: the prediction id, and when it was made. Atlas's ComfyUI client treats a
 * 400/404 in the first 30 s as "not visible yet" (`atlas_client.py`), so the poll needs the age.
 */
export const handleSchema = z.object({ v: z.literal(1), id: z.string().min(1), model: z.string(), at: z.number() });
