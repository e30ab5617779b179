import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import { decodeBase64Image, type HttpResponse } from '../http';
import type { AdapterConfig, AdapterContext, InputImage, OutputImage, PollResult, ProviderAdapter, Usage } from '../types';
import { jobFailure, wavespeedHttpError } from './errors';
import {
  WAVESPEED_DEFAULT_BASE_URL,
  buildBody,
  envelopeSchema,
  handleSchema,
  predictionSchema,
  ticketSchema,
  uploadSchema,
  type Prediction,
} from './wire';

/** JSON calls answer at once (the job runs in the background); uploads carry up to ~10 MB. */
const JSON_TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 60_000;
/** The official SDK polls every second; we start a little slower to spare the rate limit. */
const POLL_AFTER_MS = 2_000;

/**
 * WaveSpeed AI: `POST /api/v3/{model}` submits a prediction, `GET /api/v3/predictions/{id}/result`
 * polls it (official SDK WaveSpeedAI/wavespeed-javascript `_submit`/`_getResult`;
 * https://wavespeed.ai/docs/get-result). References go through WaveSpeed's own media upload.
 * Bearer is the only auth scheme it accepts (https://wavespeed.ai/docs/what-are-predictions).
 * No cancel endpoint is documented, so there is no `cancel()`.
 */
export function createWaveSpeedAdapter(config: AdapterConfig): ProviderAdapter {
  return defineHttpAdapter(
    {
      id: 'wavespeed',
      vendor: 'WaveSpeed',
      config,
      baseUrl: config.baseUrl || WAVESPEED_DEFAULT_BASE_URL,
      auth: { scheme: 'Bearer', envKey: 'WAVESPEED_API_KEY' },
      timeoutMs: JSON_TIMEOUT_MS,
      // Wan edits usually finish well inside a minute; allow for the account's queue (Bronze: concurrency 2).
      deadlineMs: 180_000,
      handle: handleSchema,
      httpError: wavespeedHttpError,
    },
    (http) => {
      /**
       * References go up the way WaveSpeed's current Python SDK sends them (a ticket, then a PUT
       * of the bytes to a signed URL), with the one-request binary upload (what the JS SDK still
       * uses) as the fallback when the ticket flow is missing or failing on WaveSpeed's side.
       */
      async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
        try {
          return await uploadWithTicket(image, ctx);
        } catch (e) {
          // A refused key, an empty wallet, a rate limit or a refused file would fail the same way
          // on the other endpoint; a missing endpoint (404/405) or a fault on their side might not.
          const theirSide =
            e instanceof ProviderError &&
            (e.code === 'provider_error' || e.code === 'timeout' || e.httpStatus === 404 || e.httpStatus === 405);
          if (!theirSide || ctx.signal.aborted) throw e;
          return uploadBinary(image, ctx);
        }
      }

      /**
       * WaveSpeedAI/wavespeed-python@a4207182 src/wavespeed/api/client.py `upload()` (commit c54e078
       * "feat: use direct media uploads"): `POST /api/v3/media/uploads` with the file's name, size in
       * bytes and type (Bearer; HTTP 200 and JSON `code` 200 required), then `PUT data.upload.url`
       * with exactly `data.upload.headers` and no Authorization (the SDK's tests assert it is absent),
       * any 2xx; the model then reads `data.download_url`. A method other than PUT is refused, as the SDK does.
       */
      async function uploadWithTicket(image: InputImage, ctx: AdapterContext): Promise<string> {
        const res = await http.call(
          '/api/v3/media/uploads',
          { method: 'POST', json: { filename: image.filename, size: image.bytes.length, content_type: image.mime } },
          ctx,
        );
        const ticket = http.json(res, ticketSchema, 'the media upload ticket had no upload URL');
        if (ticket.code !== 200 || !ticket.data) throw http.error(res);
        const { upload: target, download_url: downloadUrl } = ticket.data;
        if (target.method.toUpperCase() !== 'PUT') {
          throw new ProviderError({
            code: 'provider_error',
            message: `WaveSpeed: the upload ticket asks for ${target.method.slice(0, 10)}, not PUT.`,
          });
        }
        const put = await http.send(target.url, { method: 'PUT', headers: target.headers ?? {}, body: new Uint8Array(image.bytes) }, ctx, {
          auth: false,
          timeoutMs: UPLOAD_TIMEOUT_MS,
        });
        if (put.status < 200 || put.status >= 300) {
          throw new ProviderError({
            code: 'provider_error',
            message: `WaveSpeed: the signed upload was refused (HTTP ${put.status}).`,
            httpStatus: put.status,
          });
        }
        return downloadUrl;
      }

      /**
       * `POST /api/v3/media/upload/binary`, multipart field `file`; the answer's JSON `code` must be
       * 200 and `data.download_url` is what the model takes (https://wavespeed.ai/docs-common-api/media-upload;
       * WaveSpeedAI/wavespeed-javascript@ffd322a7 src/api/client.ts `upload()`).
       */
      async function uploadBinary(image: InputImage, ctx: AdapterContext): Promise<string> {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), image.filename);
        const res = await http.call('/api/v3/media/upload/binary', { method: 'POST', body: form }, ctx, { timeoutMs: UPLOAD_TIMEOUT_MS });
        const answer = http.json(res, uploadSchema, 'the media upload answer had no download_url');
        if (answer.code !== 200 || !answer.data) throw http.error(res);
        return answer.data.download_url;
      }

      /** Reads the shared envelope; a non-200 `code` inside an HTTP 200 is an error too. */
      function prediction(res: HttpResponse): Prediction {
        const envelope = http.json(res, envelopeSchema, 'unexpected answer shape');
        if (envelope.code !== undefined && envelope.code !== 200) throw http.error(res);
        const data = predictionSchema.safeParse(envelope.data);
        if (!data.success) {
          throw new ProviderError({ code: 'provider_error', message: 'WaveSpeed: the answer held no prediction id or status.' });
        }
        return data.data;
      }

      return {
        async submit(req, ctx) {
          if (req.images.length === 0)
            throw new ProviderError({ code: 'bad_input', message: 'WaveSpeed: Wan image edit needs at least one reference image.' });
          const urls = await Promise.all(req.images.map((img) => upload(img, ctx)));
          // `webhook` query parameter (https://wavespeed.ai/docs/how-to-use-webhooks): a signed call when
          // the prediction completes or fails (https://wavespeed.ai/docs/verify-webhooks). lib/server/webhooks.
          const hook = req.webhookUrl ? `?webhook=${encodeURIComponent(req.webhookUrl)}` : '';
          const res = await http.call(`/api/v3/${req.model}${hook}`, { method: 'POST', json: buildBody(req, urls) }, ctx);
          const p = prediction(res);
          return http.pending(p.id, { v: 1, id: p.id, model: req.model }, POLL_AFTER_MS);
        },

        async poll(handle, ctx) {
          const res = await http.call(`/api/v3/predictions/${encodeURIComponent(handle.id)}/result`, { method: 'GET' }, ctx);
          return toPollResult(prediction(res), http.secrets);
        },
      };
    },
  );
}

