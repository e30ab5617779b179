import 'server-only';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { env } from '../env';
import { ProviderError } from '../providers/errors';

const MAX_OUTPUT_BYTES = 60 * 1024 * 1024;

/**
 * Downloads a provider's output link at once (links expire: fal within the hour, Replicate
 * after an hour, DashScope after a day). Refuses private, loopback and link-local addresses
 * unless the host is allow-listed (OUTBOUND_ALLOW_HOSTS), and caps size and time.
 */
export async function fetchOutput(url: string, signal: AbortSignal): Promise<{ bytes: Buffer; mime: string | undefined }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderError({ code: 'provider_error', message: 'The provider returned an invalid output link.' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ProviderError({ code: 'provider_error', message: `Refusing output link with scheme ${parsed.protocol}` });
  }
  // Redirects are followed by hand (CDNs and signed-URL services use them) so every hop is
  // checked against the private-address guard, not only the first.
  let res: Response | undefined;
  for (let hop = 0; hop < 4; hop++) {
    await assertPublicHost(parsed.hostname);
    try {
      res = await fetch(parsed, { signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]), redirect: 'manual' });
    } catch {
      throw new ProviderError({ code: 'provider_error', message: `Could not download the output from ${parsed.host}.` });
    }
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) break;
    parsed = new URL(location, parsed);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ProviderError({ code: 'provider_error', message: `Refusing a redirect to ${parsed.protocol}` });
    }
    res = undefined;
  }
  if (!res) throw new ProviderError({ code: 'provider_error', message: 'The output link redirected too many times.' });
  if (!res.ok) {
    throw new ProviderError({
      code: 'provider_error',
      message: `The output link answered HTTP ${res.status} (it may have expired before it was fetched).`,
    });
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_OUTPUT_BYTES) throw new ProviderError({ code: 'provider_error', message: 'The output is too large.' });
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_OUTPUT_BYTES) throw new ProviderError({ code: 'provider_error', message: 'The output is too large.' });
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), mime: res.headers.get('content-type') ?? undefined };
}

async function assertPublicHost(hostname: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const allowed = env()
    .OUTBOUND_ALLOW_HOSTS.split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (allowed.includes(host)) return;
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new ProviderError({ code: 'provider_error', message: `Cannot resolve ${host}.` });
  if (addresses.some(isPrivateAddress)) {
    throw new ProviderError({
      code: 'provider_error',
      message: `Refusing to fetch an output from a private address (${host}). Add it to OUTBOUND_ALLOW_HOSTS if intended.`,
    });
  }
}

export function isPrivateAddress(address: string): boolean {
  if (address.includes(':')) {
    const a = address.toLowerCase();
    if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
    return a === '::1' || a === '::' || a.startsWith('fc') || a.startsWith('fd') || a.startsWith('fe80');
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}
