import 'server-only';
import { ProviderError, codeForStatus, parseRetryAfter, type ProviderErrorCode } from '../errors';
import { redact, type HttpResponse } from '../http';
import { responseSchema, structuredMessage, textOf, type MlResponse } from './wire';

const VENDOR = 'ModelsLab';

const CONTENT_RE = /nsfw|sensitive|inappropriate|content (policy|moderation|safety)|safety check|not allowed content/i;
const KEY_RE = /invalid api key|api key is (missing|invalid)|missing key|unauthori[sz]ed/i;
const FUNDS_RE = /insufficient (credit|balance|fund)|add more credits|top.?up|low balance|subscription (has )?(expired|ended)/i;
const RATE_RE = /rate limit|too many requests|queue (is )?full|queued requests/i;
const INPUT_RE = /required|invalid|must be|not found|unable to fetch|unsupported|not supported|too (large|small|long)|exceed/i;

function retryMs(res: HttpResponse | undefined, body: Partial<MlResponse> | undefined): number {
  const header = res ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
  if (header !== undefined) return header;
  if (typeof body?.retry_after === 'number' && Number.isFinite(body.retry_after)) return body.retry_after * 1000;
  return 30_000; // the documented example's retry_after
}

function classify(message: string, fallback: ProviderErrorCode): ProviderErrorCode {
  if (KEY_RE.test(message)) return 'auth';
  if (RATE_RE.test(message)) return 'rate_limited';
  if (FUNDS_RE.test(message)) return 'insufficient_funds';
  if (INPUT_RE.test(message)) return 'bad_input';
  return fallback;
}

/**
 * Non-2xx answers (docs-v2 error-codes.mdx): 400 bad params, 401 invalid key, 402 insufficient
 * credits, 403 plan lacks the feature, 429 queue full with body `retry_after` (seconds), 500, 503.
 */
export function modelslabHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const parsed = responseSchema.partial().safeParse(res.json);
  const body = parsed.success ? parsed.data : undefined;
  const message = textOf(body) || res.text.slice(0, 300) || `HTTP ${res.status}`;
  const code: ProviderErrorCode = CONTENT_RE.test(message) ? 'content_policy' : codeForStatus(res.status);
  return new ProviderError({
    code,
    message: redact(`${VENDOR}: ${message}`, secrets),
    httpStatus: res.status,
    providerCode: String(res.status),
    blocked: code === 'content_policy' ? 'input' : undefined,
    retryAfterMs: code === 'rate_limited' ? retryMs(res, body) : undefined,
  });
}

/**
 * `status: "error" | "failed"` inside HTTP 200, at submit or fetch. Mostly free text, so the
 * text decides; anything unrecognised is the vendor's failure (retryable). A structured message
 * (an object or array, e.g. `{"init_image": ["The init image field is required."]}`) is a
 * validation error (ModelsLab/modelslab-cli@07ea1c7c internal/cmd/generate.go, `generationFailed`:
 * "a string or, for validation errors, an object"): the same request would fail again, so bad_input.
 */
export function statusError(body: MlResponse, res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const message = textOf(body);
  const text = redact(`${VENDOR}: ${message || `the request ended with status "${body.status}"`}`, secrets);
  if (CONTENT_RE.test(message))
    return new ProviderError({ code: 'content_policy', blocked: 'input', message: text, httpStatus: res.status });
  const code = classify(message, structuredMessage(body) ? 'bad_input' : 'provider_error');
  return new ProviderError({
    code,
    message: text,
    httpStatus: res.status,
    providerCode: body.status,
    retryAfterMs: code === 'rate_limited' ? retryMs(res, body) : undefined,
  });
}

/** A finished job whose picture the safety checker flagged (`nsfw_content_detected`). */
export function nsfwError(): ProviderError {
  return new ProviderError({
    code: 'content_policy',
    blocked: 'output',
    providerCode: 'nsfw_content_detected',
    message: `${VENDOR}: the safety checker flagged the generated image (nsfw_content_detected).`,
  });
}
