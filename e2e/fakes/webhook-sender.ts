/**
 * How the fakes call back, each signed as its vendor signs (schemes and sources in
 * lib/server/webhooks/schemes.ts). A job submitted with a callback URL finishes after
 * FAKE_WEBHOOK_DELAY_MS (default 150 ms), whatever the poll count, and then the fake calls back:
 * a poll after that finds the job done.
 */
import { createHash, createHmac, generateKeyPairSync, randomUUID, sign } from 'node:crypto';

/** Standard Webhooks secret, as GET /v1/webhooks/default/secret returns it (base64 after the prefix). */
export const REPLICATE_FAKE_WEBHOOK_SECRET = `whsec_${Buffer.from('proofsheet-fake-replicate-signing-key').toString('base64')}`;
/** WaveSpeed's secret; its text after `whsec_` is the HMAC key as is. */
export const WAVESPEED_FAKE_WEBHOOK_SECRET = 'whsec_proofsheet-fake-wavespeed-key';
/** Kie's webhookHmacKey (set KIE_WEBHOOK_HMAC_KEY to it). */
export const KIE_FAKE_WEBHOOK_KEY = 'proofsheet-fake-kie-hmac-key';

const falPair = generateKeyPairSync('ed25519');
/** fal's JWKS, as {FAL_STORAGE_BASE_URL}/.well-known/jwks.json serves it. */
export const FAL_FAKE_JWKS = { keys: [{ ...falPair.publicKey.export({ format: 'jwk' }), kid: 'fake-1', alg: 'EdDSA', use: 'sig' }] };

function webhookDelayMs(): number {
  return Number(process.env.FAKE_WEBHOOK_DELAY_MS ?? 150);
}

/** Runs `finish` after the delay, then posts what it returns. Errors only go to the log: a vendor's callback is best effort. */
export function callBackLater(url: string, finish: () => Promise<{ body: string; headers: Record<string, string> }>): void {
  const timer = setTimeout(async () => {
    try {
      const { body, headers } = await finish();
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      console.error('[fake webhook]', e instanceof Error ? e.message : e);
    }
  }, webhookDelayMs());
  timer.unref?.();
}

const now = () => String(Math.floor(Date.now() / 1000));

export function replicateSigned(body: string): Record<string, string> {
  const id = `msg_${randomUUID()}`;
  const ts = now();
  const key = Buffer.from(REPLICATE_FAKE_WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': ts,
    'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`,
  };
}

export function waveSpeedSigned(body: string): Record<string, string> {
  const id = randomUUID().replace(/-/g, '');
  const ts = now();
  const key = WAVESPEED_FAKE_WEBHOOK_SECRET.slice('whsec_'.length);
  return {
    'webhook-id': id,
    'webhook-timestamp': ts,
    'webhook-signature': `v3,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('hex')}`,
  };
}

export function falSigned(requestId: string, body: string): Record<string, string> {
  const ts = now();
  const userId = 'fake-user';
  const message = [requestId, userId, ts, createHash('sha256').update(body).digest('hex')].join('\n');
  return {
    'x-fal-webhook-request-id': requestId,
    'x-fal-webhook-user-id': userId,
    'x-fal-webhook-timestamp': ts,
    'x-fal-webhook-signature': sign(null, Buffer.from(message), falPair.privateKey).toString('hex'),
  };
}

export function kieSigned(taskId: string): Record<string, string> {
  const ts = now();
  return {
    'x-webhook-timestamp': ts,
    'x-webhook-signature': createHmac('sha256', KIE_FAKE_WEBHOOK_KEY).update(`${taskId}.${ts}`).digest('base64'),
  };
}
