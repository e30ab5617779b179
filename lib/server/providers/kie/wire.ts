import 'server-only';
import { z } from 'zod';
import { nearestRatio } from '../sizes';
import { wanSeed } from '../seed';
import type { EditRequest } from '../types';

/** Source: https://docs.kie.ai/market/common/get-task-detail (servers: https://api.kie.ai). */
export const KIE_DEFAULT_BASE_URL = 'https://api.kie.ai';
/**
 * The File Upload API's older host. Kie's current docs post to the API host itself
 * ("POST https://api.kie.ai/api/file-stream-upload", docs.kie.ai/cn/file-upload-api/upload-file-stream);
 * the older quickstart (docs.kie.ai/file-upload-api/quickstart, old-docs.kie.ai) names
 * "API Base URL https://kieai.redpandaai.co". The API host is tried first, this one second.
 */
export const KIE_LEGACY_UPLOAD_BASE_URL = 'https://kieai.redpandaai.co';

/** Where references are uploaded, in order: an explicit KIE_UPLOAD_BASE_URL alone, else the API host then the legacy host. */
export function uploadBases(base: string, options: { uploadBaseUrl?: string; uploadFallbackBaseUrl?: string } = {}): string[] {
  const trim = (u: string) => u.replace(/\/+$/, '');
  if (options.uploadBaseUrl) return [trim(options.uploadBaseUrl)];
  const fallback = options.uploadFallbackBaseUrl ?? (trim(base) === KIE_DEFAULT_BASE_URL ? KIE_LEGACY_UPLOAD_BASE_URL : undefined);
  return [trim(base), ...(fallback && trim(fallback) !== trim(base) ? [trim(fallback)] : [])];
}

/**
 * Every Kie answer is `{code, msg, data}`; `code` repeats the HTTP status, and third-party
 * clients see `code != 200` inside HTTP 200 too (providers.md §3), so both are read.
 * The upload API adds `success`. Some pages spell the text field `message`.
 */
export const envelopeSchema = z.object({
  code: z.coerce.number().optional(),
  msg: z.string().nullish(),
  message: z.string().nullish(),
  success: z.boolean().optional(),
  data: z.unknown().optional(),
});
export type KieEnvelope = z.infer<typeof envelopeSchema>;

/** Upload answer: `data.downloadUrl` (https://docs.kie.ai/file-upload-api/upload-file-stream). */
export const uploadDataSchema = z.object({
  downloadUrl: z.string().url().optional(),
  fileUrl: z.string().url().optional(),
});

/** createTask answer: `{code:200, msg:"success", data:{taskId}}` (docs.kie.ai market model pages). */
export const createDataSchema = z.object({ taskId: z.string().min(1) });

/**
 * recordInfo `data` (https://docs.kie.ai/market/common/get-task-detail). `resultJson` is a JSON
 * *string* holding `resultUrls`; `consumeCredits` appears in Kie's callback examples (third-party copies).
 */
export const recordSchema = z.object({
  taskId: z.string().optional(),
  state: z.string(),
  resultJson: z.string().nullish(),
  failCode: z.union([z.string(), z.number()]).nullish(),
  failMsg: z.string().nullish(),
  costTime: z.number().nullish(),
  consumeCredits: z.number().nullish(),
});
export type KieRecord = z.infer<typeof recordSchema>;

export const resultJsonSchema = z.object({ resultUrls: z.array(z.string().url()).default([]) });

/** What poll() needs: only the task id; the host comes from our own config, never from a response. */
export const handleSchema = z.object({ v: z.literal(1), taskId: z.string().min(1), model: z.string() });

/**
 * Wan 2.7's `aspect_ratio` enum on Kie, and the rule that it is only valid together with
 * `resolution` ([3P] justintanner/apicity@58c740bd packages/provider/kie/src/zod.ts, Wan27Image
 * schema and refinements; Kie's own Wan 2.7 page was not in the material consulted). Third
 * parties disagree on the default when it is omitted (1:1, 16:9, or the last input's shape), so
 * it is always sent for edits: the ratio nearest the requested size, else the first reference's.
 */
const WAN_RATIOS = ['1:1', '16:9', '4:3', '21:9', '3:4', '9:16', '8:1', '1:8'] as const;

/**
 * `resolution` "1K" | "2K" ("4K" is text-to-image only, same source). Up to ~1.5 MP counts as
 * 1K; no size ('auto') sends "2K", the default third parties report, so it is explicit.
 */
function resolutionFor(size: EditRequest['size']): '1K' | '2K' {
  if (!size) return '2K';
  return size.width * size.height <= 1_572_864 ? '1K' : '2K';
}

/**
 * The `input` object for `wan/2-7-image(-pro)`. Field names (`prompt`, `input_urls`, `n`,
 * `resolution`, `aspect_ratio`, `seed`) are third-party: several independent Kie clients agree on
 * them, and one notes `n` defaults to 4, so n is always sent. `thinking_mode` must be absent when
 * editing. The seed is never 0 (../seed.ts).
 */
export function buildInput(req: EditRequest, inputUrls: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {
    prompt: req.prompt,
    input_urls: inputUrls,
    n: 1,
    resolution: resolutionFor(req.size),
    seed: wanSeed(req.seed),
  };
  const shape = req.size ?? req.images[0];
  if (shape) input.aspect_ratio = nearestRatio(shape, WAN_RATIOS);
  return input;
}

/** Kie state → ours (https://docs.kie.ai/market/common/get-task-detail "Task States"). */
export function stateOf(state: string): 'queued' | 'running' | 'succeeded' | 'failed' | 'unknown' {
  switch (state) {
    case 'waiting':
    case 'queuing':
      return 'queued';
    case 'generating':
      return 'running';
    case 'success':
      return 'succeeded';
    case 'fail':
      return 'failed';
    default:
      return 'unknown';
  }
}
