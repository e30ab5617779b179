import 'server-only';
import { db } from '../db/client';
import { pokeVariation } from '../jobs/poke';
import { isWebhookVendor, verifyWebhookToken, type WebhookVendor } from './callback-url';
import { firstDelivery } from './replay';
import { verifyFal, verifyKie, verifyStandardWebhook, verifyWaveSpeed, type Verdict } from './schemes';
import { falKeys, kieKey, replicateSecret, waveSpeedSecret } from './secrets';

/** Callbacks carry the job's state, never images (Replicate's may echo data-URI inputs: ≤ 256 KB each). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const answer = (status: number, message: string) =>
  Response.json(status < 300 ? { ok: true, message } : { error: { message } }, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * One vendor callback: the URL's token names the variation, the vendor's signature proves the
 * sender (where the vendor signs, and a key is at hand), the timestamp and the message key keep
 * a replay out. Then the variation's poll loop is woken. Nothing in the body is trusted or
 * stored: the adapter's authenticated poll decides, so a forged or replayed call changes nothing
 * and a genuine one only brings the next poll forward.
 */
export async function receiveWebhook(vendorParam: string, req: Request): Promise<Response> {
  if (!isWebhookVendor(vendorParam)) return answer(404, 'No webhooks for this vendor.');
  const vendor: WebhookVendor = vendorParam;
  const url = new URL(req.url);
  const variationId = url.searchParams.get('v');
  if (!verifyWebhookToken(vendor, variationId, url.searchParams.get('t')) || !variationId) return answer(401, 'Unknown callback.');

  const body = await readCapped(req);
  if (body === undefined) return answer(413, 'Body too large.');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return answer(400, 'Body is not JSON.');
  }

  let verdict: Verdict | 'hint';
  try {
    verdict = await verifyFor(vendor, req.headers, body, json);
  } catch (e) {
    // The key could not be fetched: the vendor retries later, and polling goes on meanwhile.
    console.error(`[webhooks] ${vendor}: no key to verify with:`, e instanceof Error ? e.message : e);
    return answer(503, 'Cannot verify now.');
  }
  if (verdict !== 'hint') {
    if (!verdict.ok) return answer(verdict.status, `Refused: ${verdict.reason}.`);
    if (!firstDelivery(verdict.replayKey)) return answer(400, 'Refused: already received.');
  }

  const row = await db().variation.findUnique({ where: { id: variationId }, select: { provider: true, jobId: true } });
  if (!row || row.provider !== vendor) return answer(200, 'Nothing to do.');
  const claimed = jobIdOf(vendor, req.headers, json);
  // A genuine call for another job of this account (an older generation, another variation) is not this one's.
  if (row.jobId && claimed !== row.jobId) return answer(400, 'Refused: not this variation’s job.');
  pokeVariation(variationId);
  return answer(200, 'Polling now.');
}

async function verifyFor(vendor: WebhookVendor, headers: Headers, body: string, json: unknown): Promise<Verdict | 'hint'> {
  const signed = { headers, body };
  switch (vendor) {
    case 'replicate':
      return retryWithFreshKey(
        (fresh) => replicateSecret(fresh),
        (secret) => verifyStandardWebhook(signed, secret),
      );
    case 'wavespeed':
      return retryWithFreshKey(
        (fresh) => waveSpeedSecret(fresh),
        (secret) => verifyWaveSpeed(signed, secret),
      );
    case 'fal':
      return retryWithFreshKey(
        (fresh) => falKeys(fresh),
        (keys) => verifyFal(signed, keys),
      );
    case 'kie': {
      const key = kieKey();
      // Without the key (it lives on Kie's settings page) the call is a hint: at most one extra poll.
      return key ? verifyKie(signed, jobIdOf('kie', headers, json), key) : 'hint';
    }
  }
}

/** A mismatch may mean a rotated key: fetch it once more (rate-limited in secrets.ts). */
async function retryWithFreshKey<K>(
  load: (fresh: boolean) => Promise<K | undefined>,
  check: (key: K) => Verdict,
): Promise<Verdict | 'hint'> {
  const key = await load(false);
  if (key === undefined) return { ok: false, status: 401, reason: 'no key to verify with' };
  const first = check(key);
  if (first.ok || first.status !== 401) return first;
  const again = await load(true);
  return again === undefined || again === key ? first : check(again);
}

/** The vendor's job id as the call names it; compared with the one stored, never used to act. */
function jobIdOf(vendor: WebhookVendor, headers: Headers, json: unknown): string | undefined {
  const o = (json ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  switch (vendor) {
    case 'replicate':
    case 'wavespeed':
      // Replicate posts the prediction; WaveSpeed the prediction too (id at the top or under data).
      return str(o.id) ?? str((o.data as Record<string, unknown> | undefined)?.id);
    case 'fal':
      return str(headers.get('x-fal-webhook-request-id')) ?? str(o.request_id);
    case 'kie': {
      // Kie's market callbacks carry data.taskId; its verification sample reads data.task_id.
      const data = (o.data ?? {}) as Record<string, unknown>;
      return str(data.taskId) ?? str(data.task_id);
    }
  }
}

/** The body as text, read once; undefined past MAX_BODY_BYTES (stops reading there). */
async function readCapped(req: Request): Promise<string | undefined> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return undefined;
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
