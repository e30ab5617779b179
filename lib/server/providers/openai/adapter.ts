import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import { decodeBase64Image } from '../http';
import type { AdapterConfig, OutputImage, ProviderAdapter } from '../types';
import { openaiHttpError } from './errors';
import { OPENAI_DEFAULT_BASE_URL, QUALITIES, editForm, editResponseSchema, usageOf } from './wire';

/**
 * OpenAI image edits: synchronous `POST {base}/images/edits`, multipart/form-data, one `image[]`
 * part per reference (up to 16 for GPT image models), `Authorization: Bearer`.
 * Fields: model, prompt, n, size (1024x1024 | 1536x1024 | 1024x1536 | auto), quality
 * (low | medium | high | auto), output_format (png | jpeg | webp); no `moderation`, which is a
 * generations-only parameter (see `editForm` in wire.ts).
 * GPT image models always answer base64 (`data[].b64_json`) with a token `usage` block.
 * Sources: https://developers.openai.com/api/reference/resources/images/methods/edit.md ;
 * openai-node src/resources/images.ts (ImageEditParams, ImagesResponse).
 * No seed and no negative prompt exist on this endpoint, so none are sent.
 */
export function createOpenAIAdapter(config: AdapterConfig): ProviderAdapter {
  // `medium` by default so the catalog's per-image estimate matches what is billed.
  const quality = QUALITIES.find((q) => q === config.options?.quality) ?? 'medium';

  return defineHttpAdapter(
    {
      id: 'openai',
      vendor: 'OpenAI',
      config,
      baseUrl: config.baseUrl || OPENAI_DEFAULT_BASE_URL,
      auth: { scheme: 'Bearer', envKey: 'OPENAI_API_KEY' },
      // Edits at high quality with several references can take well over a minute.
      timeoutMs: 180_000,
      deadlineMs: 240_000,
      httpError: openaiHttpError,
    },
    (http) => ({
      async submit(req, ctx) {
        const res = await http.call('/images/edits', { method: 'POST', body: editForm(req, quality) }, ctx);
        const parsed = http.json(res, editResponseSchema, 'unexpected response shape');
        const mime = req.outputFormat === 'jpeg' ? 'image/jpeg' : 'image/png';
        const images: OutputImage[] = (parsed.data ?? [])
          .map((d) => (d.b64_json ? decodeBase64Image(d.b64_json).bytes : undefined))
          .filter((b): b is Buffer => Boolean(b?.length))
          .map((bytes) => ({ bytes, mime }));
        // OpenAI documents no "failed inside a 200"; a 200 without any image is the closest case.
        if (!images.length)
          throw new ProviderError({ code: 'provider_error', message: 'OpenAI: the response held no image.', httpStatus: res.status });
        // x-request-id: OpenAI's id for the request (API reference, "Debugging requests").
        const vendorRequestId = res.headers.get('x-request-id') ?? undefined;
        return { kind: 'done', images, usage: usageOf(req.model, parsed.usage), vendorRequestId };
      },
    }),
  );
}
