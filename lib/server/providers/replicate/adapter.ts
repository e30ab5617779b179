import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import { toDataUri, type HttpResponse } from '../http';
import type { AdapterConfig, AdapterContext, InputImage, ProviderAdapter } from '../types';
import { replicateHttpError } from './errors';
import {
  DATA_URI_MAX_BYTES,
  REPLICATE_DEFAULT_BASE_URL,
  buildInput,
  fileSchema,
  handleSchema,
  pollResultFrom,
  predictionSchema,
  type Prediction,
} from './wire';

const DEADLINE_MS = 180_000;

/**
 * Replicate predictions API (https://replicate.com/docs/topics/predictions/create-a-prediction):
 * `POST /models/{owner}/{name}/predictions {input}` with a short `Prefer: wait=N`, so a fast model
 * answers in the same request and a slow one comes back `starting`/`processing` and is polled with
 * `GET /predictions/{id}`. `Cancel-After` carries our deadline to Replicate, so an abandoned
 * prediction stops (and, if it never started, is not billed) even if we are gone
 * (https://replicate.com/changelog/2025-10-16-prediction-deadlines).
 *
 * Options: `waitSeconds` (REPLICATE_WAIT_SECONDS, default 5, 1–60): how long the create request
 * may block. Short, so a worker slot is not held for a minute by a slow model.
 */
export function createReplicateAdapter(config: AdapterConfig): ProviderAdapter {
  const waitOption = Number(config.options?.waitSeconds);
  const waitSeconds = Number.isInteger(waitOption) && waitOption >= 1 && waitOption <= 60 ? waitOption : 5;

  return defineHttpAdapter(
    {
      id: 'replicate',
      vendor: 'Replicate',
      config,
      baseUrl: config.baseUrl || REPLICATE_DEFAULT_BASE_URL,
      auth: { scheme: 'Bearer', envKey: 'REPLICATE_API_TOKEN' },
      timeoutMs: 30_000,
      deadlineMs: DEADLINE_MS,
      handle: handleSchema,
      httpError: replicateHttpError,
    },
    (http) => {
      const prediction = (res: HttpResponse): Prediction => http.json(res, predictionSchema, 'the prediction had an unexpected shape');
      const predictionUrl = (id: string) => `/predictions/${encodeURIComponent(id)}`;

      /**
       * Small files ride inline as data URIs; bigger ones are uploaded to Replicate's files API
       * (`POST /files`, multipart field `content`, per replicate/replicate-javascript lib/files.js) and
       * passed by their `urls.get`, which the model can read with our token's account.
       */
      async function ref(image: InputImage, ctx: AdapterContext): Promise<string> {
        if (image.bytes.length <= DATA_URI_MAX_BYTES) return toDataUri(image.bytes, image.mime);
        const form = new FormData();
        form.append('content', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), image.filename);
        form.append('filename', image.filename);
        form.append('type', image.mime);
        const res = await http.call('/files', { method: 'POST', body: form }, ctx, { timeoutMs: 60_000 });
        return http.json(res, fileSchema, 'the file upload answer had an unexpected shape').urls.get;
      }

      return {
        async submit(req, ctx) {
          const refs = await Promise.all(req.images.map((image) => ref(image, ctx)));
          const [owner, name] = req.model.split('/');
          const res = await http.call(
            `/models/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(name ?? '')}/predictions`,
            {
              method: 'POST',
              headers: { prefer: `wait=${waitSeconds}`, 'cancel-after': `${Math.round(DEADLINE_MS / 1000)}s` },
              // `webhook` + `webhook_events_filter` (https://replicate.com/docs/topics/webhooks/setup-webhook):
              // a signed call when the prediction ends (`start` is sent regardless). lib/server/webhooks.
              json: {
                input: buildInput(req, refs),
                ...(req.webhookUrl ? { webhook: req.webhookUrl, webhook_events_filter: ['completed'] } : {}),
              },
            },
            ctx,
            // The request may legitimately stay open for the whole `Prefer: wait`.
            { timeoutMs: waitSeconds * 1000 + 30_000 },
          );
          const p = prediction(res);
          const state = pollResultFrom(p, http.secrets);
          if (state.state === 'succeeded') return { kind: 'done', images: state.images, usage: state.usage };
          if (state.state === 'failed') throw state.error;
          if (state.state === 'cancelled') {
            throw new ProviderError({
              code: 'timeout',
              providerCode: 'canceled',
              message: 'Replicate canceled the prediction at its deadline.',
            });
          }
          return http.pending(p.id, { v: 1, id: p.id, model: req.model }, state.pollAfterMs);
        },

        async poll(handle, ctx) {
          const res = await http.call(predictionUrl(handle.id), { method: 'GET' }, ctx);
          return pollResultFrom(prediction(res), http.secrets);
        },

        async cancel(handle, ctx) {
          await http.call(`${predictionUrl(handle.id)}/cancel`, { method: 'POST' }, ctx);
        },
      };
    },
  );
}
