import 'server-only';
import { ProviderError, codeForStatus, parseRetryAfter } from '../errors';
import { httpError, messageFrom, redact, type HttpResponse } from '../http';

const VENDOR = 'Replicate';

const CONTENT_RE = /nsfw|flagged|sensitive|\bE005\b|moderat|content polic|inappropriate/i;
const INPUT_RE =
  /cannot identify image|invalid (image|input)|unsupported (image|format)|could not (download|fetch|load)|too (large|small)/i;

/**
 * A prediction that reports `status: "failed"` inside an HTTP 200. Replicate gives a free-text
 * `error`. Moderation reads like "…flagged as sensitive… (E005)" (BFL models) or "All generated
 * images contained NSFW content" (replicate/cog-flux predict.py): the generated image was judged,
 * so `blocked: 'output'`, unless the text names only the prompt/input.
 */
export function predictionFailure(error: unknown, secrets: (string | undefined)[]): ProviderError {
  const text = typeof error === 'string' ? error : (messageFrom(error) ?? (error ? JSON.stringify(error).slice(0, 300) : ''));
  const message = redact(`${VENDOR}: ${text || 'the prediction failed without a message'}`, secrets);
  if (CONTENT_RE.test(text)) {
    const inputOnly = /\b(prompt|input)\b/i.test(text) && !/\boutput|generated/i.test(text);
    return new ProviderError({ code: 'content_policy', blocked: inputOnly ? 'input' : 'output', message, providerCode: 'failed' });
  }
  if (INPUT_RE.test(text)) return new ProviderError({ code: 'bad_input', message, providerCode: 'failed' });
  // Anything else is the model's or Replicate's fault (e.g. "Prediction interrupted; please retry").
  return new ProviderError({ code: 'provider_error', message, providerCode: 'failed', httpStatus: 200 });
}

/**
 * Non-2xx. Replicate answers RFC 7807 problem details `{title, detail, status}`: 401
 * "Unauthenticated", 402 "Insufficient credit" (quoted in opencodeschool/opencode.school#211),
 * 422 "Input validation failed", 429 with `detail` "…Your rate limit resets in ~30s."
 * (https://replicate.com/docs/topics/predictions/rate-limits). A 429 without Retry-After takes the
 * wait from that sentence.
 */
export function replicateHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const body = (res.json && typeof res.json === 'object' ? res.json : {}) as Record<string, unknown>;
  const title = typeof body.title === 'string' ? body.title : undefined;
  const detail = (typeof body.detail === 'string' ? body.detail : undefined) ?? messageFrom(res.json) ?? res.text.slice(0, 300);
  const message = (detail || title || `HTTP ${res.status}`).trim();
  if (res.status === 422 && CONTENT_RE.test(message)) {
    return httpError(res, VENDOR, secrets, { code: 'content_policy', blocked: 'input', providerCode: title, message });
  }
  const code = res.status === 404 ? 'bad_input' : codeForStatus(res.status);
  const err = httpError(res, VENDOR, secrets, { code, providerCode: title, message });
  if (code === 'rate_limited' && parseRetryAfter(res.headers.get('retry-after')) === undefined) {
    const seconds = /~?\s*(\d+(?:\.\d+)?)\s*s\b/.exec(message)?.[1];
    if (seconds) {
      return new ProviderError({
        code,
        message: err.message,
        providerCode: title,
        httpStatus: res.status,
        retryAfterMs: Math.round(Number(seconds) * 1000),
      });
    }
  }
  return err;
}
