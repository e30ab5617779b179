import 'server-only';
import type { z } from 'zod';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { AdapterConfig, AdapterContext, InputImage, OutputImage, PollResult, ProviderAdapter } from '../types';
import { atlasHttpError, predictionFailure } from './errors';
import {
  ATLASCLOUD_DEFAULT_BASE_URL,
  buildBody,
  envelopeSchema,
  handleSchema,
  outputUrls,
  predictionSchema,
  submitDataSchema,
  uploadSchema,
  type Prediction,
} from './wire';

/** JSON calls answer at once (the job runs in the background); an upload carries one reference. */
const JSON_TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 60_000;
/** Atlas's skill guide and MCP server poll every 3 s (SKILL.md; mcp-server POLL_INTERVAL_MS = 3000). */
const POLL_AFTER_MS = 3_000;
/** A new prediction may answer 400/404 for a while (official ComfyUI client, `warmup_grace_sec = 30`). */
const WARMUP_MS = 30_000;

/**
 * Atlas Cloud's unified media API: references go up through `POST /api/v1/model/uploadMedia`,
 * `POST /api/v1/model/generateImage` submits (flat `{model, …}` body), and
 * `GET /api/v1/model/prediction/{id}` polls (docs FAQ endpoint table; AtlasCloudAI/mcp-server
 * `services/generation.ts`; AtlasCloudAI/atlascloud_comfyui `client/atlas_client.py`).
 * Bearer auth. Neither the docs nor the official clients have a cancel call, so none here.
 * Submits are never retried by this adapter: a POST that reached Atlas may be billed (the MCP
 * server sets its POST retries to 0 for that reason).
 */
export function createAtlasCloudAdapter(config: AdapterConfig): ProviderAdapter {
  return defineHttpAdapter(
    {
      id: 'atlascloud',
      vendor: 'Atlas Cloud',
      config,
      baseUrl: config.baseUrl || ATLASCLOUD_DEFAULT_BASE_URL,
      auth: { scheme: 'Bearer', envKey: 'ATLASCLOUD_API_KEY' },
      timeoutMs: JSON_TIMEOUT_MS,
      // "Images typically take 10–30 s" (SKILL.md); the rest is room for a busy queue.
      deadlineMs: 180_000,
      handle: handleSchema,
      httpError: atlasHttpError,
    },
    (http) => {
      /** Multipart field `file` (mcp-server `tools/upload.ts`); the answer's URL is what the model fetches. */
      async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), image.filename);
        const res = await http.call('/api/v1/model/uploadMedia', { method: 'POST', body: form }, ctx, { timeoutMs: UPLOAD_TIMEOUT_MS });
        const answer = http.json(res, uploadSchema, 'the upload answer had no download_url');
        if (answer.code !== undefined && answer.code !== 200) throw http.error(res);
        const url = answer.data?.download_url ?? answer.data?.url ?? answer.url;
        if (!url || !/^https?:\/\//.test(url)) {
          throw new ProviderError({ code: 'provider_error', message: 'Atlas Cloud: the upload answer had no download_url.' });
        }
        return url;
      }

      /** The envelope's `data`, checked; a non-200 `code` inside an HTTP 200 is an error too. */
      function data<T>(res: HttpResponse, schema: z.ZodType<T>, problem: string): T {
        const envelope = http.json(res, envelopeSchema, 'unexpected answer shape');
        if (envelope.code !== undefined && envelope.code !== 200) throw http.error(res);
        const parsed = schema.safeParse(envelope.data);
        if (!parsed.success) throw new ProviderError({ code: 'provider_error', message: `Atlas Cloud: ${problem}.` });
        return parsed.data;
      }

      return {
        async submit(req, ctx) {
          if (req.images.length === 0)
            throw new ProviderError({ code: 'bad_input', message: 'Atlas Cloud: Wan image edit needs at least one reference image.' });
          const urls: string[] = [];
          // One at a time, in order: the model reads them as image 1, image 2, …
          for (const img of req.images) urls.push(await upload(img, ctx));
          const res = await http.call('/api/v1/model/generateImage', { method: 'POST', json: buildBody(req, urls) }, ctx);
          const { id } = data(res, submitDataSchema, 'the submit answer held no prediction id');
          return http.pending(id, { v: 1, id, model: req.model, at: Date.now() }, POLL_AFTER_MS);
        },

        async poll(handle, ctx) {
          const res = await http.send(`/api/v1/model/prediction/${encodeURIComponent(handle.id)}`, { method: 'GET' }, ctx);
          if ((res.status === 400 || res.status === 404) && Date.now() - handle.at < WARMUP_MS) {
            return { state: 'queued', pollAfterMs: POLL_AFTER_MS };
          }
          if (res.status < 200 || res.status >= 300) throw http.error(res);
          return toPollResult(data(res, predictionSchema, 'the prediction answer held no id or status'), http.secrets);
        },
      };
    },
  );
}

/**
 * starting → queued, processing → running, completed | succeeded → succeeded, failed → failed
 * (mcp-server and the ComfyUI client both accept either success word). Anything else is most
 * likely a new intermediate state: keep polling until the deadline, as the ComfyUI client does.
 */
function toPollResult(p: Prediction, secrets: (string | undefined)[]): PollResult {
  switch (p.status) {
    case 'starting':
      return { state: 'queued', pollAfterMs: POLL_AFTER_MS };
    case 'failed':
      return { state: 'failed', error: predictionFailure(p, secrets) };
    case 'completed':
    case 'succeeded': {
      const images: OutputImage[] = outputUrls(p).map((url) => ({ url }));
      if (images.length === 0) {
        return {
          state: 'failed',
          error: new ProviderError({ code: 'provider_error', message: 'Atlas Cloud: the prediction completed without outputs.' }),
        };
      }
      return { state: 'succeeded', images };
    }
    default:
      return { state: 'running', pollAfterMs: POLL_AFTER_MS };
  }
}
