import 'server-only';
import { z } from 'zod';
import type { ProviderError } from '../errors';
import { httpError, type HttpResponse } from '../http';

/**
 * OpenAI's error body is `{error: {message, type, param, code}}`
 * (https://platform.openai.com/docs/guides/error-codes). The status alone is ambiguous:
 * - 429 is either `rate_limit_exceeded` (wait) or `insufficient_quota` (pay; never retry), as seen
 *   in logged responses such as https://github.com/langchain-ai/langchainjs/issues/1929;
 * - 400 is either `moderation_blocked` (type `image_generation_user_error`) or a plain
 *   `invalid_request_error`.
 */
const ErrorBody = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    code: z.string().nullish(),
    param: z.string().nullish(),
    moderation_details: z.object({ moderation_stage: z.string().nullish() }).nullish(),
  }),
});

const OPENAI = 'OpenAI';

export function openaiHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const parsed = ErrorBody.safeParse(res.json);
  if (!parsed.success) return httpError(res, OPENAI, secrets);
  const { code, type, message, param, moderation_details } = parsed.data.error;
  const providerCode = code ?? type ?? undefined;
  const text = message ? (param ? `${message} (param: ${param})` : message) : undefined;

  if (code === 'insufficient_quota' || type === 'insufficient_quota' || code === 'billing_hard_limit_reached') {
    return httpError(res, OPENAI, secrets, { code: 'insufficient_funds', providerCode, message: text });
  }
  if (code === 'moderation_blocked' || code === 'content_policy_violation') {
    // The prompt and references are checked before generation; `moderation_stage` (seen in logged
    // responses, not in the reference) is the only hint that the output was refused instead.
    const stage = moderation_details?.moderation_stage ?? '';
    return httpError(res, OPENAI, secrets, {
      code: 'content_policy',
      providerCode,
      blocked: /output/i.test(stage) ? 'output' : 'input',
      message: text,
    });
  }
  return httpError(res, OPENAI, secrets, { providerCode, message: text });
}
