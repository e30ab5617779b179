import 'server-only';
import type { ProviderError } from '../errors';
import { httpError, type HttpResponse } from '../http';

const VENDOR = 'Stability';

/** Refines the status mapping with Stability's `name` field. */
export function stabilityError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const body = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : {};
  const name = typeof body.name === 'string' ? body.name : undefined;
  if (name === 'content_moderation' || name === 'invalid_prompts') {
    // v2beta 403 content_moderation; `invalid_prompts` ("prompts contain filtered words") is v1's name for it.
    return httpError(res, VENDOR, secrets, { code: 'content_policy', blocked: 'input', providerCode: name });
  }
  if (res.status === 402 || name === 'payment_required' || name === 'insufficient_balance') {
    return httpError(res, VENDOR, secrets, { code: 'insufficient_funds', providerCode: name });
  }
  return httpError(res, VENDOR, secrets, name ? { providerCode: name } : undefined);
}
