import 'server-only';
import { ProviderError, codeForStatus, type ProviderErrorCode } from '../errors';
import { httpError, redact, type HttpResponse } from '../http';
import { envelopeSchema, type Prediction } from './wire';

const VENDOR = 'Atlas Cloud';

/** "Input rejected by content moderation", reported on a failed prediction (docs/en/errors). */
const ATLAS_MODERATION_CODE = 1039;

const CONTENT_RE = /moderation|nsfw|sensitive|inappropriate|content (policy|safety)|safety (check|filter)/i;
const INPUT_RE =
  /invalid|must be|required|unsupported|not supported|too (large|small|long)|exceed|cannot (download|fetch|load)|failed to (download|fetch)/i;

/**
 * Status table of https://www.atlascloud.ai/docs/en/errors, for the media endpoints:
 * 400 malformed request (`msg` says what), 401 key missing/unknown (a wrong path also answers
 * 401), 402 insufficient balance, 403 not permitted for this key, 404 model not found or not
 * available to the account, 413 body over 50 MB, 429 rate limit (per account and per model;
 * the media endpoints send no Retry-After, so the default backoff applies), 451 blocked in the
 * caller's region (final), 500/503 retry, 504 a synchronous wait ran out.
 */
function codeForAtlas(status: number): ProviderErrorCode {
  if (status === 404 || status === 413 || status === 451) return 'bad_input';
  return codeForStatus(status);
}

/**
 * A non-2xx answer, or a 2xx whose envelope `code` is not 200. The message is the envelope's
 * `msg` (`message` on some endpoints); moderation wording in it wins over the status.
 */
export function atlasHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const env = envelopeSchema.safeParse(res.json);
  const bodyCode = env.success ? env.data.code : undefined;
  const status = res.status >= 200 && res.status < 300 && bodyCode && bodyCode !== 200 ? bodyCode : res.status;
  const message = (env.success ? (env.data.msg ?? env.data.message) : undefined) || res.text.slice(0, 300) || `HTTP ${status}`;
  const shaped: HttpResponse = { ...res, status };
  if (CONTENT_RE.test(message)) return httpError(shaped, VENDOR, secrets, { code: 'content_policy', blocked: 'input', message });
  const extra = status === 451 ? ' (Atlas Cloud blocks this request in your region)' : '';
  return httpError(shaped, VENDOR, secrets, { code: codeForAtlas(status), message: `${message}${extra}` });
}

/**
 * A prediction that reports `status: "failed"` inside an HTTP 200. `error_code` 1039 is input
 * moderation (docs/en/errors); otherwise the free-text `error` decides between the input's
 * fault and the vendor's (retryable).
 */
export function predictionFailure(p: Prediction, secrets: (string | undefined)[]): ProviderError {
  const text = p.error || 'the prediction failed without a message';
  const providerCode = p.error_code == null ? undefined : String(p.error_code);
  const message = redact(`${VENDOR}: ${text}${providerCode ? ` (error_code ${providerCode})` : ''}`, secrets);
  if (Number(p.error_code) === ATLAS_MODERATION_CODE || CONTENT_RE.test(text)) {
    return new ProviderError({ code: 'content_policy', blocked: 'input', providerCode, message });
  }
  if (INPUT_RE.test(text)) return new ProviderError({ code: 'bad_input', providerCode, message });
  return new ProviderError({ code: 'provider_error', providerCode, message });
}
