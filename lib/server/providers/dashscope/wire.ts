import 'server-only';
import { z } from 'zod';
import { toDataUri } from '../http';
import { wanSeed } from '../seed';
import type { EditRequest } from '../types';

/**
 * Regional hosts; each region has its own keys and cross-region calls fail
 * (https://www.alibabacloud.com/help/en/model-studio/wan-image-generation-and-editing-api-reference).
 */
export const DASHSCOPE_BASE_URLS = {
  intl: 'https://dashscope-intl.aliyuncs.com/api/v1',
  cn: 'https://dashscope.aliyuncs.com/api/v1',
} as const;

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
    choices: z.array(z.object({ message: z.object({ content: z.array(contentSchema).default([]) }).optional() })).optional(),
    // Older Wan image APIs put URLs in `results[].url`; kept as a fallback.
    results: z.array(z.object({ url: z.string().optional() })).optional(),
  }),
  usage: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
export type DashScopeTask = z.infer<typeof taskSchema>;

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
 * Seeds are documented as 0…2147483647; 0 is never sent (../seed.ts: it means "unset" at some
 * DashScope-compatible gateways).
 * `negative_prompt` and `enable_interleave: false` (editing, not text-and-image output) are 2.6
 * parameters (https://www.alibabacloud.com/help/en/model-studio/wan-image-generation-api-reference).
 */
export function buildBody(req: EditRequest): Record<string, unknown> {
  const parameters: Record<string, unknown> = { n: 1, watermark: false, seed: wanSeed(req.seed) };
  if (req.size) parameters.size = sizeTier(req.size);
  if (req.model === 'wan2.6-image') {
    parameters.enable_interleave = false;
    if (req.negativePrompt?.trim()) parameters.negative_prompt = req.negativePrompt.trim().slice(0, 500);
  }
  const content = [{ text: req.prompt }, ...req.images.map((img) => ({ image: toDataUri(img.bytes, img.mime) }))];
  return { model: req.model, input: { messages: [{ role: 'user', content }] }, parameters };
}

/**
 * Wan 2.1 general image editing, Alibaba's first-party model
 * (https://help.aliyun.com/zh/model-studio/wanx-image-edit, updated 2026-02-11): its own
 * endpoint, a `function` that picks one of ten edits, one `base_image_url`, results at
 * `output.results[].url` (the query schema above reads both shapes). Served in the China
 * (Beijing) region only: "本文档仅适用于中国内地（北京）地域，且必须使用该地域的API Key".
 */
export const WAN21_MODEL = 'wanx2.1-imageedit';
export const WAN21_PATH = '/services/aigc/image2image/image-synthesis';
export const WAN27_PATH = '/services/aigc/image-generation/generation';

/** The Singapore host, where wanx2.1-imageedit does not exist. Other hosts (a Beijing workspace, a proxy) are let through. */
export function isInternationalHost(base: string): boolean {
  try {
    return new URL(base).hostname === new URL(DASHSCOPE_BASE_URLS.intl).hostname;
  } catch {
    return false;
  }
}

/**
 * `description_edit` is the instruction edit without a mask ("指令编辑": add or change content
 * by a text instruction alone), the one that matches what Wan 2.7 is asked here. Only the
 * first reference is used: the function takes one base image. `parameters.strength` is
 * 0.0–1.0, default 0.5, lower = closer to the original, the same direction as ours. Images may
 * be base64 data URIs (the page's samples: `data:{MIME_type};base64,{base64_data}`).
 */
export function buildWan21Body(req: EditRequest): Record<string, unknown> {
  const [base] = req.images;
  const parameters: Record<string, unknown> = { n: 1, seed: wanSeed(req.seed) };
  if (req.strength !== undefined) parameters.strength = Math.min(1, Math.max(0, req.strength));
  return {
    model: req.model,
    input: { function: 'description_edit', prompt: req.prompt, base_image_url: base ? toDataUri(base.bytes, base.mime) : undefined },
    parameters,
  };
}

/** What poll()/cancel() need; the host is rebuilt from our configuration, never stored. */
export const handleSchema = z.object({ v: z.literal(1), taskId: z.string().min(1), model: z.string() });
