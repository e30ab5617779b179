import 'server-only';
import { z } from 'zod';
import { OPENAI_TOKEN_PRICES } from '@/lib/providers/targets/openai';
import type { EditRequest, Usage } from '../types';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export const editResponseSchema = z.object({
  created: z.number().optional(),
  data: z.array(z.object({ b64_json: z.string().nullish() })).nullish(),
  usage: z
    .object({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      total_tokens: z.number().optional(),
      input_tokens_details: z.object({ text_tokens: z.number().optional(), image_tokens: z.number().optional() }).nullish(),
    })
    .nullish(),
});
export type EditUsage = NonNullable<z.infer<typeof editResponseSchema>['usage']>;

export const QUALITIES = ['low', 'medium', 'high', 'auto'] as const;

/**
 * The multipart body of `POST /images/edits`. Only `ImageEditParamsBase` fields (openai/openai-node@7b7d6ca7
 * src/resources/images.ts): image (as `image[]`), prompt, background, input_fidelity, mask, model, n,
 * output_compression, output_format, partial_images, quality, response_format, size, stream, user.
 * `moderation` is a generation parameter only (`ImageGenerateParamsBase`), so it is never sent here.
 */
export function editForm(req: EditRequest, quality: string): FormData {
  const form = new FormData();
  form.append('model', req.model);
  form.append('prompt', req.prompt);
  // `image[]` repeated: the array form the API expects for several files (openai-ruby PR #311).
  for (const image of req.images) {
    form.append('image[]', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), image.filename);
  }
  form.append('n', '1');
  form.append('size', sizeFor(req.size));
  form.append('quality', quality);
  form.append('output_format', req.outputFormat);
  return form;
}

/** The edit endpoint takes three sizes: pick by aspect ratio; no size means 'auto' (follow the input). */
export function sizeFor(size: EditRequest['size']): string {
  if (!size) return 'auto';
  const ratio = size.width / size.height;
  if (ratio >= 1.25) return '1536x1024';
  if (ratio <= 0.8) return '1024x1536';
  return '1024x1024';
}

/** Tokens as OpenAI reports them, priced at the published per-token rate where we have one. */
export function usageOf(model: string, usage: EditUsage | null | undefined): Usage | undefined {
  if (!usage) return undefined;
  const details: Record<string, number> = {};
  if (usage.input_tokens !== undefined) details.inputTokens = usage.input_tokens;
  if (usage.output_tokens !== undefined) details.outputTokens = usage.output_tokens;
  if (usage.total_tokens !== undefined) details.totalTokens = usage.total_tokens;
  const text = usage.input_tokens_details?.text_tokens;
  const image = usage.input_tokens_details?.image_tokens;
  if (text !== undefined) details.inputTextTokens = text;
  if (image !== undefined) details.inputImageTokens = image;
  const prices = OPENAI_TOKEN_PRICES[model];
  if (!prices || usage.output_tokens === undefined) return { details };
  // Without the split, all input is priced as image tokens (the dearer rate): never under-report.
  const textTokens = text ?? 0;
  const imageTokens = image ?? (usage.input_tokens ?? 0) - textTokens;
  const cost = (textTokens * prices.textInput + imageTokens * prices.imageInput + usage.output_tokens * prices.imageOutput) / 1e6;
  return { costUsd: Math.round(cost * 1e6) / 1e6, details };
}
