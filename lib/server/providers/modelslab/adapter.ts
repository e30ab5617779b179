import 'server-only';
import { ProviderError } from '../errors';
import { request, requireJson, type HttpResponse } from '../http';
import {
  DEFAULT_EDIT_PATH,
  KONTEXT_MODEL,
  KONTEXT_PATH,
  MODELSLAB_DEFAULT_BASE_URL,
  UPLOAD_PATH,
  buildBody,
  fetchUrlFor,
  handleSchema,
  modelslabHttpError,
  nsfwError,
  nsfwFlagged,
  outputsOf,
  pollDelay,
  responseSchema,
  statusError,
  uploadBody,
  type MlHandle,
  type MlResponse,
} from './wire';
import type { AdapterConfig, AdapterContext, EditRequest, InputImage, PollResult, ProviderAdapter, SubmitResult, Usage } from '../types';

const VENDOR = 'ModelsLab';
const DEFAULT_TIMEOUT_MS = 90_000;

/**
 * ModelsLab image editing. Auth is the `key` field of every JSON body (docs-v2
 * authentication.mdx), never a header. An answer is `success` (done), `processing` (poll
 * `fetch_result` with POST `{key}`, `eta` in seconds) or `error`, all possibly inside HTTP 200.
 * References go through ModelsLab's own base64→URL upload. No cancel endpoint is documented.
 *
 * Options: `editPath` (MODELSLAB_EDIT_PATH) and `modelId` (MODELSLAB_MODEL_ID) apply to the Wan
 * target only, whose defaults are unverified (see modelslab-wire.ts); Kontext dev uses its
 * documented path and id.
 */
export function createModelsLabAdapter(config: AdapterConfig): ProviderAdapter {
  const base = (config.baseUrl || MODELSLAB_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const secrets = [config.apiKey];
  const timeoutMs = config.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const editPath = normalisePath(config.options?.editPath || DEFAULT_EDIT_PATH);

  function requireKey(): string {
    if (!config.apiKey) throw new ProviderError({ code: 'auth', message: `${VENDOR}: no API key configured (MODELSLAB_API_KEY).` });
    return config.apiKey;
  }

  async function post(url: string, body: Record<string, unknown>, ctx: AdapterContext): Promise<{ res: HttpResponse; body: MlResponse }> {
    const res = await request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) },
      { signal: ctx.signal, timeoutMs, secrets },
    );
    if (res.status < 200 || res.status >= 300) throw modelslabHttpError(res, secrets);
    const parsed = responseSchema.safeParse(requireJson(res, VENDOR));
    if (!parsed.success) {
      throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: an answer without a status (HTTP ${res.status}).`, httpStatus: res.status });
    }
    return { res, body: parsed.data };
  }

  async function upload(image: InputImage, key: string, ctx: AdapterContext): Promise<string> {
    const { res, body } = await post(`${base}${UPLOAD_PATH}`, uploadBody(image, key), ctx);
    if (body.status !== 'success') throw statusError(body, res, secrets);
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
    id: 'modelslab',
    // Queued jobs report an `eta`; a busy queue can take minutes.
    deadlineMs: 300_000,
    configured: () => Boolean(config.apiKey),

    async submit(req: EditRequest, ctx: AdapterContext): Promise<SubmitResult> {
      const key = requireKey();
      const isKontext = req.model === KONTEXT_MODEL;
      const path = isKontext ? KONTEXT_PATH : editPath;
      const modelId = isKontext ? KONTEXT_MODEL : config.options?.modelId || req.model;

      const urls: string[] = [];
      // In order: "image 1" must stay image 1.
      for (const image of req.images) urls.push(await upload(image, key, ctx));

      const { res, body } = await post(`${base}${path}`, buildBody(req, modelId, urls, key), ctx);
      if (body.status === 'success') return { kind: 'done', ...finished(body) };
      if (body.status === 'processing') {
        const id = body.id === null || body.id === undefined ? '' : String(body.id);
        if (!id) throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: a queued job without an id.` });
        const handle: MlHandle = { v: 1, id, fetchUrl: fetchUrlFor(base, path, id, body.fetch_result), model: req.model };
        return { kind: 'pending', jobId: id, handle: JSON.stringify(handle), pollAfterMs: pollDelay(body.eta) };
      }
      throw statusError(body, res, secrets);
    },

    async poll(handleText: string, ctx: AdapterContext): Promise<PollResult> {
      const key = requireKey();
      const handle = parseHandle(handleText);
      const { res, body } = await post(handle.fetchUrl, { key }, ctx);
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
        const error = statusError(body, res, secrets);
        // A refused key, an empty wallet or a full queue is about this fetch call, not the job.
        if (error.code === 'auth' || error.code === 'insufficient_funds' || error.code === 'rate_limited') throw error;
        return { state: 'failed', error };
      }
      throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: unknown job status "${body.status.slice(0, 40)}".` });
    },
  };
}

function parseHandle(text: string): MlHandle {
  try {
    return handleSchema.parse(JSON.parse(text));
  } catch {
    throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: unreadable job handle.` });
  }
}

function normalisePath(path: string): string {
  const p = path.trim();
  return p.startsWith('/') ? p : `/${p}`;
}
