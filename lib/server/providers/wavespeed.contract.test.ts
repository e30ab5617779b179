import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWaveSpeedFake, WAVESPEED_FAKE_MODELS } from '@/e2e/fakes/wavespeed';
import { parseSize } from '@/lib/providers/catalog';
import { WAVESPEED_TARGETS } from '@/lib/providers/targets/wavespeed';
import { fakeImage, type FakeMode, type FakeServer, type RecordedRequest } from '@/e2e/fakes/kit';
import { ProviderError, type ProviderErrorCode } from './errors';
import type { EditRequest, InputImage, PollResult, ProviderAdapter } from './types';
import { createWaveSpeedAdapter } from './wavespeed';
import { wan25Size } from './wavespeed-wire';

const KEY = 'ws_test_key_0123456789abcdef';
let fake: FakeServer;
let adapter: ProviderAdapter;
let images: InputImage[];
const ctx = () => ({ signal: new AbortController().signal });

async function input(seed: number, name: string): Promise<InputImage> {
  const bytes = await fakeImage(seed, 400, 300, 'png');
  return { bytes, mime: 'image/png', width: 400, height: 300, filename: name, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function req(over: Partial<EditRequest> = {}): EditRequest {
  return {
    model: 'alibaba/wan-2.7/image-edit',
    prompt: 'Put the cat from image 1 on the sofa from image 2',
    images,
    seed: 4242,
    outputFormat: 'png',
    idempotencyKey: 'idem-1',
    ...over,
  };
}

async function runToEnd(a: ProviderAdapter, handle: string): Promise<{ states: string[]; last: PollResult }> {
  const states: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await a.poll(handle, ctx());
    states.push(r.state);
    if (r.state !== 'queued' && r.state !== 'running') return { states, last: r };
  }
  throw new Error('job never finished');
}

async function caught(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  const err = e as ProviderError;
  expect(err.message).not.toContain(KEY);
  return err;
}

const submits = (): RecordedRequest[] => fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v3/alibaba/'));

beforeAll(async () => {
  fake = await startWaveSpeedFake();
  adapter = createWaveSpeedAdapter({ apiKey: KEY, baseUrl: fake.url });
  images = [await input(1, 'image-1.png'), await input(2, 'image-2.png')];
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe('WaveSpeed adapter against the fake (real HTTP)', () => {
  it('is configured only with a key, and never calls out without one', async () => {
    expect(adapter.configured()).toBe(true);
    const bare = createWaveSpeedAdapter({ baseUrl: fake.url });
    expect(bare.configured()).toBe(false);
    expect((await caught(bare.submit(req(), ctx()))).code).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });

  it('uploads, submits, polls created → processing → completed, and the output downloads once', async () => {
    const sub = await adapter.submit(req(), ctx());
    expect(sub.kind).toBe('pending');
    if (sub.kind !== 'pending') return;
    expect(sub.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(sub.handle)).toMatchObject({ id: sub.jobId, model: 'alibaba/wan-2.7/image-edit' });

    const { states, last } = await runToEnd(adapter, sub.handle);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    if (last.state !== 'succeeded') throw new Error('expected success');
    expect(last.images).toHaveLength(1);
    expect(last.blockedCount).toBeUndefined();
    expect(last.usage?.details).toEqual({ 'timings.inference_ms': 2500 });
    const url = last.images[0]?.url ?? '';
    expect(url.startsWith(fake.url)).toBe(true);

    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect((await fetch(url)).status).toBe(404);
  });

  it('sends the documented fields: Bearer key, multipart uploads, prompt/images/seed, no sync mode', async () => {
    await adapter.submit(req(), ctx());
    const uploads = fake.requests.filter((r) => r.path === '/api/v3/media/upload/binary');
    expect(uploads).toHaveLength(2);
    for (const u of uploads) {
      expect(u.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(String(u.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    }
    const [s] = submits();
    expect(s?.path).toBe('/api/v3/alibaba/wan-2.7/image-edit');
    expect(s?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = s?.body as Record<string, unknown>;
    expect(body.prompt).toBe('Put the cat from image 1 on the sofa from image 2');
    expect(body.seed).toBe(4242);
    expect(body.enable_sync_mode).toBe(false);
    const sent = body.images as string[];
    expect(sent).toHaveLength(2);
    for (const u of sent) expect(u.startsWith(`${fake.url}/media/`)).toBe(true);
    // The uploaded bytes are what the vendor will fetch, in order.
    const back = Buffer.from(await (await fetch(sent[1] ?? '')).arrayBuffer());
    expect(back.equals(images[1]?.bytes ?? Buffer.alloc(0))).toBe(true);
    // 2.7 documents neither size nor negative prompt on WaveSpeed.
    expect(body).not.toHaveProperty('size');
    expect(body).not.toHaveProperty('negative_prompt');
  });

  it('maps size and negative prompt for Wan 2.5 into its "W*H" pixel budget', async () => {
    const sub = await adapter.submit(
      req({ model: 'alibaba/wan-2.5/image-edit', size: { width: 2048, height: 2048 }, negativePrompt: ' blurry ', seed: -7 }),
      ctx(),
    );
    expect(sub.kind).toBe('pending');
    const body = submits()[0]?.body as Record<string, unknown>;
    expect(body.size).toBe('1280*1280');
    expect(body.negative_prompt).toBe('blurry');
    expect(body.seed).toBe(7);
    expect(wan25Size({ width: 512, height: 512 })).toBe('768*768');
    expect(wan25Size({ width: 4000, height: 500 })).toMatch(/^\d+\*\d+$/);
    const [w, h] = wan25Size({ width: 4000, height: 500 }).split('*').map(Number);
    expect((w ?? 0) / (h ?? 1)).toBeLessThanOrEqual(4);
    expect((w ?? 0) * (h ?? 0)).toBeLessThanOrEqual(1280 * 1280);
  });

  it('turns the fake’s own validation (too many images for 2.5) into bad_input', async () => {
    const three = [...images, await input(3, 'image-3.png')];
    const err = await caught(adapter.submit(req({ model: 'alibaba/wan-2.5/image-edit', images: three }), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('at most 2');
  });

  it('reads a failed job inside HTTP 200 as provider_error', async () => {
    fake.setMode('fail_in_200');
    const sub = await adapter.submit(req(), ctx());
    if (sub.kind !== 'pending') throw new Error('expected pending');
    const { last } = await runToEnd(adapter, sub.handle);
    expect(last.state).toBe('failed');
    if (last.state !== 'failed') return;
    expect(last.error.code).toBe('provider_error');
    expect(last.error.message).toContain('GPU memory');
  });

  it('withholds NSFW-flagged outputs: content_policy, blocked output', async () => {
    const sub = await adapter.submit(req(), ctx());
    if (sub.kind !== 'pending') throw new Error('expected pending');
    fake.setMode('content_policy');
    const { last } = await runToEnd(adapter, sub.handle);
    if (last.state !== 'failed') throw new Error(`expected failure, got ${last.state}`);
    expect(last.error.code).toBe('content_policy');
    expect(last.error.blocked).toBe('output');
  });

  const submitModes: [FakeMode, ProviderErrorCode][] = [
    ['auth', 'auth'],
    ['insufficient_funds', 'insufficient_funds'],
    ['bad_input', 'bad_input'],
    ['server_error', 'provider_error'],
    ['malformed_json', 'provider_error'],
  ];
  for (const [mode, code] of submitModes) {
    it(`maps ${mode} at submit to ${code}`, async () => {
      fake.setMode(mode);
      const err = await caught(adapter.submit(req(), ctx()));
      expect(err.code).toBe(code);
    });
  }

  it('maps 429 to rate_limited honouring Retry-After, also while polling', async () => {
    fake.setMode('rate_limit');
    const err = await caught(adapter.submit(req(), ctx()));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1000);
    fake.setMode('ok');
    const sub = await adapter.submit(req(), ctx());
    if (sub.kind !== 'pending') throw new Error('expected pending');
    fake.setMode('rate_limit', 1);
    const pollErr = await caught(adapter.poll(sub.handle, ctx()));
    expect(pollErr.code).toBe('rate_limited');
    expect((await adapter.poll(sub.handle, ctx())).state).toBe('queued');
  });

  it('gives up on a hanging vendor with timeout', async () => {
    const quick = createWaveSpeedAdapter({ apiKey: KEY, baseUrl: fake.url, requestTimeoutMs: 300 });
    fake.setMode('hang');
    const started = Date.now();
    const err = await caught(quick.submit(req(), ctx()));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers 401 in WaveSpeed’s envelope to a request without a Bearer key', async () => {
    const res = await fetch(`${fake.url}/api/v3/alibaba/wan-2.7/image-edit`, {
      method: 'POST',
      headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 401 });
  });

  it('keeps the key out of error messages even when the vendor echoes it', async () => {
    const leaky = createWaveSpeedAdapter({ apiKey: KEY, baseUrl: `${fake.url}/${KEY}` });
    const err = await caught(leaky.submit(req(), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('[redacted]');
  });

  it('offers only targets the fake serves, within their reference limits and with parseable sizes', () => {
    expect(WAVESPEED_TARGETS.map((t) => t.id)).toEqual(Object.keys(WAVESPEED_FAKE_MODELS).map((m) => `wavespeed:${m}`));
    for (const t of WAVESPEED_TARGETS) {
      expect(t.capabilities.maxReferences).toBeLessThanOrEqual(WAVESPEED_FAKE_MODELS[t.model] ?? 0);
      for (const s of t.capabilities.sizes.filter((x) => x !== 'auto')) expect(parseSize(s)).toBeDefined();
    }
  });
});
