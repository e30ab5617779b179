import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { requireJson } from '../http';
import type { AdapterConfig, ProviderAdapter } from '../types';
import { togetherHttpError } from './errors';
import { TOGETHER_DEFAULT_BASE_URL, buildBody, imageRef, imagesFrom, type ImageTransport, type ResponseFormat } from './wire';

/**
 * Together AI: one synchronous `POST /v1/images/generations`, Bearer auth
 * (https://docs.together.ai/reference/post-images-generations). No job, so no poll or cancel.
 *
 * Options (from env via ./config.ts):
 * - `responseFormat`: 'base64' (default: the image arrives in the answer, nothing to fetch,
 *   nothing to expire) or 'url' (Together-hosted link the caller downloads at once).
 * - `imageTransport`: 'url' (default), 'auto' or 'data-uri'; see `imageRef` in wire.ts.
 */
export function createTogetherAdapter(config: AdapterConfig): ProviderAdapter {
  const responseFormat: ResponseFormat = config.options?.responseFormat === 'url' ? 'url' : 'base64';
  const transportOption = config.options?.imageTransport;
  const transport: ImageTransport = transportOption === 'auto' || transportOption === 'data-uri' ? transportOption : 'url';

  return defineHttpAdapter(
    {
      id: 'together',
      vendor: 'Together',
      config,
      baseUrl: config.baseUrl || TOGETHER_DEFAULT_BASE_URL,
      auth: { scheme: 'Bearer', envKey: 'TOGETHER_API_KEY' },
      // Synchronous: the request stays open for the whole generation.
      timeoutMs: 120_000,
      // The whole generation happens inside one request; Kontext edits take seconds to a minute.
      deadlineMs: 150_000,
      httpError: togetherHttpError,
    },
    (http) => ({
      async submit(req, ctx) {
        const refs = await Promise.all(req.images.map((image) => imageRef(image, ctx, transport)));
        const res = await http.call(
          '/images/generations',
          { method: 'POST', headers: { accept: 'application/json' }, json: buildBody(req, refs, responseFormat) },
          ctx,
        );
        const { images, usage } = imagesFrom(requireJson(res, http.vendor), res.status, http.secrets);
        return { kind: 'done', images, usage };
      },
    }),
  );
}
