import 'server-only';
import { z } from 'zod';
import { ProviderError, type ProviderErrorCode } from '../errors';
import { httpError, redact, type HttpResponse } from '../http';

/**
 * fal's two error shapes:
 * - model errors: `{detail: [{loc, msg, type, url?, ctx?, input?, categories?}]}`, HTTP 422 for
 *   validation and `type: "content_policy_violation"` for moderation.
 *   Source: https://fal.ai/docs/documentation/model-apis/errors.md
 * - request (infrastructure) errors: `{detail: "text", error_type: "request_timeout" | ...}`.
 *   Source: https://fal.ai/docs/documentation/model-apis/request-errors.md
 */
const ModelErrorItem = z.object({
  loc: z.array(z.union([z.string(), z.number()])).optional(),
  msg: z.string().optional(),
  type: z.string().optional(),
  categories: z.array(z.string()).optional(),
});
const ErrorBody = z.object({
  detail: z.union([z.string(), z.array(ModelErrorItem)]).optional(),
  error_type: z.string().optional(),
});

const FAL = 'fal';

/** Maps a non-2xx fal response (submit, storage, status or result) to a ProviderError. */
export function falHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const parsed = ErrorBody.safeParse(res.json);
  const body = parsed.success ? parsed.data : {};
  const items = Array.isArray(body.detail) ? body.detail : [];
  const text = typeof body.detail === 'string' ? body.detail : undefined;
  const message = items.length
    ? items.map((i) => [i.msg ?? i.type ?? 'invalid input', i.loc?.slice(1).join('.')].filter(Boolean).join(' at ')).join('; ')
    : text;

  const policy = items.find((i) => i.type === 'content_policy_violation');
  if (policy) {
    // A refusal is never worth retrying with the same input (fal error reference). `loc` names the
    // flagged field: ["body", ...] is something we sent; anything else is the model's own output.
    const categories = policy.categories?.length ? ` (${policy.categories.join(', ')})` : '';
    return httpError(res, FAL, secrets, {
      code: 'content_policy',
      providerCode: 'content_policy_violation',
      blocked: policy.loc?.[0] === 'body' ? 'input' : 'output',
      message: `${policy.msg ?? 'The content was flagged by a content checker.'}${categories}`,
    });
  }

  // A locked account answers 403 "User is locked. Reason: Exhausted balance. Top up your balance at
  // fal.ai/dashboard/billing." (reported in https://github.com/fal-ai/fal/issues/1147), not 402.
  if ((res.status === 402 || res.status === 403) && text && /balance|top.?up/i.test(text)) {
    return httpError(res, FAL, secrets, { code: 'insufficient_funds', providerCode: 'exhausted_balance', message: text });
  }

  let code: ProviderErrorCode | undefined;
  // `X-Fal-Retryable` (older docs: `X-Fal-Needs-Retry`) says a retry may succeed even on a 4xx.
  const retryable = res.headers.get('x-fal-retryable') ?? res.headers.get('x-fal-needs-retry');
  if (retryable === 'true' && res.status >= 400 && res.status < 500 && res.status !== 429) code = 'provider_error';
  const errorType = body.error_type ?? res.headers.get('x-fal-error-type') ?? items[0]?.type;
  return httpError(res, FAL, secrets, { code, providerCode: errorType ?? undefined, message });
}

/**
 * A job that ended in an infrastructure error reported inside an HTTP 200 body
 * (`{status:"COMPLETED", error, error_type}`): timeouts are `timeout`, the rest are fal's fault.
 */
export function falJobError(error: string, errorType: string | undefined, secrets: (string | undefined)[]): ProviderError {
  return new ProviderError({
    code: errorType && /timeout/.test(errorType) ? 'timeout' : 'provider_error',
    message: redact(`${FAL}: ${error}`, secrets),
    providerCode: errorType,
  });
}
