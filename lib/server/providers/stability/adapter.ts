import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import { requireJson } from '../http';
import type { AdapterConfig, AdapterContext, ProviderAdapter } from '../types';
import { stabilityError } from './errors';
import { buildSdxlForm, isSdxlModel, parseSdxlResponse } from './sdxl';
import { STABILITY_DEFAULT_BASE_URL, parseSd3, sd3Form } from './wire';

/**
 * Stability AI: synchronous, multipart, `Authorization: Bearer <key>`.
 *
 * SD 3.5 models go to v2beta `POST /v2beta/stable-image/generate/sd3` with
 * `mode=image-to-image`: of the v2beta endpoints it is the one that takes an image plus a free
 * prompt and a `strength` ("lower values produce images closer to the input"), which is what an
 * instruction edit is. `control/structure` only keeps the layout and `edit/search-and-replace`
 * needs a `search_prompt`, so neither fits a free instruction.
 * Fields ([3P] spec derived from Stability docs, api-evangelist/stability-ai
 * openapi/_original/stability-ai-stable-image-generate-openapi.yml): prompt ≤10k, negative_prompt,
 * image, strength 0..1 (default 0.7), model sd3.5-large|sd3.5-large-turbo|sd3.5-medium,
 * seed 0..4294967294, output_format jpeg|png|webp, mode. `cfg_scale` 1..10 per the [3P] MCP client
 * glama.ai/mcp/servers/arwjcxkkhg (src/stabilityAi/sd35Client.ts).
 * `Accept: application/json` → `{image (base64), finish_reason SUCCESS|CONTENT_FILTERED, seed}`.
 * Errors: `{id, name, errors:[string]}`; 403 `name: content_moderation`; 413; 422; 429; 500
 * ([3P] doc copy in an MCP server's API reference; providers.md §8). 402 `name: payment_required`
 * "You lack sufficient credits…" ([3P] logged response, Asadrammy/body-swap STABILITY_AI_CREDITS_ISSUE.md).
 * SDXL (v1) goes through ./sdxl.ts.
 */
export function createStabilityAdapter(config: AdapterConfig): ProviderAdapter {
  return defineHttpAdapter(
    {
      id: 'stability',
      vendor: 'Stability',
      config,
      baseUrl: config.baseUrl || STABILITY_DEFAULT_BASE_URL,
      auth: { scheme: 'Bearer', envKey: 'STABILITY_API_KEY' },
      // One request is the whole generation (SD 3.5 Large takes ~5–20 s; SDXL with 50 steps longer).
      timeoutMs: 120_000,
      deadlineMs: 150_000,
      httpError: stabilityError,
    },
    (http) => {
      const post = (path: string, form: FormData, ctx: AdapterContext) =>
        http.call(
          path,
          // Documented optional header: lets Stability support identify the app in a moderation query.
          { method: 'POST', headers: { accept: 'application/json', 'stability-client-id': 'proofsheet' }, body: form },
          ctx,
        );

      return {
        async submit(req, ctx) {
          const image = req.images[0];
          if (!image) throw new ProviderError({ code: 'bad_input', message: 'Stability: image-to-image needs a reference image.' });

          if (isSdxlModel(req.model)) {
            const { form, note } = await buildSdxlForm(req, image);
            const res = await post(`/v1/generation/${encodeURIComponent(req.model)}/image-to-image`, form, ctx);
            const images = parseSdxlResponse(requireJson(res, http.vendor));
            return { kind: 'done', images, usage: note ? { details: { input_adjusted: note } } : undefined };
          }

          const res = await post('/v2beta/stable-image/generate/sd3', sd3Form(req, image), ctx);
          return { kind: 'done', images: [parseSd3(res, req)] };
        },
      };
    },
  );
}
