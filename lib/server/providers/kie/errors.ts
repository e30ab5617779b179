import 'server-only';
import { ProviderError, codeForStatus, parseRetryAfter, type ProviderErrorCode } from '../errors';
import { redact, type HttpResponse } from '../http';
import { envelopeSchema, type KieRecord } from './wire';

const VENDOR = 'Kie.ai';

const CONTENT_RE =
  /nsfw|sensitive|inappropriate|content (policy|moderation|safety|filter)|safety (check|filter|system)|flagged|prohibited|violat/i;
const INPUT_SIDE_RE = /\b(prompt|input|reference|upload)/i;

/**
 * Kie's codes (https://docs.kie.ai/common-api and the market model pages): 401 unauthorized,
 * 402 insufficient credits, 404 not found, 422 validation error, 429 rate limited,
 * 455 service unavailable (maintenance), 500 server error, 501 generation failed,
 * 505 feature disabled. The 5xx family is the vendor's side and retryable, except 505: a
 * disabled feature stays disabled, so retrying only spends attempts (bad_input: final).
 */
export function codeForKie(code: number): ProviderErrorCode {
  if (code === 401 || code === 403) return 'auth';
  if (code === 402) return 'insufficient_funds';
  if (code === 429) return 'rate_limited';
  if (code === 505) return 'bad_input';
  if (code === 455 || code === 501 || code >= 500) return 'provider_error';
  if (code === 408) return 'timeout';
  if (code >= 400) return 'bad_input';
  return codeForStatus(code);
}

/** Reads the Kie code of a response: the body's `code` when it disagrees with a 2xx status. */
function kieCodeOf(res: HttpResponse): { code: number; message: string } {
  const env = envelopeSchema.safeParse(res.json);
  const bodyCode = env.success ? env.data.code : undefined;
  const ok = res.status >= 200 && res.status < 300;
  const code = ok && bodyCode !== undefined ? bodyCode : res.status;
  const message = (env.success ? (env.data.msg ?? env.data.message) : undefined) ?? res.text.slice(0, 300);
  return { code, message: message ?? '' };
}

/** True when the answer is a Kie success (HTTP 2xx and `code` 200 or absent). */
export function isKieOk(res: HttpResponse): boolean {
  return res.status >= 200 && res.status < 300 && kieCodeOf(res).code === 200;
}

/** Any non-success Kie answer (HTTP status or body code) → a normalised error. */
export function kieError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const { code, message } = kieCodeOf(res);
  const text = redact(`${VENDOR}: ${message || `code ${code}`}`, secrets);
  if (CONTENT_RE.test(message)) {
    return new ProviderError({
      code: 'content_policy',
      blocked: 'input',
      message: text,
      providerCode: String(code),
      httpStatus: res.status,
    });
  }
  const normalised = codeForKie(code);
  return new ProviderError({
    code: normalised,
    message: text,
    providerCode: String(code),
    httpStatus: res.status,
    retryAfterMs: normalised === 'rate_limited' ? (parseRetryAfter(res.headers.get('retry-after')) ?? 10_000) : undefined,
  });
}

/**
 * A task in state `fail` (HTTP 200): `failCode` is a code string such as "500" and `failMsg`
 * free text (Kie callback examples). Moderation is recognised by its wording; whether the prompt
 * or the picture was refused is read from the same text (output unless it names the input).
 */
export function taskFailure(record: KieRecord, secrets: (string | undefined)[]): ProviderError {
  const msg = record.failMsg ?? '';
  const failCode = record.failCode === null || record.failCode === undefined ? '' : String(record.failCode);
  const text = redact(`${VENDOR}: ${msg || 'the task failed without a message'}${failCode ? ` (failCode ${failCode})` : ''}`, secrets);
  if (CONTENT_RE.test(msg)) {
    return new ProviderError({
      code: 'content_policy',
      blocked: INPUT_SIDE_RE.test(msg) ? 'input' : 'output',
      message: text,
      providerCode: failCode || undefined,
    });
  }
  const numeric = Number(failCode);
  const code: ProviderErrorCode = Number.isFinite(numeric) && numeric >= 400 ? codeForKie(numeric) : 'provider_error';
  return new ProviderError({ code, message: text, providerCode: failCode || undefined });
}
