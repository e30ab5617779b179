import 'server-only';
import { z } from 'zod';
import { ProviderError } from '../errors';
import { httpError, request, requireJson, type HttpResponse } from '../http';
import { buildSdxlForm, isSdxlModel, parseSdxlResponse, stabilitySeed } from './sdxl';
import type { AdapterConfig, AdapterContext, EditRequest, InputImage, OutputImage, ProviderAdapter } from '../types';

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
 * SDXL (v1) goes through ./stability-sdxl.ts.
 */

const VENDOR = 'Stability';
const DEFAULT_BASE_URL = 'https://api.stability.ai';
/** One request is the whole generation (SD 3.5 Large takes ~5–20 s; SDXL with 50 steps longer). */
const DEFAULT_TIMEOUT_MS = 120_000;

const sd3Schema = z.object({
  image: z.string().min(1),
  finish_reason: z.string().optional(),
  seed: z.number().optional(),
});

export function createStabilityAdapter(config: AdapterConfig): ProviderAdapter {
  const baseUrl = (config.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const secrets = [config.apiKey];

  async function post(path: string, form: FormData, ctx: AdapterContext): Promise<HttpResponse> {
    if (!config.apiKey) throw new ProviderError({ code: 'auth', message: `${VENDOR}: no API key is configured (STABILITY_API_KEY).` });
    const res = await request(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${config.apiKey}`,
          Accept: 'application/json',
          // Documented optional header: lets Stability support identify the app in a moderation query.
          'stability-client-id': 'proofsheet',
        },
        body: form,
      },
      { signal: ctx.signal, timeoutMs: config.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS, secrets },
    );
    if (res.status >= 400) throw stabilityError(res, secrets);
    return res;
  }

  return {
    id: 'stability',
    deadlineMs: 150_000,
    configured: () => Boolean(config.apiKey),

    async submit(req, ctx) {
      const image = req.images[0];
      if (!image) throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: image-to-image needs a reference image.` });

      if (isSdxlModel(req.model)) {
        const { form, note } = await buildSdxlForm(req, image);
        const res = await post(`/v1/generation/${encodeURIComponent(req.model)}/image-to-image`, form, ctx);
        const images = parseSdxlResponse(requireJson(res, VENDOR));
        return { kind: 'done', images, usage: note ? { details: { input_adjusted: note } } : undefined };
      }

      const res = await post('/v2beta/stable-image/generate/sd3', sd3Form(req, image), ctx);
      return { kind: 'done', images: [parseSd3(res, req)] };
    },

    // Synchronous vendor: there is never a job to resume after a restart.
    async poll() {
      return {
        state: 'failed',
        error: new ProviderError({ code: 'interrupted', message: `${VENDOR} answers synchronously; there is no job to resume.` }),
      };
    },
  };
}

function sd3Form(req: EditRequest, image: InputImage): FormData {
  const form = new FormData();
  form.append('prompt', req.prompt);
  form.append('mode', 'image-to-image');
  form.append('image', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), image.filename);
  // strength is required in image-to-image mode; 0.7 is the documented default.
  form.append('strength', String(clamp(req.strength ?? 0.7, 0, 1)));
  form.append('model', req.model);
  form.append('seed', String(stabilitySeed(req.seed, 4294967294)));
  form.append('output_format', req.outputFormat);
  // Turbo ignores negative prompts ([3P] Stability SD3 example gist chiliec/e2986507061ad23a61ccf545fb9147f2).
  if (req.negativePrompt?.trim() && !req.model.includes('turbo')) form.append('negative_prompt', req.negativePrompt);
  if (req.guidance !== undefined) form.append('cfg_scale', String(clamp(req.guidance, 1, 10)));
  return form;
}

function parseSd3(res: HttpResponse, req: EditRequest): OutputImage {
  const parsed = sd3Schema.safeParse(requireJson(res, VENDOR));
  if (!parsed.success) throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: the response has no image.` });
  const { image, finish_reason: finish } = parsed.data;
  // A 200 can still be a refusal: CONTENT_FILTERED means the output violated policy (and is blurred).
  if (finish === 'CONTENT_FILTERED') {
    throw new ProviderError({
      code: 'content_policy',
      blocked: 'output',
      providerCode: finish,
      message: `${VENDOR}: the generated image was blocked by the content filter.`,
    });
  }
  if (finish && finish !== 'SUCCESS') {
    throw new ProviderError({ code: 'provider_error', providerCode: finish, message: `${VENDOR}: generation finished with ${finish}.` });
  }
  // "application/json; type=image/png" names the encoded format.
  const typed = /type=(image\/[a-z]+)/.exec(res.headers.get('content-type') ?? '')?.[1];
  return { bytes: Buffer.from(image, 'base64'), mime: typed ?? `image/${req.outputFormat}` };
}

/** Refines the status mapping with Stability's `name` field (v1 and v2beta share it). */
export function stabilityError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const body = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : {};
  const name = typeof body.name === 'string' ? body.name : undefined;
  if (name === 'content_moderation' || name === 'invalid_prompts') {
    // v2beta 403 content_moderation; v1 400 invalid_prompts ("prompts contain filtered words").
    return httpError(res, VENDOR, secrets, { code: 'content_policy', blocked: 'input', providerCode: name });
  }
  if (res.status === 402 || name === 'payment_required' || name === 'insufficient_balance') {
    return httpError(res, VENDOR, secrets, { code: 'insufficient_funds', providerCode: name });
  }
  return httpError(res, VENDOR, secrets, name ? { providerCode: name } : undefined);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
