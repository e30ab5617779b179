import 'server-only';
import { z } from 'zod';
import type { EditRequest } from '../types';

/** Source: https://docs.kie.ai/market/common/get-task-detail (servers: https://api.kie.ai). */
export const KIE_DEFAULT_BASE_URL = 'https://api.kie.ai';
/**
 * Kie's File Upload API lives on its own host: "POST https://kieai.redpandaai.co/api/file-stream-upload"
 * (https://docs.kie.ai/file-upload-api/upload-file-stream, https://docs.kie.ai/file-upload-api/quickstart).
 */
export const KIE_DEFAULT_UPLOAD_BASE_URL = 'https://kieai.redpandaai.co';

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

/** Wan seeds are 0…2147483647 (Kie Wan 2.7 schema as mirrored by third-party clients). */
export function vendorSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2_147_483_648;
}

/**
 * Wan 2.7 on Kie takes a `resolution` tier ("1K" | "2K"; 4K only for Pro text-to-image) and keeps
 * the aspect of the input when editing, `aspect_ratio` being text-to-image only. Third-party
 * sources; the official Kie page was not in the material consulted. Up to ~1.5 MP counts as 1K.
 */
export function resolutionFor(size: EditRequest['size']): '1K' | '2K' | undefined {
  if (!size) return undefined;
  return size.width * size.height <= 1_572_864 ? '1K' : '2K';
}

/**
 * The `input` object for `wan/2-7-image(-pro)`. Field names (`prompt`, `input_urls`, `n`,
 * `resolution`, `seed`) are third-party: several independent Kie clients agree on them, and one
 * notes `n` defaults to 4, so n is always sent. `thinking_mode` must be absent when editing.
 */
export function buildInput(req: EditRequest, inputUrls: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {
    prompt: req.prompt,
    input_urls: inputUrls,
    n: 1,
    seed: vendorSeed(req.seed),
  };
  const resolution = resolutionFor(req.size);
  if (resolution) input.resolution = resolution;
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
