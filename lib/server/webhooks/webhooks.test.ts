import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFalFake } from '@/e2e/fakes/fal';
import { startKieFake } from '@/e2e/fakes/kie';
import type { FakeServer } from '@/e2e/fakes/kit';
import { startReplicateFake } from '@/e2e/fakes/replicate';
import { startWaveSpeedFake } from '@/e2e/fakes/wavespeed';
import { falSigned, KIE_FAKE_WEBHOOK_KEY, kieSigned, replicateSigned, waveSpeedSigned } from '@/e2e/fakes/webhook-sender';
import { useTempDataDir } from '@/lib/testing/temp-data';

// The studio's side of the callback: a loopback server handing requests to the route handler.
const bridge = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const vendor = /^\/api\/webhooks\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: Buffer.concat(chunks),
  });
  const answer = await route.POST(request, { params: Promise.resolve({ vendor }) });
  calls.push({ vendor, status: answer.status, at: Date.now() });
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(await answer.text());
});
await new Promise<void>((r) => bridge.listen(0, '127.0.0.1', r));
const bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
const calls: { vendor: string; status: number; at: number }[] = [];

const fakes = {
  replicate: await startReplicateFake(),
  fal: await startFalFake(),
  kie: await startKieFake(),
  wavespeed: await startWaveSpeedFake(),
};
const allow = Object.values(fakes)
  .map((f) => new URL(f.url).host)
  .join(',');
useTempDataDir({
  PUBLIC_BASE_URL: bridgeUrl,
  OUTBOUND_ALLOW_HOSTS: allow,
  REPLICATE_API_TOKEN: 'r8_test_token_123456',
  REPLICATE_BASE_URL: `${fakes.replicate.url}/v1`,
  REPLICATE_WAIT_SECONDS: '1',
  FAL_KEY: 'fal-key:secret',
  FAL_QUEUE_BASE_URL: fakes.fal.url,
  FAL_STORAGE_BASE_URL: fakes.fal.url,
  KIE_API_KEY: 'kie-key-123456',
  KIE_BASE_URL: fakes.kie.url,
  KIE_WEBHOOK_HMAC_KEY: KIE_FAKE_WEBHOOK_KEY,
  WAVESPEED_API_KEY: 'ws-key-123456',
  WAVESPEED_BASE_URL: fakes.wavespeed.url,
  FAKE_WEBHOOK_DELAY_MS: '100',
});

const route = await import('@/app/api/webhooks/[vendor]/route');
const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun: submitRunService } = await import('../services/runs');
const { submitRunSchema } = await import('@/lib/schemas/run');
// The service itself (the action wrapper needs a request scope): params parsed as the action would.
const submitRun = async (input: Record<string, unknown>) => ({
  ok: true as const,
  data: await submitRunService(ownerContext(), submitRunSchema.parse(input)),
  error: { message: '' },
});
const { startWorker, stopWorker } = await import('../jobs/worker');
const { activeJobs } = await import('../jobs/active');
const { waitForPoll } = await import('../jobs/poke');
const { webhookUrlFor } = await import('./callback-url');
const { storedImage } = await import('../jobs/testing/seed');

let sessionId = '';
let assetId = '';

beforeAll(async () => {
  sessionId = await createSession(ownerContext(), {});
  assetId = (await storedImage('#3366aa', 'upload', { width: 160, height: 120 })).id;
});

afterAll(async () => {
  await stopWorker();
  await Promise.all(Object.values(fakes).map((f: FakeServer) => f.close()));
  await new Promise<void>((r) => bridge.close(() => r()));
});