/**
 * Status table: created → queued, processing → running, completed → succeeded, failed → failed
 * (https://wavespeed.ai/docs/get-result). The SDK also treats `cancelled` and `timeout` as terminal.
 * `has_nsfw_contents[i]` flags output i; flagged outputs are withheld and counted as blocked.
 */
function toPollResult(p: Prediction, secrets: (string | undefined)[]): PollResult {
  switch (p.status) {
    case 'created':
      return { state: 'queued', pollAfterMs: POLL_AFTER_MS };
    case 'processing':
      return { state: 'running', pollAfterMs: POLL_AFTER_MS };
    case 'cancelled':
      return { state: 'cancelled' };
    case 'timeout':
      return {
        state: 'failed',
        error: new ProviderError({ code: 'timeout', message: 'WaveSpeed: the prediction timed out on the provider.' }),
      };
    case 'failed':
      return { state: 'failed', error: jobFailure(p.error ?? '', secrets) };
    case 'completed':
      return completed(p);
    default:
      // An unknown status is most likely a new intermediate state: keep polling until the deadline.
      return { state: 'running', pollAfterMs: POLL_AFTER_MS };
  }
}

function completed(p: Prediction): PollResult {
  const images: OutputImage[] = [];
  let blocked = 0;
  p.outputs.forEach((out, i) => {
    if (p.has_nsfw_contents[i] === true) {
      blocked += 1;
      return;
    }
    if (out.startsWith('data:')) {
      const { bytes, mime } = decodeBase64Image(out);
      images.push({ bytes, mime });
    } else {
      images.push({ url: out });
    }
  });
  if (images.length === 0) {
    const error = blocked
      ? new ProviderError({
          code: 'content_policy',
          blocked: 'output',
          message: 'WaveSpeed: the generated image was flagged as NSFW and withheld.',
        })
      : new ProviderError({ code: 'provider_error', message: 'WaveSpeed: the prediction completed without outputs.' });
    return { state: 'failed', error };
  }
  const usage: Usage | undefined = p.timings
    ? { details: Object.fromEntries(Object.entries(p.timings).map(([k, v]) => [`timings.${k}_ms`, v])) }
    : undefined;
  return { state: 'succeeded', images, usage, blockedCount: blocked || undefined };
}
