import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import { redact, type HttpResponse } from '../http';
import type { AdapterConfig, AdapterContext, InputImage, ProviderAdapter } from '../types';
import { isKieOk, kieError, taskFailure } from './errors';
import {
  KIE_DEFAULT_BASE_URL,
  buildInput,
  createDataSchema,
  envelopeSchema,
  handleSchema,
  recordSchema,
  resultJsonSchema,
  stateOf,
  uploadBases,
  uploadDataSchema,
  type KieEnvelope,
} from './wire';

const VENDOR = 'Kie.ai';
const DEFAULT_TIMEOUT_MS = 60_000;
/** Kie suggests polling every 2–3 s at first (https://docs.kie.ai/market/common/get-task-detail). */
const FIRST_POLL_MS = 3_000;
const POLL_MS = 4_000;

/**
 * Kie.ai "Market" jobs API for Wan 2.7 image (`wan/2-7-image`, `wan/2-7-image-pro`).
 * Flow: references go through Kie's own File Upload API (temporary files, deleted after 3 days),
 * then `POST /api/v1/jobs/createTask`, then `GET /api/v1/jobs/recordInfo?taskId=` until
 * `success`/`fail`. Kie documents no cancel endpoint, so there is none here.
 *
 * Options: `uploadBaseUrl` (KIE_UPLOAD_BASE_URL): the one upload host when set. Unset, uploads go
 * to the API host (`baseUrl`), as Kie's current docs show, and fall back to Kie's older upload
 * host (`uploadFallbackBaseUrl`, default kieai.redpandaai.co with the real API host) when the
 * first answers 404/405, 5xx or not at all. See `uploadBases` in wire.ts.
 */
export function createKieAdapter(config: AdapterConfig): ProviderAdapter {
  const base = trimSlash(config.baseUrl || KIE_DEFAULT_BASE_URL);
  const uploadHosts = uploadBases(base, {
    uploadBaseUrl: config.options?.uploadBaseUrl || undefined,
    uploadFallbackBaseUrl: config.options?.uploadFallbackBaseUrl || undefined,
  });
  return defineHttpAdapter(
    {
      id: 'kie',
      vendor: VENDOR,
      config,
      baseUrl: base,
      alsoTrusted: uploadHosts,
      auth: { scheme: 'Bearer', envKey: 'KIE_API_KEY' },
      timeoutMs: DEFAULT_TIMEOUT_MS,
      // Kie advises giving up after 10–15 min; Wan edits take seconds to a minute or two.
      deadlineMs: 240_000,
      handle: handleSchema,
      httpError: kieError,
    },
    (http) => {
      /** Every Kie answer is an envelope; a 2xx must be JSON and carry `code` 200. */
      function envelope(res: HttpResponse): KieEnvelope {
        const body = http.json(res, envelopeSchema, 'an answer without the {code, msg, data} envelope');
        if (!isKieOk(res)) throw http.error(res);
        return body;
      }

      /** One reference → Kie's temporary storage → its download URL, trying each upload host in turn. */
      async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
        for (const [i, host] of uploadHosts.entries()) {
          try {
            return await uploadTo(host, image, ctx);
          } catch (e) {
            const last = i === uploadHosts.length - 1;
            // Only a host that is not there (404/405) or not working (5xx, no answer) is worth
            // another: a refused key, an empty wallet or a rate limit would be the same elsewhere.
            const hostProblem =
              e instanceof ProviderError &&
              (e.code === 'provider_error' || e.code === 'timeout' || e.httpStatus === 404 || e.httpStatus === 405);
            if (last || !hostProblem || ctx.signal.aborted) throw e;
          }
        }
        throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: no upload host is configured.` });
      }

      /** Multipart `file`, `uploadPath`, `fileName` (https://docs.kie.ai/file-upload-api/upload-file-stream). */
      async function uploadTo(host: string, image: InputImage, ctx: AdapterContext): Promise<string> {
        const form = new FormData();
        const ext = image.mime === 'image/jpeg' ? 'jpg' : image.mime.slice('image/'.length);
        // Same file name overwrites on Kie's side; naming by content hash makes that harmless.
        const fileName = `${image.sha256.slice(0, 24)}.${ext}`;
        form.append('file', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), fileName);
        form.append('uploadPath', 'proofsheet');
        form.append('fileName', fileName);
        const res = await http.call(`${host}/api/file-stream-upload`, { method: 'POST', body: form }, ctx);
        const env = envelope(res);
        if (env.success === false) throw http.error(res);
        const data = uploadDataSchema.safeParse(env.data);
        const url = data.success ? (data.data.downloadUrl ?? data.data.fileUrl) : undefined;
        if (!url) {
          throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: the file upload answered without a download URL.` });
        }
        return url;
      }

      return {
        async submit(req, ctx) {
          const inputUrls: string[] = [];
          // Sequential on purpose: order is meaningful ("image 1", "image 2") and keeps load low.
          for (const image of req.images) inputUrls.push(await upload(image, ctx));

          // `callBackUrl` beside `model` and `input` (docs.kie.ai market createTask pages); Kie signs the
          // call when a webhookHmacKey is set (https://docs.kie.ai/common-api/webhook-verification).
          const callBack = req.webhookUrl ? { callBackUrl: req.webhookUrl } : {};
          const res = await http.call(
            '/api/v1/jobs/createTask',
            { method: 'POST', json: { model: req.model, ...callBack, input: buildInput(req, inputUrls) } },
            ctx,
          );
          const data = createDataSchema.safeParse(envelope(res).data);
          if (!data.success) {
            throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: createTask answered without a taskId.` });
          }
          return http.pending(data.data.taskId, { v: 1, taskId: data.data.taskId, model: req.model }, FIRST_POLL_MS);
        },

        async poll(handle, ctx) {
          const res = await http.call(`/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(handle.taskId)}`, { method: 'GET' }, ctx);
          const record = recordSchema.safeParse(envelope(res).data);
          if (!record.success) {
            throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: recordInfo answered without a task state.` });
          }
          const r = record.data;
          const state = stateOf(r.state);
          if (state === 'queued' || state === 'running') return { state, pollAfterMs: POLL_MS };
          if (state === 'failed') return { state: 'failed', error: taskFailure(r, http.secrets) };
          if (state === 'unknown') {
            throw new ProviderError({
              code: 'provider_error',
              message: redact(`${VENDOR}: unknown task state "${r.state}".`, http.secrets),
            });
          }

          const urls = parseResultUrls(r.resultJson);
          if (urls.length === 0) {
            return {
              state: 'failed',
              error: new ProviderError({ code: 'provider_error', message: `${VENDOR}: the task succeeded but listed no result URL.` }),
            };
          }
          const details: Record<string, number> = {};
          if (typeof r.consumeCredits === 'number') details.credits = r.consumeCredits;
          if (typeof r.costTime === 'number') details.costTimeMs = r.costTime;
          return {
            state: 'succeeded',
            images: urls.map((url) => ({ url })),
            usage: Object.keys(details).length ? { details } : undefined,
          };
        },
      };
    },
  );
}

/** `resultJson` is a JSON string; a malformed one is the vendor's fault, not the user's. */
function parseResultUrls(resultJson: string | null | undefined): string[] {
  if (!resultJson) return [];
  try {
    const parsed = resultJsonSchema.safeParse(JSON.parse(resultJson));
    return parsed.success ? parsed.data.resultUrls : [];
  } catch {
    throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: resultJson is not valid JSON.` });
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
