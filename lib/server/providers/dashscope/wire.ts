import 'server-only';
import { z } from 'zod';
import { toDataUri } from '../http';
import type { EditRequest } from '../types';

/**
 * Regional hosts; each region has its own keys and cross-region calls fail
 * (https://www.alibabacloud.com/help/en/model-studio/wan-image-generation-and-editing-api-reference).
 */
export const DASHSCOPE_BASE_URLS = {
  intl: 'https://dashscope-intl.aliyuncs.com/api/v1',
  cn: 'https://dashscope.aliyuncs.com/api/v1',
} as const;
export type DashScopeRegion = keyof typeof DASHSCOPE_BASE_URLS;

/** DASHSCOPE_BASE_URL wins; else the region's host; Singapore (intl) by default. */
export function dashscopeBaseUrl(override?: string, region?: string): string {
  if (override) return override.replace(/\/+$/, '');
  return region === 'cn' ? DASHSCOPE_BASE_URLS.cn : DASHSCOPE_BASE_URLS.intl;
}

/** Create-task answer (https://docs.qwencloud.com/api-reference/image-generation/wan27-image-gen-edit/create-task). */
export const createSchema = z.object({
  request_id: z.string().optional(),
  output: z.object({ task_id: z.string().min(1), task_status: z.string() }),
});

const contentSchema = z.object({ type: z.string().optional(), image: z.string().optional() });

/** Query-task answer (https://docs.qwencloud.com/api-reference/more/manage-asynchronous-tasks). */
export const taskSchema = z.object({
  request_id: z.string().optional(),
  output: z.object({
    task_id: z.string().optional(),
    task_status: z.string(),
    code: z.string().optional(),
    message: z.string().optional(),
    choices: z
      .array(z.object({ message: z.object({ content: z.array(contentSchema).default([]) }).optional() }))
      .optional(),
    // Older Wan image APIs put URLs in `results[].url`; kept as a fallback.
    results: z.array(z.object({ url: z.string().optional() })).optional(),
  }),
  usage: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
export type DashScopeTask = z.infer<typeof taskSchema>;

/** Seeds are documented as 0…2147483647. */
export function vendorSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2_147_483_648;
}

/**
 * Editing takes a resolution tier, "1K" or "2K"; the aspect ratio follows the input
 * (https://docs.qwencloud.com/api-reference/image-generation/wan27-image-gen-edit/synchronous).
 * Up to 1.5 MP is closer to 1K (1024²) than to 2K (2048²).
 */
export function sizeTier(size: { width: number; height: number }): '1K' | '2K' {
  return size.width * size.height <= 1.5 * 1024 * 1024 ? '1K' : '2K';
}

/**
 * Wan 2.7/2.6 body: one user message whose content is one `{text}` and the `{image}`s in order;
 * images may be base64 data URIs. `n: 1` (2.6 defaults to 4, each billed), `watermark: false`.
 * `negative_prompt` and `enable_interleave: false` (editing, not text-and-image output) are 2.6
 * parameters (https://www.alibabacloud.com/help/en/model-studio/wan-image-generation-api-reference).
 */
export function buildBody(req: EditRequest): Record<string, unknown> {
  const parameters: Record<string, unknown> = { n: 1, watermark: false, seed: vendorSeed(req.seed) };
  if (req.size) parameters.size = sizeTier(req.size);
  if (req.model === 'wan2.6-image') {
    parameters.enable_interleave = false;
    if (req.negativePrompt?.trim()) parameters.negative_prompt = req.negativePrompt.trim().slice(0, 500);
  }
  const content = [{ text: req.prompt }, ...req.images.map((img) => ({ image: toDataUri(img.bytes, img.mime) }))];
  return { model: req.model, input: { messages: [{ role: 'user', content }] }, parameters };
}

/** What poll()/cancel() need; the host is rebuilt from our configuration, never stored. */
export const handleSchema = z.object({ v: z.literal(1), taskId: z.string().min(1), model: z.string() });