async function until<T>(fn: () => Promise<T | undefined | false | null>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Vendor = 'replicate' | 'fal' | 'kie' | 'wavespeed';

/** A running variation of `vendor` with job `jobId`, in flight in this process (as the worker would hold it). */
async function inFlight(vendor: Vendor, jobId: string, waitMs = 600) {
  const r = await submitRun({ sessionId, instruction: 'x', referenceIds: [assetId], targets: ['offline:engine-v1'], count: 1, seed: 1 });
  if (!r.ok) throw new Error(r.error.message);
  const v = await db().variation.findFirstOrThrow({ where: { runId: r.data.runId } });
  await db().variation.update({ where: { id: v.id }, data: { provider: vendor, status: 'running', jobId, leaseToken: 'tok' } });
  const abort = new AbortController();
  activeJobs.set(v.id, { token: 'tok', provider: vendor, suspect: false, soft: abort, hard: new AbortController() });
  // The poll loop's wait: 'poke' if a callback cut it short, 'timer' after waitMs otherwise.
  const wait = waitForPoll(v.id, waitMs, abort.signal);
  const before = JSON.stringify(await db().variation.findUniqueOrThrow({ where: { id: v.id } }));
  const done = async () => {
    activeJobs.delete(v.id);
    expect(JSON.stringify(await db().variation.findUniqueOrThrow({ where: { id: v.id } }))).toBe(before);
  };
  return { id: v.id, url: webhookUrlFor(vendor, v.id)!, wait, done };
}

function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** A genuine call for `jobId`, signed as the vendor signs. */
function signedFor(vendor: Vendor, jobId: string): { body: string; headers: Record<string, string> } {
  const body =
    vendor === 'fal'
      ? JSON.stringify({ request_id: jobId, status: 'OK', payload: null })
      : vendor === 'kie'
        ? JSON.stringify({ code: 200, data: { taskId: jobId, state: 'success' } })
        : JSON.stringify({ id: jobId, status: 'succeeded' });
  const headers =
    vendor === 'replicate'
      ? replicateSigned(body)
      : vendor === 'wavespeed'
        ? waveSpeedSigned(body)
        : vendor === 'fal'
          ? falSigned(jobId, body)
          : kieSigned(jobId);
  return { body, headers };
}

const SIG_HEADER: Record<Vendor, string> = {
  replicate: 'webhook-signature',
  wavespeed: 'webhook-signature',
  fal: 'x-fal-webhook-signature',
  kie: 'x-webhook-signature',
};
const TS_HEADER: Record<Vendor, string> = {
  replicate: 'webhook-timestamp',
  wavespeed: 'webhook-timestamp',
  fal: 'x-fal-webhook-timestamp',
  kie: 'x-webhook-timestamp',
};

describe.each(['replicate', 'fal', 'kie', 'wavespeed'] as const)('%s callbacks', (vendor) => {
  it('a genuine signed call is accepted and polls at once', async () => {
    const v = await inFlight(vendor, `job-${vendor}-1`, 8000);
    const { body, headers } = signedFor(vendor, `job-${vendor}-1`);
    expect((await post(v.url, body, headers)).status).toBe(200);
    expect(await v.wait).toBe('poke');
    await v.done();
  });

  const refusals: [
    string,
    (s: { body: string; headers: Record<string, string> }, url: string) => [string, string, Record<string, string>],
  ][] = [
    [
      'a forged signature',
      (s, url) => [
        url,
        s.body,
        {
          ...s.headers,
          [SIG_HEADER[vendor]]:
            vendor === 'fal'
              ? 'ab'.repeat(64)
              : vendor === 'wavespeed'
                ? `v3,${'0'.repeat(64)}`
                : vendor === 'kie'
                  ? Buffer.alloc(32).toString('base64')
                  : `v1,${Buffer.alloc(32).toString('base64')}`,
        },
      ],
    ],
    [
      'a timestamp outside the window',
      (s, url) => [url, s.body, { ...s.headers, [TS_HEADER[vendor]]: String(Math.floor(Date.now() / 1000) - 3600) }],
    ],
    ['an unknown variation token', (s, url) => [url.replace(/t=[^&]+/, `t=${'A'.repeat(43)}`), s.body, s.headers]],
    ['another variation’s token', (s, url) => [url.replace(/v=[^&]+/, 'v=someone-else'), s.body, s.headers]],
  ];
  if (vendor !== 'kie') refusals.push(['a tampered body', (s, url) => [url, s.body.replace('job-', 'jab-'), s.headers]]);
  // Kie signs only the task id: a call for another task is refused by the id check.
  else
    refusals.push([
      'a call for another task',
      (s, url) => [url, s.body.replace(/job-kie-\w+/, 'job-kie-other'), kieSigned('job-kie-other')],
    ]);

  it.each(refusals)('%s is refused, changes nothing and polls nothing', async (_name, tamper) => {
    const v = await inFlight(vendor, `job-${vendor}-2`);
    const [url, body, headers] = tamper(signedFor(vendor, `job-${vendor}-2`), v.url);
    const res = await post(url, body, headers);
    expect([400, 401]).toContain(res.status);
    expect(await v.wait).toBe('timer');
    await v.done();
  });

  it('a replayed message is refused the second time', async () => {
    const v = await inFlight(vendor, `job-${vendor}-3`, 8000);
    const signed = signedFor(vendor, `job-${vendor}-3`);
    expect((await post(v.url, signed.body, signed.headers)).status).toBe(200);
    expect(await v.wait).toBe('poke');
    const again = waitForPoll(v.id, 600, new AbortController().signal);
    expect((await post(v.url, signed.body, signed.headers)).status).toBe(400);
    expect(await again).toBe('timer');
    await v.done();
  });
});

describe('end to end with the fakes', () => {
  it('a Replicate job that calls back finishes long before its poll schedule', async () => {
    startWorker();
    const started = Date.now();
    const r = await submitRun({
      sessionId,
      instruction: 'make it warmer',
      referenceIds: [assetId],
      targets: ['replicate:black-forest-labs/flux-kontext-pro'],
      count: 1,
      seed: 3,
    });
    if (!r.ok) throw new Error(r.error.message);
    const v = await until(() => db().variation.findFirst({ where: { runId: r.data.runId, status: 'succeeded' } }));
    // Without the callback: created "starting", polled after 1 s ("processing"), then a second
    // poll 1.5 s later finds it done. With it: one poll, right after the call. Counted, not timed,
    // so a loaded machine cannot fail it.
    const callback = calls.find((c) => c.vendor === 'replicate' && c.status === 200 && c.at >= started);
    expect(callback).toBeTruthy();
    const polls = fakes.replicate.requests.filter((q) => q.method === 'GET' && q.path === `/v1/predictions/${v.jobId}`);
    expect(polls.length).toBe(1);
    const create = fakes.replicate.requests.find((q) => q.method === 'POST' && q.path.endsWith('/predictions'));
    expect(create?.body).toMatchObject({ webhook: webhookUrlFor('replicate', v.id), webhook_events_filter: ['completed'] });
  });
});
