import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { env } from '../env';
import { urlSigningKey } from '../perimeter/signed-url';

/** Vendors that call back on completion, and how each takes the URL (see their adapter.ts). */
const WEBHOOK_VENDORS = ['replicate', 'fal', 'kie', 'wavespeed'] as const;
export type WebhookVendor = (typeof WEBHOOK_VENDORS)[number];

export function isWebhookVendor(v: string): v is WebhookVendor {
  return (WEBHOOK_VENDORS as readonly string[]).includes(v);
}

/**
 * Binds a callback to one variation of one vendor. Keyed with the input-URL key under another
 * label, so it verifies after a restart and across servers sharing URL_SIGNING_SECRET. Every
 * vendor here keeps query parameters on the URL it calls back (Replicate documents it:
 * https://replicate.com/docs/topics/webhooks/setup-webhook), so even a vendor that signs nothing
 * can only poke the variation it was given, and a guessed id is refused.
 */
function tokenFor(vendor: string, variationId: string): string {
  return createHmac('sha256', urlSigningKey()).update(`webhooks:${vendor}:${variationId}`).digest('base64url');
}

/** `<PUBLIC_BASE_URL>/api/webhooks/<vendor>?v=<id>&t=<HMAC>`, or undefined without PUBLIC_BASE_URL. */
export function webhookUrlFor(vendor: string, variationId: string): string | undefined {
  const base = env().PUBLIC_BASE_URL;
  if (!base || !isWebhookVendor(vendor)) return undefined;
  return `${base}/api/webhooks/${vendor}?v=${encodeURIComponent(variationId)}&t=${tokenFor(vendor, variationId)}`;
}

export function verifyWebhookToken(vendor: WebhookVendor, variationId: string | null, token: string | null): boolean {
  if (!variationId || !token || variationId.length > 100 || !/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const expected = Buffer.from(tokenFor(vendor, variationId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
