import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import type { AdapterConfig, AdapterContext, InputImage, OutputImage, PollResult, ProviderAdapter } from '../types';
import { falHttpError, falJobError } from './errors';
import {
  FAL_DEFAULT_QUEUE_URL,
  FAL_DEFAULT_STORAGE_URL,
  falInput,
  handleSchema,
  initiateSchema,
  resultSchema,
  statusSchema,
  submitSchema,
  type FalHandle,
  billableUnitsOf,
} from './wire';

/**
 * fal.ai queue adapter.
 * Protocol (https://docs.fal.ai/documentation/model-apis/inference/queue and
 * https://fal.ai/docs/api-reference/inference-api):
 *   POST {queue}/{model_id}                 -> {request_id, status_url, response_url, cancel_url}
 *   GET  status_url                         -> 202 {status: IN_QUEUE, queue_position} | 202 IN_PROGRESS | 200 COMPLETED
 *   GET  response_url                       -> the model's own output, or the model's own error
 *   PUT  cancel_url                         -> 202 CANCELLATION_REQUESTED | 400 ALREADY_COMPLETED
 * Auth is `Authorization: Key $FAL_KEY` on every call (https://fal.ai/docs/inference-api/queue/result).
 * References go through fal storage: POST {rest}/storage/upload/initiate -> {upload_url, file_url},
 * then PUT the bytes to upload_url (the flow of fal's own JS client, libs/client/src/storage.ts in
 * github.com/fal-ai/fal-js; fal recommends CDN URLs over data URIs because every model takes URLs:
 * https://docs.fal.ai/documentation/model-apis/fal-cdn).
 */
