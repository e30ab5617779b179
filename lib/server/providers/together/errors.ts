import 'server-only';
import { codeForStatus, type ProviderError } from '../errors';
import { httpError, messageFrom, type HttpResponse } from '../http';
import { errorSchema } from './wire';

const VENDOR = 'Together';

/** Together documents no moderation error; these words are how such a refusal would read. */
const CONTENT_RE = /nsfw|content polic|moderat|flagged|inappropriate|unsafe content/i;

/**
 * Status meanings from https://support.together.ai/articles/1067567273-error-codes-explanations-and-solutions:
 * 401 missing/invalid key, 402 spending limit reached or out of credits, 403 a request that exceeds
 * the model's limits (a bad request, not a key problem), 429 rate limit, 500 server error, 503 overloaded.
 */
export function togetherHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const parsed = errorSchema.safeParse(res.json);
  const message = (parsed.success ? parsed.data.error.message : undefined) ?? messageFrom(res.json) ?? res.text.slice(0, 300);
  const vendorCode = parsed.success ? (parsed.data.error.code ?? parsed.data.error.type ?? undefined) : undefined;
  const providerCode = vendorCode === undefined ? undefined : String(vendorCode);
  const detail = message || `HTTP ${res.status}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 429 && CONTENT_RE.test(detail)) {
    return httpError(res, VENDOR, secrets, { code: 'content_policy', blocked: 'input', providerCode, message: detail });
  }
  const code = res.status === 403 ? 'bad_input' : codeForStatus(res.status);
  return httpError(res, VENDOR, secrets, { code, providerCode, message: detail });
}
