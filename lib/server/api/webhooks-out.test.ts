import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createToken } = await import('../services/tokens');
const { notifyVariationChanged } = await import('../events/notify');
const { createApiRun } = await import('./runs');
const { signWebhook, verifyWebhook } = await import('./webhook-signature');
const { deliverWebhook, sendBatchWebhook, watchRunWebhook } = await import('./webhooks-out');
const { storedImage } = await import('../jobs/testing/seed');

type Hit = { body: string; signature: string | undefined };
let server: Server;
let port = 0;
let hits: Hit[] = [];
let failFirst = 0;

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    hits.push({ body: await read(req), signature: req.headers['x-proofsheet-signature'] as string | undefined });
    res.statusCode = hits.length <= failFirst ? 503 : 200;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const allow = () => ({ allow: [`127.0.0.1:${port}`] });

describe('webhook signatures', () => {
  it('round-trips, and refuses a tampered body, another secret, a bad header or an old timestamp', () => {
    const body = '{"type":"run.finished"}';
    const now = Date.now();
    const sig = signWebhook('whsec_a', body, now);
    expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_a', sig, body, now)).toBe(true);
    expect(verifyWebhook('whsec_a', sig, `${body} `, now)).toBe(false);
    expect(verifyWebhook('whsec_b', sig, body, now)).toBe(false);
    expect(verifyWebhook('whsec_a', sig.replace(/v1=./, 'v1=0'), body, now)).toBe(sig.includes('v1=0'));
    expect(verifyWebhook('whsec_a', 'garbage', body, now)).toBe(false);
    expect(verifyWebhook('whsec_a', sig, body, now + 10 * 60_000)).toBe(false);
  });
});

describe('webhook delivery', () => {
  it('retries with backoff until the listener answers 2xx, each attempt signed', async () => {
    hits = [];
    failFirst = 2;
    const result = await deliverWebhook(`http://127.0.0.1:${port}/hook`, 'whsec_x', '{"a":1}', { baseDelayMs: 5, guard: allow() });
    expect(result).toEqual({ delivered: true, attempts: 3 });
    expect(hits).toHaveLength(3);
    for (const h of hits) expect(verifyWebhook('whsec_x', h.signature ?? null, h.body)).toBe(true);
  });

  it('gives up after the attempts run out', async () => {
    hits = [];
    failFirst = 100;
    const result = await deliverWebhook(`http://127.0.0.1:${port}/hook`, 'whsec_x', '{}', { attempts: 3, baseDelayMs: 1, guard: allow() });
    expect(result.delivered).toBe(false);
    expect(result.lastError).toBe('HTTP 503');
    expect(hits).toHaveLength(3);
  });

  it('goes through the outbound guard: a loopback URL not allow-listed is never called', async () => {
    hits = [];
    failFirst = 0;
    const result = await deliverWebhook(`http://127.0.0.1:${port}/hook`, 'whsec_x', '{}', {
      attempts: 2,
      baseDelayMs: 1,
      guard: { allow: [] },
    });
    expect(result.delivered).toBe(false);
    expect(hits).toHaveLength(0);
  });

  it('tells the pipeline once when every variation of an API run is terminal', async () => {
    hits = [];
    failFirst = 0;
    const created = await createToken(ownerContext(), { name: 'pipe', scopes: ['run'] });
    const asset = await storedImage('#654321');
    const ctx = ownerContext();
    const run = await createApiRun(ctx, { referenceIds: [asset.id], instruction: 'teal', targets: ['offline:engine-v1'], count: 2 });
    await watchRunWebhook(
      { runId: run.id, sessionId: run.sessionId, tokenId: created.summary.id, url: `http://127.0.0.1:${port}/done` },
      { baseDelayMs: 1, guard: allow() },
    );
    // The worker is not running in this test: finish the variations by hand, as the engine would.
    for (const v of run.variations) {
      await db().variation.update({ where: { id: v.id }, data: { status: 'cancelled', finishedAt: new Date() } });
      await notifyVariationChanged(v.id);
    }
    await expect
      .poll(async () => (await db().apiRunWebhook.findUnique({ where: { runId: run.id } }))?.state, { timeout: 5000 })
      .toBe('delivered');
    expect(hits).toHaveLength(1);
    expect(verifyWebhook(created.webhookSecret, hits[0]!.signature ?? null, hits[0]!.body)).toBe(true);
    const event = JSON.parse(hits[0]!.body);
    expect(event).toMatchObject({ type: 'run.finished', run: { id: run.id, finished: true } });
  });
});

describe('batch webhook', () => {
  it('tells the pipeline once, signed, when a batch it created is done', async () => {
    hits = [];
    failFirst = 0;
    const created = await createToken(ownerContext(), { name: 'catalog', scopes: ['run'] });
    const session = await db().session.create({ data: { id: `wh-batch-session-${port}`, title: 'Batch', workspaceId: 'local' } });
    await db().batch.create({
      data: {
        id: `wh-batch-${port}`,
        workspaceId: 'local',
        sessionId: session.id,
        instruction: 'warm it up',
        params: '{}',
        targets: '[]',
        status: 'done',
        finishedAt: new Date(),
        webhookUrl: `http://127.0.0.1:${port}/batch`,
        tokenId: created.summary.id,
        items: { create: [{ id: `wh-item-${port}`, position: 0, referenceAssetId: 'a', status: 'done' }] },
      },
    });
    const result = await sendBatchWebhook(`wh-batch-${port}`, { baseDelayMs: 1, guard: allow() });
    expect(result).toMatchObject({ delivered: true, attempts: 1 });
    expect(hits).toHaveLength(1);
    expect(verifyWebhook(created.webhookSecret, hits[0]!.signature ?? null, hits[0]!.body)).toBe(true);
    expect(JSON.parse(hits[0]!.body)).toMatchObject({
      type: 'batch.finished',
      batch: { id: `wh-batch-${port}`, status: 'done', progress: { total: 1, done: 1, failed: 0 } },
    });
    // A batch with no webhook, or whose token was revoked, tells nobody.
    await db().apiToken.update({ where: { id: created.summary.id }, data: { revokedAt: new Date() } });
    expect(await sendBatchWebhook(`wh-batch-${port}`, { baseDelayMs: 1, guard: allow() })).toBeUndefined();
    expect(hits).toHaveLength(1);
  });
});
