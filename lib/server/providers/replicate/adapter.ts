import 'server-only';
import { ProviderError } from '../errors';
import { request, requireJson, toDataUri, type HttpResponse } from '../http';
import {
  DATA_URI_MAX_BYTES,
  REPLICATE_DEFAULT_BASE_URL,
  buildInput,
  fileSchema,
  handleSchema,
  pollResultFrom,
  predictionSchema,
  replicateHttpError,
  type Prediction,
  type ReplicateHandle,
} from './wire';
import type { AdapterConfig, AdapterContext, InputImage, ProviderAdapter } from '../types';

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
  const key = config.apiKey;
  const base = (config.baseUrl || REPLICATE_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const waitOption = Number(config.options?.waitSeconds);
  const waitSeconds = Number.isInteger(waitOption) && waitOption >= 1 && waitOption <= 60 ? waitOption : 5;
  const secrets = [key];
  const auth = () => {
    if (!key) throw new ProviderError({ code: 'auth', message: 'Replicate: no API token is configured (REPLICATE_API_TOKEN).' });
    return { authorization: `Bearer ${key}` };
  };
  const opts = (ctx: AdapterContext, timeoutMs = 30_000) => ({ signal: ctx.signal, timeoutMs: config.requestTimeoutMs ?? timeoutMs, secrets });

  function parsePrediction(res: HttpResponse): Prediction {
    if (res.status < 200 || res.status >= 300) throw replicateHttpError(res, secrets);
    const parsed = predictionSchema.safeParse(requireJson(res, 'Replicate'));
    if (!parsed.success) {
      throw new ProviderError({ code: 'provider_error', message: 'Replicate sent a prediction of an unexpected shape.', httpStatus: res.status });
    }
    return parsed.data;
  }

  function parseHandle(handle: string): ReplicateHandle {
    try {
      return handleSchema.parse(JSON.parse(handle));
    } catch {
      throw new ProviderError({ code: 'interrupted', message: 'Replicate: the stored job handle is unreadable.' });
    }
  }

  const predictionUrl = (id: string) => `${base}/predictions/${encodeURIComponent(id)}`;

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
    const res = await request(`${base}/files`, { method: 'POST', headers: auth(), body: form }, opts(ctx, 60_000));
    if (res.status < 200 || res.status >= 300) throw replicateHttpError(res, secrets);
    const file = fileSchema.safeParse(requireJson(res, 'Replicate'));
    if (!file.success) throw new ProviderError({ code: 'provider_error', message: 'Replicate sent a file upload answer of an unexpected shape.' });
    return file.data.urls.get;
  }

  return {
    id: 'replicate',
    deadlineMs: DEADLINE_MS,
    configured: () => Boolean(key),

    async submit(req, ctx) {
      const headers = auth();
      const refs = await Promise.all(req.images.map((image) => ref(image, ctx)));
      const input = buildInput(req, refs);
      const [owner, name] = req.model.split('/');
      const res = await request(
        `${base}/models/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(name ?? '')}/predictions`,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            prefer: `wait=${waitSeconds}`,
            'cancel-after': `${Math.round(DEADLINE_MS / 1000)}s`,
          },
          body: JSON.stringify({ input }),
        },
        // The request may legitimately stay open for the whole `Prefer: wait`.
        opts(ctx, waitSeconds * 1000 + 30_000),
      );
      const prediction = parsePrediction(res);
      const state = pollResultFrom(prediction, secrets);
      if (state.state === 'succeeded') return { kind: 'done', images: state.images, usage: state.usage };
      if (state.state === 'failed') throw state.error;
      if (state.state === 'cancelled') {
        throw new ProviderError({ code: 'timeout', providerCode: 'canceled', message: 'Replicate canceled the prediction at its deadline.' });
      }
      const handle: ReplicateHandle = { v: 1, id: prediction.id, model: req.model };
      return { kind: 'pending', jobId: prediction.id, handle: JSON.stringify(handle), pollAfterMs: state.pollAfterMs };
    },

    async poll(handle, ctx) {
      const { id } = parseHandle(handle);
      const res = await request(predictionUrl(id), { method: 'GET', headers: auth() }, opts(ctx));
      return pollResultFrom(parsePrediction(res), secrets);
    },

    async cancel(handle, ctx) {
      const { id } = parseHandle(handle);
      const res = await request(`${predictionUrl(id)}/cancel`, { method: 'POST', headers: auth() }, opts(ctx));
      if (res.status < 200 || res.status >= 300) throw replicateHttpError(res, secrets);
    },
  };
}