export function createFalAdapter(config: AdapterConfig): ProviderAdapter {
  const queueBase = (config.baseUrl || FAL_DEFAULT_QUEUE_URL).replace(/\/+$/, '');
  const storageBase = (config.options?.storageBaseUrl || FAL_DEFAULT_STORAGE_URL).replace(/\/+$/, '');

  return defineHttpAdapter(
    {
      id: 'fal',
      vendor: 'fal',
      config,
      baseUrl: queueBase,
      alsoTrusted: [storageBase],
      auth: { scheme: 'Key', envKey: 'FAL_KEY' },
      timeoutMs: 60_000,
      // Kontext answers in ~10 s, Wan edits take 1-2 min, and a new account's concurrency of 2
      // queues extra requests rather than rejecting them (https://fal.ai/docs/model-apis/faq).
      deadlineMs: 300_000,
      handle: handleSchema,
      httpError: falHttpError,
    },
    (http) => {
      /** Two-step upload; the signed upload URL gets the bytes but never our key. */
      async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
        const init = await http.call(
          // storage_type=fal-cdn-v3 is what fal's current JS client sends (fal-js storage module).
          `${storageBase}/storage/upload/initiate?storage_type=fal-cdn-v3`,
          { method: 'POST', json: { content_type: image.mime, file_name: image.filename } },
          ctx,
        );
        const target = http.json(init, initiateSchema, 'unexpected storage upload answer shape');
        const put = await http.send(
          target.upload_url,
          { method: 'PUT', headers: { 'content-type': image.mime }, body: new Uint8Array(image.bytes) },
          ctx,
          { auth: false },
        );
        // A refused PUT to a signed URL is a storage fault on fal's side (expired signature etc.).
        if (put.status >= 300) {
          throw new ProviderError({
            code: 'provider_error',
            message: `fal: storage upload failed (HTTP ${put.status}).`,
            httpStatus: put.status,
          });
        }
        return target.file_url;
      }

      /** Use fal's returned URLs (the docs say not to build them), but only on the queue host we trust with the key. */
      function sameOrigin(url: string | undefined, fallback: string): string {
        try {
          if (url && new URL(url).origin === new URL(queueBase).origin) return url;
        } catch {
          // fall through to the URL we build ourselves
        }
        return fallback;
      }

      async function fetchResult(handle: FalHandle, ctx: AdapterContext): Promise<PollResult> {
        const res = await http.send(handle.responseUrl, { method: 'GET' }, ctx);
        // "If the model returned an error, this operation returns the same error."
        // (https://fal.ai/docs/inference-api/queue/result): validation, moderation, runner failures.
        if (res.status >= 300) {
          const error = http.error(res);
          if (error.retryable) throw error; // a transient fault of this GET; poll again
          return { state: 'failed', error };
        }
        const body = http.json(res, resultSchema, 'unexpected result shape');
        const flags = body.has_nsfw_concepts ?? [];
        const images: OutputImage[] = [];
        let blockedCount = 0;
        body.images.forEach((img, i) => {
          if (flags[i]) blockedCount += 1;
          else images.push({ url: img.url, mime: img.content_type ?? undefined });
        });
        if (!images.length) {
          const error = blockedCount
            ? new ProviderError({
                code: 'content_policy',
                blocked: 'output',
                providerCode: 'has_nsfw_concepts',
                message: 'fal: the generated image was flagged by the safety checker.',
              })
            : new ProviderError({ code: 'provider_error', message: 'fal: the job completed without any image.' });
          return { state: 'failed', error };
        }
        const details: Record<string, number> = {};
        if (typeof body.seed === 'number') details.seed = body.seed;
        if (typeof body.timings?.inference === 'number') details.inferenceSeconds = body.timings.inference;
        // Billed quantity for the cost ledger (lib/server/ledger/cost.ts turns it into dollars).
        const billed = billableUnitsOf(res.headers);
        if (billed !== undefined) details.billableUnits = billed;
        return { state: 'succeeded', images, blockedCount: blockedCount || undefined, usage: { details } };
      }

      return {
        async submit(req, ctx) {
          const imageUrls = await Promise.all(req.images.map((image) => upload(image, ctx)));
          // `fal_webhook` query parameter on the queue submit (https://docs.fal.ai/model-endpoints/webhooks):
          // an ED25519-signed call when the request ends. lib/server/webhooks.
          const hook = req.webhookUrl ? `?fal_webhook=${encodeURIComponent(req.webhookUrl)}` : '';
          const res = await http.call(`/${req.model}${hook}`, { method: 'POST', json: falInput(req, imageUrls) }, ctx);
          const body = http.json(res, submitSchema, 'unexpected submit answer shape');
          // Status/result/cancel live under owner/app only, without the model's sub-path (fal docs:
          // "submit to fal-ai/flux/dev, use fal-ai/flux for status"); used only if fal omits the URLs.
          const app = req.model.split('/').slice(0, 2).join('/');
          const base = `${queueBase}/${app}/requests/${encodeURIComponent(body.request_id)}`;
          const handle: FalHandle = {
            requestId: body.request_id,
            statusUrl: sameOrigin(body.status_url, `${base}/status`),
            responseUrl: sameOrigin(body.response_url, base),
            cancelUrl: sameOrigin(body.cancel_url, `${base}/cancel`),
          };
          return http.pending(body.request_id, handle, 1500);
        },

        async poll(handle, ctx) {
          const res = await http.call(handle.statusUrl, { method: 'GET' }, ctx);
          const body = http.json(res, statusSchema, 'unexpected status shape');
          switch (body.status) {
            case 'IN_QUEUE':
              // Back off with the queue position: each place ahead is roughly one job's latency.
              return { state: 'queued', pollAfterMs: Math.min(10_000, 1000 + (body.queue_position ?? 0) * 1000) };
            case 'IN_PROGRESS':
              return { state: 'running', pollAfterMs: 1500 };
            case 'COMPLETED':
              if (body.error) return { state: 'failed', error: falJobError(body.error, body.error_type ?? undefined, http.secrets) };
              return fetchResult(handle, ctx);
            // Not in fal's own docs; listed by a third-party schema of the status endpoint
            // (github.com/api-evangelist/fal-ai json-schema/fal-queue-status-schema.json).
            case 'CANCELED':
            case 'CANCELLED':
              return { state: 'cancelled' };
            case 'FAILED':
              return {
                state: 'failed',
                error: falJobError(body.error ?? 'The request failed.', body.error_type ?? undefined, http.secrets),
              };
            default:
              return { state: 'running', pollAfterMs: 2000 };
          }
        },

        async cancel(handle, ctx) {
          const res = await http.send(handle.cancelUrl, { method: 'PUT' }, ctx);
          // 202 CANCELLATION_REQUESTED, or 400 ALREADY_COMPLETED / 404 NOT_FOUND, which leave nothing
          // to cancel (https://fal.ai/docs/inference-api/queue/cancel).
          if (res.status < 300 || res.status === 400 || res.status === 404) return;
          throw http.error(res);
        },
      };
    },
  );
}
