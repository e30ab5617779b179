import 'server-only';
import { z } from 'zod';
import { env } from '../env';
import { FAL_DEFAULT_STORAGE_URL } from '../providers/fal/wire';
import { request } from '../providers/http';
import { REPLICATE_DEFAULT_BASE_URL } from '../providers/replicate/wire';
import { WAVESPEED_DEFAULT_BASE_URL } from '../providers/wavespeed/wire';
import type { Jwk } from './schemes';

/** Vendor keys change rarely; a failed check may refetch, but at most this often (rotation). */
const TTL_MS = 60 * 60_000;
const REFETCH_GAP_MS = 60_000;

type Cached<T> = { value: T; at: number };
const cache = new Map<string, Cached<unknown>>();

/**
 * The vendor's current key, cached. `fresh` asks for a refetch (the cached one failed to verify);
 * honoured at most once a minute, so forged calls cannot make us hammer the vendor.
 */
async function cached<T>(name: string, fresh: boolean, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(name) as Cached<T> | undefined;
  const age = hit ? Date.now() - hit.at : Infinity;
  if (hit && age < TTL_MS && !(fresh && age > REFETCH_GAP_MS)) return hit.value;
  const value = await load();
  cache.set(name, { value, at: Date.now() });
  return value;
}

async function getJson(url: string, auth: string | undefined): Promise<unknown> {
  const res = await request(
    url,
    { method: 'GET', headers: auth ? { authorization: auth } : {} },
    { signal: AbortSignal.timeout(10_000), timeoutMs: 10_000, maxBytes: 64 * 1024, secrets: [auth] },
  );
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return res.json;
}

/** REPLICATE_WEBHOOK_SECRET, else GET /v1/webhooks/default/secret → {key: "whsec_…"} (replicate-javascript lib/webhooks.js). */
export async function replicateSecret(fresh = false): Promise<string | undefined> {
  const e = env();
  if (e.REPLICATE_WEBHOOK_SECRET) return e.REPLICATE_WEBHOOK_SECRET;
  if (!e.REPLICATE_API_TOKEN) return undefined;
  return cached('replicate', fresh, async () => {
    const body = await getJson(
      `${e.REPLICATE_BASE_URL ?? REPLICATE_DEFAULT_BASE_URL}/webhooks/default/secret`,
      `Bearer ${e.REPLICATE_API_TOKEN}`,
    );
    return z.object({ key: z.string().startsWith('whsec_') }).parse(body).key;
  });
}

/** WAVESPEED_WEBHOOK_SECRET, else GET /api/v3/webhook/secret → {code, data: {secret: "whsec_…"}} (https://wavespeed.ai/docs/verify-webhooks). */
export async function waveSpeedSecret(fresh = false): Promise<string | undefined> {
  const e = env();
  if (e.WAVESPEED_WEBHOOK_SECRET) return e.WAVESPEED_WEBHOOK_SECRET;
  if (!e.WAVESPEED_API_KEY) return undefined;
  return cached('wavespeed', fresh, async () => {
    const body = await getJson(
      `${e.WAVESPEED_BASE_URL ?? WAVESPEED_DEFAULT_BASE_URL}/api/v3/webhook/secret`,
      `Bearer ${e.WAVESPEED_API_KEY}`,
    );
    const parsed = z.object({ data: z.object({ secret: z.string().startsWith('whsec_') }) }).safeParse(body);
    // Some accounts' answers are reported without the envelope ({secret}).
    return parsed.success ? parsed.data.data.secret : z.object({ secret: z.string().startsWith('whsec_') }).parse(body).secret;
  });
}

/** fal's public keys: FAL_WEBHOOK_JWKS_URL, else {FAL_STORAGE_BASE_URL}/.well-known/jwks.json (rest.alpha.fal.ai by default). */
export async function falKeys(fresh = false): Promise<Jwk[]> {
  const e = env();
  const url = e.FAL_WEBHOOK_JWKS_URL ?? `${e.FAL_STORAGE_BASE_URL ?? FAL_DEFAULT_STORAGE_URL}/.well-known/jwks.json`;
  return cached('fal', fresh, async () => {
    const body = await getJson(url, undefined);
    return z
      .object({ keys: z.array(z.object({ kty: z.string().optional(), crv: z.string().optional(), x: z.string().optional() })) })
      .parse(body).keys;
  });
}

/** KIE_WEBHOOK_HMAC_KEY: shown only on Kie's settings page (https://docs.kie.ai/common-api/webhook-verification). */
export function kieKey(): string | undefined {
  return env().KIE_WEBHOOK_HMAC_KEY;
}
