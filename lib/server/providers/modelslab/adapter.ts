import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { AdapterConfig, AdapterContext, InputImage, ProviderAdapter, Usage } from '../types';
import { modelslabHttpError, nsfwError, statusError } from './errors';
import {
  DEFAULT_EDIT_PATH,
  KONTEXT_MODEL,
  KONTEXT_PATH,
  MODELSLAB_DEFAULT_BASE_URL,
  UPLOAD_PATH,
  buildBody,
  fetchUrlFor,
  handleSchema,
  hasOutputUrls,
  nsfwFlagged,
  outputsOf,
  pollDelay,
  responseSchema,
  uploadBody,
  type MlResponse,
} from './wire';

const VENDOR = 'ModelsLab';
const DEFAULT_TIMEOUT_MS = 90_000;

/**
 * ModelsLab image editing. Auth is the `key` field of every JSON body (docs-v2
 * authentication.mdx), never a header. An answer is `success` (done), `processing` (poll
 * `fetch_result` with POST `{key}`, `eta` in seconds) or `error`, all possibly inside HTTP 200.
 * References go through ModelsLab's own base64→URL upload. No cancel endpoint is documented.
 *
 * Options: `editPath` (MODELSLAB_EDIT_PATH) and `modelId` (MODELSLAB_MODEL_ID) apply to the Wan
 * target only, whose defaults are unverified (see wire.ts); Kontext dev uses its
 * documented path and id.
 */
export function createModelsLabAdapter(config: AdapterConfig): ProviderAdapter {
  const editPath = normalisePath(config.options?.editPath || DEFAULT_EDIT_PATH);
  return defineHttpAdapter(
    {
      id: 'modelslab',
      vendor: VENDOR,
      config,
      baseUrl: config.baseUrl || MODELSLAB_DEFAULT_BASE_URL,
      auth: { scheme: 'body', envKey: 'MODELSLAB_API_KEY' },
      timeoutMs: DEFAULT_TIMEOUT_MS,
      // Queued jobs report an `eta`; a busy queue can take minutes.
      deadlineMs: 300_000,
      handle: handleSchema,
      httpError: modelslabHttpError,
    },
    (http) => {
      async function post(
        url: string,
        body: Record<string, unknown>,
        ctx: AdapterContext,
      ): Promise<{ res: HttpResponse; body: MlResponse }> {
        const res = await http.call(url, { method: 'POST', headers: { accept: 'application/json' }, json: body }, ctx);
        return { res, body: http.json(res, responseSchema, `an answer without a status (HTTP ${res.status})`) };
      }

      async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
        const { res, body } = await post(UPLOAD_PATH, uploadBody(image, http.key), ctx);
        if (body.status !== 'success') throw statusError(body, res, http.secrets);
        const url = outputsOf(body)[0];
        if (!url) throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: the upload answered without a URL.` });
        return url;
      }

      function finished(body: MlResponse): { images: { url: string }[]; usage?: Usage } {
        if (nsfwFlagged(body)) throw nsfwError();
        const urls = outputsOf(body);
        if (urls.length === 0) throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: success without an output URL.` });
        const usage = typeof body.generationTime === 'number' ? { details: { generationTimeS: body.generationTime } } : undefined;
        return { images: urls.map((url) => ({ url })), usage };
      }

      return {
        async submit(req, ctx) {
          const isKontext = req.model === KONTEXT_MODEL;
          const path = isKontext ? KONTEXT_PATH : editPath;
          const modelId = isKontext ? KONTEXT_MODEL : config.options?.modelId || req.model;

          const urls: string[] = [];
          // In order: "image 1" must stay image 1.
          for (const image of req.images) urls.push(await upload(image, ctx));

          const { res, body } = await post(path, buildBody(req, modelId, urls, http.key), ctx);
          // As the CLI does (modelslab-cli@07ea1c7c generate.go `pollAndDownload`): images already
          // listed count as done, whatever the status says.
          if (body.status === 'success' || (body.status === 'processing' && hasOutputUrls(body)))
            return { kind: 'done', ...finished(body) };
          if (body.status === 'processing') {
            const id = body.id === null || body.id === undefined ? '' : String(body.id);
            if (!id) throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: a queued job without an id.` });
            const fetchUrl = fetchUrlFor(http.base, path, id, body.fetch_result);
            return http.pending(id, { v: 1, id, fetchUrl, model: req.model }, pollDelay(body.eta));
          }
          throw statusError(body, res, http.secrets);
        },

        async poll(handle, ctx) {
          const { res, body } = await post(handle.fetchUrl, { key: http.key }, ctx);
          if (body.status === 'processing') return { state: 'running', pollAfterMs: pollDelay(body.eta) };
          if (body.status === 'success') {
            try {
              return { state: 'succeeded', ...finished(body) };
            } catch (e) {
              if (e instanceof ProviderError && e.code === 'content_policy') return { state: 'failed', error: e };
              throw e;
            }
          }
          if (body.status === 'error' || body.status === 'failed') {
            const error = statusError(body, res, http.secrets);
            // A refused key, an empty wallet or a full queue is about this fetch call, not the job.
            if (error.code === 'auth' || error.code === 'insufficient_funds' || error.code === 'rate_limited') throw error;
            return { state: 'failed', error };
          }
          throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: unknown job status "${body.status.slice(0, 40)}".` });
        },
      };
    },
  );
}

function normalisePath(path: string): string {
  const p = path.trim();
  return p.startsWith('/') ? p : `/${p}`;
}
