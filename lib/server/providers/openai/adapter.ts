import 'server-only';
import { z } from 'zod';
import { OPENAI_TOKEN_PRICES } from '@/lib/providers/targets/openai';
import { ProviderError } from '../errors';
import { decodeBase64Image, request, requireJson } from '../http';
import { OPENAI, openaiHttpError } from './errors';
import type { AdapterConfig, EditRequest, OutputImage, ProviderAdapter, Usage } from '../types';

/**
 * OpenAI image edits: synchronous `POST {base}/images/edits`, multipart/form-data, one `image[]`
 * part per reference (up to 16 for GPT image models), `Authorization: Bearer`.
 * Fields: model, prompt, n, size (1024x1024 | 1536x1024 | 1024x1536 | auto), quality
 * (low | medium | high | auto), output_format (png | jpeg | webp), moderation (low | auto).
 * GPT image models always answer base64 (`data[].b64_json`) with a token `usage` block.
 * Sources: https://developers.openai.com/api/reference/resources/images/methods/edit.md ;
 * openai-node src/resources/images.ts (ImageEditParams, ImagesResponse).
 * No seed and no negative prompt exist on this endpoint, so none are sent.
 */

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

const EditResponse = z.object({
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
type EditUsage = NonNullable<z.infer<typeof EditResponse>['usage']>;

const QUALITIES = ['low', 'medium', 'high', 'auto'] as const;

export function createOpenAIAdapter(config: AdapterConfig): ProviderAdapter {
  const baseUrl = (config.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const secrets = [config.apiKey];
  // Edits at high quality with several references can take well over a minute.
  const timeoutMs = config.requestTimeoutMs ?? 180_000;
  // `medium` by default so the catalog's per-image estimate matches what is billed.
  const quality = QUALITIES.find((q) => q === config.options?.quality) ?? 'medium';
  // Whether the edits endpoint takes `moderation` is unsettled (listed for JSON edits in the OpenAPI
  // spec, reported missing on multipart edits), so it is sent only when set to the non-default `low`.
  const moderation = config.options?.moderation === 'low' ? 'low' : 'auto';

  return {
    id: 'openai',
    deadlineMs: 240_000,
    configured: () => Boolean(config.apiKey),

    async submit(req, ctx) {
      if (!config.apiKey) throw new ProviderError({ code: 'auth', message: 'OpenAI: OPENAI_API_KEY is not set.' });
      const res = await request(
        `${baseUrl}/images/edits`,
        // No content-type header: fetch writes the multipart boundary itself.
        { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}` }, body: editForm(req, quality, moderation) },
        { signal: ctx.signal, timeoutMs, secrets },
      );
      if (res.status >= 300) throw openaiHttpError(res, secrets);
      const parsed = EditResponse.safeParse(requireJson(res, OPENAI));
      if (!parsed.success) throw new ProviderError({ code: 'provider_error', message: 'OpenAI: unexpected response shape.' });
      const mime = req.outputFormat === 'jpeg' ? 'image/jpeg' : 'image/png';
      const images: OutputImage[] = (parsed.data.data ?? [])
        .map((d) => (d.b64_json ? decodeBase64Image(d.b64_json).bytes : undefined))
        .filter((b): b is Buffer => Boolean(b && b.length))
        .map((bytes) => ({ bytes, mime }));
      // OpenAI documents no "failed inside a 200"; a 200 without any image is the closest case.
      if (!images.length) throw new ProviderError({ code: 'provider_error', message: 'OpenAI: the response held no image.', httpStatus: res.status });
      return { kind: 'done', images, usage: usageOf(req.model, parsed.data.usage) };
    },

    async poll() {
      // Edits are synchronous; submit() never returns a handle, so there is nothing to poll.
      return { state: 'failed', error: new ProviderError({ code: 'provider_error', message: 'OpenAI: edits are synchronous; nothing to poll.' }) };
    },
  };
}

function editForm(req: EditRequest, quality: string, moderation: string): FormData {
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
  if (moderation === 'low') form.append('moderation', 'low');
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
function usageOf(model: string, usage: EditUsage | null | undefined): Usage | undefined {
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
