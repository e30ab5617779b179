import 'server-only';
import { z } from 'zod';
import { ProviderError, codeForStatus, parseRetryAfter, type ProviderErrorCode } from '../errors';
import { redact, type HttpResponse } from '../http';
import type { EditRequest } from '../types';

/** Source: https://docs.kie.ai/market/common/get-task-detail (servers: https://api.kie.ai). */
export const KIE_DEFAULT_BASE_URL = 'https://api.kie.ai';
/**
 * Kie's File Upload API lives on its own host: "POST https://kieai.redpandaai.co/api/file-stream-upload"
 * (https://docs.kie.ai/file-upload-api/upload-file-stream, https://docs.kie.ai/file-upload-api/quickstart).
 */
export const KIE_DEFAULT_UPLOAD_BASE_URL = 'https://kieai.redpandaai.co';

const VENDOR = 'Kie.ai';

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
export type KieHandle = z.infer<typeof handleSchema>;

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

const CONTENT_RE = /nsfw|sensitive|inappropriate|content (policy|moderation|safety|filter)|safety (check|filter|system)|flagged|prohibited|violat/i;
const INPUT_SIDE_RE = /\b(prompt|input|reference|upload)/i;

/**
 * Kie's codes (https://docs.kie.ai/common-api and the market model pages): 401 unauthorized,
 * 402 insufficient credits, 404 not found, 422 validation error, 429 rate limited,
 * 455 service unavailable (maintenance), 500 server error, 501 generation failed,
 * 505 feature disabled. The 5xx family is the vendor's side and retryable.
 */
export function codeForKie(code: number): ProviderErrorCode {
  if (code === 401 || code === 403) return 'auth';
  if (code === 402) return 'insufficient_funds';
  if (code === 429) return 'rate_limited';
  if (code === 455 || code === 501 || code === 505 || code >= 500) return 'provider_error';
  if (code === 408) return 'timeout';
  if (code >= 400) return 'bad_input';
  return codeForStatus(code);
}

/** Reads the Kie code of a response: the body's `code` when it disagrees with a 2xx status. */
export function kieCodeOf(res: HttpResponse): { code: number; message: string } {
  const env = envelopeSchema.safeParse(res.json);
  const bodyCode = env.success ? env.data.code : undefined;
  const ok = res.status >= 200 && res.status < 300;
  const code = ok && bodyCode !== undefined ? bodyCode : res.status;
  const message = (env.success ? (env.data.msg ?? env.data.message) : undefined) ?? res.text.slice(0, 300);
  return { code, message: message ?? '' };
}

/** True when the answer is a Kie success (HTTP 2xx and `code` 200 or absent). */
export function isKieOk(res: HttpResponse): boolean {
  return res.status >= 200 && res.status < 300 && kieCodeOf(res).code === 200;
}

/** Any non-success Kie answer (HTTP status or body code) → a normalised error. */
export function kieError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const { code, message } = kieCodeOf(res);
  const text = redact(`${VENDOR}: ${message || `code ${code}`}`, secrets);
  if (CONTENT_RE.test(message)) {
    return new ProviderError({ code: 'content_policy', blocked: 'input', message: text, providerCode: String(code), httpStatus: res.status });
  }
  const normalised = codeForKie(code);
  return new ProviderError({
    code: normalised,
    message: text,
    providerCode: String(code),
    httpStatus: res.status,
    retryAfterMs: normalised === 'rate_limited' ? (parseRetryAfter(res.headers.get('retry-after')) ?? 10_000) : undefined,
  });
}

/**
 * A task in state `fail` (HTTP 200): `failCode` is a code string such as "500" and `failMsg`
 * free text (Kie callback examples). Moderation is recognised by its wording; whether the prompt
 * or the picture was refused is read from the same text (output unless it names the input).
 */
export function taskFailure(record: KieRecord, secrets: (string | undefined)[]): ProviderError {
  const msg = record.failMsg ?? '';
  const failCode = record.failCode === null || record.failCode === undefined ? '' : String(record.failCode);
  const text = redact(`${VENDOR}: ${msg || 'the task failed without a message'}${failCode ? ` (failCode ${failCode})` : ''}`, secrets);
  if (CONTENT_RE.test(msg)) {
    return new ProviderError({
      code: 'content_policy',
      blocked: INPUT_SIDE_RE.test(msg) ? 'input' : 'output',
      message: text,
      providerCode: failCode || undefined,
    });
  }
  const numeric = Number(failCode);
  const code: ProviderErrorCode = Number.isFinite(numeric) && numeric >= 400 ? codeForKie(numeric) : 'provider_error';
  return new ProviderError({ code, message: text, providerCode: failCode || undefined });
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
