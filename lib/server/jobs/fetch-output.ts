import 'server-only';
import { guardedFetch, LIMITS } from '../net/fetch';
import { ProviderError } from '../providers/errors';

/**
 * Downloads a provider's output link at once (links expire: fal within the hour, Replicate
 * after an hour, DashScope after a day). Through the address guard (lib/server/net): special
 * addresses are refused unless OUTBOUND_ALLOW_HOSTS names the host:port, redirects (CDNs and
 * signed-URL services use them) are checked per hop, and size and time are capped.
 */
export async function fetchOutput(
  url: string,
  signal: AbortSignal,
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<{ bytes: Buffer; mime: string | undefined }> {
  const res = await guardedFetch(url, { method: 'GET' }, { signal, timeoutMs, maxBytes: LIMITS.imageBytes, redirect: 'follow' });
  if (!res.ok) {
    throw new ProviderError({
      code: 'provider_error',
      message: `The output link answered HTTP ${res.status} (it may have expired before it was fetched).`,
      httpStatus: res.status,
      sent: true,
    });
  }
  return { bytes: res.body, mime: res.headers.get('content-type') ?? undefined };
}
