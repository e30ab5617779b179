import 'server-only';
import { ProviderError } from '../errors';
import { request, requireJson } from '../http';
import {
  TOGETHER_DEFAULT_BASE_URL,
  buildBody,
  imageRef,
  imagesFrom,
  togetherHttpError,
  type ImageTransport,
  type ResponseFormat,
} from './wire';
import type { AdapterConfig, ProviderAdapter } from '../types';

/**
 * Together AI: one synchronous `POST /v1/images/generations`, Bearer auth
 * (https://docs.together.ai/reference/post-images-generations). No job, so no poll or cancel.
 *
 * Options (from env via the registry):
 * - `responseFormat`: 'base64' (default: the image arrives in the answer, nothing to fetch,
 *   nothing to expire) or 'url' (Together-hosted link the caller downloads at once).
 * - `imageTransport`: 'auto' (default), 'url' or 'data-uri'; see `imageRef` in together-wire.ts.
 */
export function createTogetherAdapter(config: AdapterConfig): ProviderAdapter {
  const key = config.apiKey;
  const base = (config.baseUrl || TOGETHER_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const responseFormat: ResponseFormat = config.options?.responseFormat === 'url' ? 'url' : 'base64';
  const transportOption = config.options?.imageTransport;
  const transport: ImageTransport = transportOption === 'url' || transportOption === 'data-uri' ? transportOption : 'auto';
  const secrets = [key];

  return {
    id: 'together',
    // The whole generation happens inside one request; Kontext edits take seconds to a minute.
    deadlineMs: 150_000,
    configured: () => Boolean(key),

    async submit(req, ctx) {
      if (!key) throw new ProviderError({ code: 'auth', message: 'Together: no API key is configured (TOGETHER_API_KEY).' });
      const refs = await Promise.all(req.images.map((image) => imageRef(image, ctx, transport)));
      const body = buildBody(req, refs, responseFormat);
      const res = await request(
        `${base}/images/generations`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        },
        // Synchronous: the request stays open for the whole generation.
        { signal: ctx.signal, timeoutMs: config.requestTimeoutMs ?? 120_000, secrets },
      );
      if (res.status < 200 || res.status >= 300) throw togetherHttpError(res, secrets);
      const { images, usage } = imagesFrom(requireJson(res, 'Together'), res.status, secrets);
      return { kind: 'done', images, usage };
    },

    async poll() {
      // submit() never returns 'pending' for Together, so a handle can only come from a bug or a
      // restart mid-request; there is nothing on Together's side to ask about.
      return {
        state: 'failed',
        error: new ProviderError({ code: 'interrupted', message: 'Together answers synchronously; there is no job to resume.' }),
      };
    },
  };
}
