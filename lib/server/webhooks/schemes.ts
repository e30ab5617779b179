import 'server-only';
import { createHash, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

/** Every vendor here allows 5 minutes either way (Standard Webhooks, WaveSpeed's WebhookMaxAgeSeconds = 300). */
export const TOLERANCE_SECONDS = 300;

export type Verdict =
  /** `replayKey`: what a second delivery of the same message would repeat. */
  { ok: true; replayKey: string } | { ok: false; status: 400 | 401; reason: string };

const refuse = (status: 400 | 401, reason: string): Verdict => ({ ok: false, status, reason });

function freshTimestamp(value: string | null, now: number): Verdict | undefined {
  if (!value || !/^\d{1,12}$/.test(value)) return refuse(400, 'missing or malformed timestamp');
  if (Math.abs(now / 1000 - Number(value)) > TOLERANCE_SECONDS) return refuse(400, 'timestamp outside the tolerance window');
  return undefined;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

type Signed = { headers: Headers; body: string; now?: number };

/**
 * Replicate signs with Standard Webhooks (https://replicate.com/docs/topics/webhooks/verify-webhook):
 * `webhook-signature` lists space-separated `v1,<base64 HMAC-SHA256>` of "id.timestamp.body",
 * keyed with the base64 after `whsec_` of GET /v1/webhooks/default/secret.
 */
export function verifyStandardWebhook({ headers, body, now = Date.now() }: Signed, secret: string): Verdict {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !signatures || id.length > 200) return refuse(400, 'missing webhook-id or webhook-signature');
  const stale = freshTimestamp(timestamp, now);
  if (stale) return stale;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const match = signatures.split(' ').some((entry) => {
    const [version, sig] = entry.split(',');
    return version === 'v1' && sig !== undefined && sameBytes(Buffer.from(sig, 'base64'), expected);
  });
  return match ? { ok: true, replayKey: `replicate:${id}` } : refuse(401, 'signature does not match');
}

/**
 * WaveSpeed (https://wavespeed.ai/docs/verify-webhooks): headers as Standard Webhooks, but the
 * signature is `v3,<hex HMAC-SHA256>` of "id.timestamp.body" and the key is the secret's text
 * after `whsec_`, not base64-decoded (GET /api/v3/webhook/secret).
 */
export function verifyWaveSpeed({ headers, body, now = Date.now() }: Signed, secret: string): Verdict {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !signature || id.length > 200) return refuse(400, 'missing webhook-id or webhook-signature');
  const stale = freshTimestamp(timestamp, now);
  if (stale) return stale;
  const [version, hex] = signature.split(',');
  if (version !== 'v3' || !hex || !/^[0-9a-f]{64}$/i.test(hex)) return refuse(401, 'signature does not match');
  const expected = createHmac('sha256', secret.replace(/^whsec_/, ''))
    .update(`${id}.${timestamp}.${body}`)
    .digest();
  return sameBytes(Buffer.from(hex, 'hex'), expected)
    ? { ok: true, replayKey: `wavespeed:${id}` }
    : refuse(401, 'signature does not match');
}

export type Jwk = { kty?: string; crv?: string; x?: string; kid?: string };

/**
 * fal (https://docs.fal.ai/model-endpoints/webhooks, "Verifying your webhook"): an ED25519
 * signature, hex in X-Fal-Webhook-Signature, over "request_id\nuser_id\ntimestamp\nsha256hex(body)"
 * from the X-Fal-Webhook-Request-Id, -User-Id and -Timestamp headers, checked against any key of
 * fal's JWKS (https://rest.alpha.fal.ai/.well-known/jwks.json). The message layout as implemented
 * by third parties that follow those docs (e.g. smarenkov/fal-ai-webhook-verification).
 * fal sends no message id: request id + timestamp is what a replay repeats.
 */
export function verifyFal({ headers, body, now = Date.now() }: Signed, keys: Jwk[]): Verdict {
  const requestId = headers.get('x-fal-webhook-request-id');
  const userId = headers.get('x-fal-webhook-user-id');
  const timestamp = headers.get('x-fal-webhook-timestamp');
  const signature = headers.get('x-fal-webhook-signature');
  if (!requestId || userId === null || !signature || requestId.length > 200) return refuse(400, 'missing X-Fal-Webhook headers');
  const stale = freshTimestamp(timestamp, now);
  if (stale) return stale;
  if (!/^[0-9a-f]{128}$/i.test(signature)) return refuse(401, 'signature does not match');
  const message = Buffer.from([requestId, userId, timestamp, createHash('sha256').update(body).digest('hex')].join('\n'));
  const sig = Buffer.from(signature, 'hex');
  const match = keys.some((jwk) => {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return false;
    try {
      return verify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }), sig);
    } catch {
      return false;
    }
  });
  return match ? { ok: true, replayKey: `fal:${requestId}:${timestamp}` } : refuse(401, 'signature does not match');
}

/**
 * Kie (https://docs.kie.ai/common-api/webhook-verification): with a webhookHmacKey set in Kie's
 * settings, X-Webhook-Signature is base64 HMAC-SHA256 of "taskId.timestamp" (X-Webhook-Timestamp).
 * The body itself is not signed: only the task id is trusted from it, and the caller checks that
 * id against the variation's own job (the poll reads everything else from Kie).
 */
export function verifyKie({ headers, now = Date.now() }: Signed, taskId: string | undefined, key: string): Verdict {
  const timestamp = headers.get('x-webhook-timestamp');
  const signature = headers.get('x-webhook-signature');
  if (!signature || !taskId) return refuse(400, 'missing X-Webhook-Signature or task id');
  const stale = freshTimestamp(timestamp, now);
  if (stale) return stale;
  const expected = createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest();
  return sameBytes(Buffer.from(signature, 'base64'), expected)
    ? { ok: true, replayKey: `kie:${taskId}:${timestamp}` }
    : refuse(401, 'signature does not match');
}
