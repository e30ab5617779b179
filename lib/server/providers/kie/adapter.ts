import 'server-only';
import { ProviderError } from '../errors';
import { redact, request, requireJson, type HttpResponse } from '../http';
import {
  KIE_DEFAULT_BASE_URL,
  KIE_DEFAULT_UPLOAD_BASE_URL,
  buildInput,
  createDataSchema,
  envelopeSchema,
  handleSchema,
  isKieOk,
  kieError,
  recordSchema,
  resultJsonSchema,
  stateOf,
  taskFailure,
  uploadDataSchema,
  type KieHandle,
} from './wire';
import type { AdapterConfig, AdapterContext, EditRequest, InputImage, PollResult, ProviderAdapter, SubmitResult } from '../types';

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
 * Options: `uploadBaseUrl` (KIE_UPLOAD_BASE_URL). When unset it is Kie's upload host for the real
 * API, and the same host as `baseUrl` when that was overridden (a fake or a proxy serves both).
 */
export function createKieAdapter(config: AdapterConfig): ProviderAdapter {
  const base = trimSlash(config.baseUrl || KIE_DEFAULT_BASE_URL);
  const uploadBase = trimSlash(
    config.options?.uploadBaseUrl || (base === KIE_DEFAULT_BASE_URL ? KIE_DEFAULT_UPLOAD_BASE_URL : base),
  );
  const secrets = [config.apiKey];
  const timeoutMs = config.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = () => ({ Authorization: `Bearer ${config.apiKey ?? ''}` });

  /** Non-2xx → mapped by status; a 2xx must be JSON and carry `code` 200. */
  function checked(res: HttpResponse): Record<string, unknown> {
    if (res.status < 200 || res.status >= 300) throw kieError(res, secrets);
    const body = requireJson(res, VENDOR);
    if (!isKieOk(res)) throw kieError(res, secrets);
    return body;
  }

  function requireKey(): string {
    if (!config.apiKey) throw new ProviderError({ code: 'auth', message: `${VENDOR}: no API key configured (KIE_API_KEY).` });
    return config.apiKey;
  }

  /** One reference → Kie's temporary storage → its download URL (multipart `file`, `uploadPath`, `fileName`). */
  async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
    const form = new FormData();
    const ext = image.mime === 'image/jpeg' ? 'jpg' : image.mime.slice('image/'.length);
    // Same file name overwrites on Kie's side; naming by content hash makes that harmless.
    const fileName = `${image.sha256.slice(0, 24)}.${ext}`;
    form.append('file', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), fileName);
    form.append('uploadPath', 'proofsheet');
    form.append('fileName', fileName);
    const res = await request(
      `${uploadBase}/api/file-stream-upload`,
      { method: 'POST', headers: auth(), body: form },
      { signal: ctx.signal, timeoutMs, secrets },
    );
    const env = envelopeSchema.safeParse(checked(res));
    if (env.success && env.data.success === false) throw kieError(res, secrets);
    const data = uploadDataSchema.safeParse(env.success ? env.data.data : undefined);
    const url = data.success ? (data.data.downloadUrl ?? data.data.fileUrl) : undefined;
    if (!url) {
      throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: the file upload answered without a download URL.` });
    }
    return url;
  }

  return {
    id: 'kie',
    // Kie advises giving up after 10–15 min; Wan edits take seconds to a minute or two.
    deadlineMs: 240_000,
    configured: () => Boolean(config.apiKey),

    async submit(req: EditRequest, ctx: AdapterContext): Promise<SubmitResult> {
      requireKey();
      const inputUrls: string[] = [];
      // Sequential on purpose: order is meaningful ("image 1", "image 2") and keeps load low.
      for (const image of req.images) inputUrls.push(await upload(image, ctx));

      const res = await request(
        `${base}/api/v1/jobs/createTask`,
        {
          method: 'POST',
          headers: { ...auth(), 'Content-Type': 'application/json' },
          body: JSON.stringify({ model: req.model, input: buildInput(req, inputUrls) }),
        },
        { signal: ctx.signal, timeoutMs, secrets },
      );
      const body = checked(res);
      const data = createDataSchema.safeParse(envelopeSchema.parse(body).data);
      if (!data.success) {
        throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: createTask answered without a taskId.` });
      }
      const handle: KieHandle = { v: 1, taskId: data.data.taskId, model: req.model };
      return { kind: 'pending', jobId: data.data.taskId, handle: JSON.stringify(handle), pollAfterMs: FIRST_POLL_MS };
    },

    async poll(handleText: string, ctx: AdapterContext): Promise<PollResult> {
      requireKey();
      const handle = parseHandle(handleText);
      const res = await request(
        `${base}/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(handle.taskId)}`,
        { method: 'GET', headers: auth() },
        { signal: ctx.signal, timeoutMs, secrets },
      );
      const body = checked(res);
      const record = recordSchema.safeParse(envelopeSchema.parse(body).data);
      if (!record.success) {
        throw new ProviderError({ code: 'provider_error', message: `${VENDOR}: recordInfo answered without a task state.` });
      }
      const r = record.data;
      const state = stateOf(r.state);
      if (state === 'queued' || state === 'running') return { state, pollAfterMs: POLL_MS };
      if (state === 'failed') return { state: 'failed', error: taskFailure(r, secrets) };
      if (state === 'unknown') {
        throw new ProviderError({ code: 'provider_error', message: redact(`${VENDOR}: unknown task state "${r.state}".`, secrets) });
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

function parseHandle(text: string): KieHandle {
  try {
    return handleSchema.parse(JSON.parse(text));
  } catch {
    throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: unreadable job handle.` });
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
