import 'server-only';
import { ProviderError, codeForStatus } from '../errors';
import { httpError, redact, type HttpResponse } from '../http';
import { envelopeSchema } from './wire';

const VENDOR = 'WaveSpeed';

const CONTENT_RE = /nsfw|sensitive|inappropriate|content (policy|moderation|safety)|safety (check|filter)|not allowed content/i;
const FUNDS_RE = /balance|insufficient|credit|top.?up|recharge|payment/i;
const INPUT_RE = /invalid|must be|required|unsupported|not supported|too (large|small|long)|exceed|cannot (download|fetch|load)/i;

/**
 * Non-2xx answers, or a 2xx whose envelope `code` is not 200 (the envelope mirrors the HTTP
 * status). WaveSpeed publishes no error schema: 401 means a bad key
 * (https://wavespeed.ai/blog/posts/wavespeed-api-auth-errors/); a 403 "insufficient balance" is
 * reported by third parties, so 402/403 with a balance message both mean insufficient_funds.
 */
export function wavespeedHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const env = envelopeSchema.safeParse(res.json);
  const bodyCode = env.success ? env.data.code : undefined;
  const status = res.status >= 200 && res.status < 300 && bodyCode && bodyCode !== 200 ? bodyCode : res.status;
  const message = (env.success ? env.data.message : undefined) ?? res.text.slice(0, 300);
  const shaped: HttpResponse = { ...res, status };
  if (CONTENT_RE.test(message)) return httpError(shaped, VENDOR, secrets, { code: 'content_policy', blocked: 'input', message });
  if ((status === 402 || status === 403) && FUNDS_RE.test(message)) {
    return httpError(shaped, VENDOR, secrets, { code: 'insufficient_funds', message });
  }
  if (status === 402) return httpError(shaped, VENDOR, secrets, { code: 'insufficient_funds', message });
  return httpError(shaped, VENDOR, secrets, { code: codeForStatus(status), message: message || `HTTP ${status}` });
}

/**
 * A job that reports `status: "failed"` inside an HTTP 200. WaveSpeed gives only a free-text
 * `error`; we read it for moderation and input problems, anything else is the vendor's fault
 * (retryable: WaveSpeed does not bill failed predictions).
 */
export function jobFailure(message: string, secrets: (string | undefined)[]): ProviderError {
  const text = redact(`${VENDOR}: ${message || 'the prediction failed without a message'}`, secrets);
  if (CONTENT_RE.test(message)) return new ProviderError({ code: 'content_policy', blocked: 'input', message: text });
  if (INPUT_RE.test(message)) return new ProviderError({ code: 'bad_input', message: text });
  return new ProviderError({ code: 'provider_error', message: text });
}
