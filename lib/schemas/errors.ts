/**
 * The one error vocabulary, client-safe: what the app can say went wrong, the HTTP status each
 * maps to, and what a person should do about a provider's failure. The server's `AppError`
 * (lib/server/errors.ts) and every route and action speak only these codes.
 */

const APP_ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'not_configured',
  'payload_too_large',
  'unsupported_media',
  'rate_limited',
  'unavailable',
  'internal',
  /** The safety pre-check refused a run (blocklist or moderation); nothing was sent or billed. */
  'content_blocked',
  /** The moderation service could not be reached and the pre-check fails closed (lib/server/safety). */
  'moderation_unavailable',
  /** The run's estimate would cross the monthly budget or the session cap; nothing was sent (lib/server/ledger/budget.ts). */
  'budget_exceeded',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  not_configured: 409,
  payload_too_large: 413,
  unsupported_media: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  content_blocked: 422,
  moderation_unavailable: 503,
  // 402 Payment Required: a spending limit, distinct from a state conflict so API clients can branch on it.
  budget_exceeded: 402,
};

/** What a person should do when a run is refused before anything is sent, shown beside the reason. */
export const APP_ERROR_ADVICE: Partial<Record<AppErrorCode, string>> = {
  content_blocked:
    'Reword the instruction or negative prompt, or change the references; the workspace blocklist is under Settings → Safety.',
  moderation_unavailable:
    'The moderation service did not answer, so nothing was sent. Try again in a minute, or ask an admin about SAFETY_MODERATION_ON_ERROR.',
  budget_exceeded: 'Pick fewer targets or outputs, or raise the budget under Settings → Providers.',
};

/** Shown for anything unexpected, with a correlation id; the detail stays in the server log. */
export const GENERIC_ERROR_MESSAGE = 'Something went wrong on the server. Try again; if it keeps happening, quote the error id.';

/**
 * How a provider call can fail, normalised across vendors. The worker retries only
 * `rate_limited` and `provider_error`; every other code is final for that variation.
 */
export const PROVIDER_ERROR_CODES = [
  'auth',
  'insufficient_funds',
  'rate_limited',
  'bad_input',
  'content_policy',
  'provider_error',
  'timeout',
  'interrupted',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

/** A variation's stored error code: a provider failure, or the user's own cancel. */
type VariationErrorCode = ProviderErrorCode | 'cancelled';

/** What the user should do about each class of failure, shown beside the message. */
const ERROR_ADVICE: Record<VariationErrorCode, string> = {
  auth: 'Check the API key in .env: the provider refused it, or it is missing.',
  insufficient_funds: 'The provider account is out of credit: top it up, then retry.',
  rate_limited: 'The provider is rate-limiting requests: try again in a minute.',
  bad_input: 'The request was refused: change the instruction, references or parameters.',
  content_policy: 'Blocked by the provider’s content policy: change the prompt or the references.',
  provider_error: 'The provider failed on its side: try again later, or pick another target.',
  timeout: 'The provider took too long: try again, or pick another target.',
  interrupted: 'The server stopped while this was running: retry it.',
  cancelled: 'Retry to run it again.',
};

/** Advice for a stored code, tolerant of codes written by older versions. */
export function adviceFor(code: string | null | undefined): string | undefined {
  return code && code in ERROR_ADVICE ? ERROR_ADVICE[code as VariationErrorCode] : undefined;
}
