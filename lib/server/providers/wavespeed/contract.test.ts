import { beforeAll, describe, expect, it } from 'vitest';
import { startWaveSpeedFake, WAVESPEED_FAKE_MODELS } from '@/e2e/fakes/wavespeed';
import { WAVESPEED_TARGETS } from '@/lib/providers/targets/wavespeed';
import type { RecordedRequest } from '@/e2e/fakes/kit';
import {
  downloadOnce,
  expectFailed,
  expectPending,
  expectProviderError,
  expectRefusedWithoutKey,
  expectSucceeded,
  expectTargetsServedByFake,
  expectTimeout,
  failOnePoll,
  fakeInput,
  itMapsFailureModes,
  pollToEnd,
  testCtx as ctx,
  useFake,
} from '../testing/contract-kit';
import type { EditRequest, InputImage, ProviderAdapter } from '../types';
import { createWaveSpeedAdapter } from './adapter';
import { wan25Size } from './wire';

const KEY = 'ws_test_key_0123456789abcdef';
const fake = useFake(startWaveSpeedFake);
let adapter: ProviderAdapter;
let images: InputImage[];
const caught = (p: Promise<unknown>) => expectProviderError(p, { secrets: [KEY] });
const input = (seed: number, name: string) => fakeInput(seed, 400, 300, name);

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

const submits = (): RecordedRequest[] => fake().requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v3/alibaba/'));

beforeAll(async () => {
  adapter = createWaveSpeedAdapter({ apiKey: KEY, baseUrl: fake().url });
  images = [await input(1, 'image-1.png'), await input(2, 'image-2.png')];
});

describe('WaveSpeed adapter against the fake (real HTTP)', () => {
  it('is configured only with a key, and never calls out without one', async () => {
    expect(adapter.configured()).toBe(true);
    await expectRefusedWithoutKey(createWaveSpeedAdapter({ baseUrl: fake().url }), req(), fake(), { secrets: [KEY] });
  });

  it('uploads, submits, polls created → processing → completed, and the output downloads once', async () => {
    const sub = await expectPending(adapter.submit(req(), ctx()));
    expect(sub.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(sub.handle)).toMatchObject({ id: sub.jobId, model: 'alibaba/wan-2.7/image-edit' });

    const { states, last } = await pollToEnd(adapter, sub.handle);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    const done = expectSucceeded(last);
    expect(done.images).toHaveLength(1);
    expect(done.blockedCount).toBeUndefined();
    expect(done.usage?.details).toEqual({ 'timings.inference_ms': 2500 });
    const url = done.images[0]?.url ?? '';
    expect(url.startsWith(fake().url)).toBe(true);

    const { bytes, contentType } = await downloadOnce(url);
    expect(contentType).toBe('image/png');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('sends the documented fields: Bearer key, two-step uploads, prompt/images/seed, no sync mode', async () => {
    await adapter.submit(req(), ctx());
    // WaveSpeedAI/wavespeed-python@a4207182 `upload()`: a ticket with Bearer, then a PUT to the signed URL without it.
    const tickets = fake().requests.filter((r) => r.path === '/api/v3/media/uploads');
    expect(tickets.map((t) => t.body)).toEqual(
      images.map((img) => ({ filename: img.filename, size: img.bytes.length, content_type: 'image/png' })),
    );
    for (const t of tickets) expect(t.headers.authorization).toBe(`Bearer ${KEY}`);
    const puts = fake().requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/__storage/'));
    expect(puts).toHaveLength(2);
    for (const p of puts) {
      expect(p.headers.authorization).toBeUndefined();
      expect([p.headers['content-type'], p.headers['if-none-match']]).toEqual(['image/png', '*']);
    }
    expect(fake().requests.some((r) => r.path === '/api/v3/media/upload/binary')).toBe(false);
    const [s] = submits();
    expect(s?.path).toBe('/api/v3/alibaba/wan-2.7/image-edit');
    expect(s?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = s?.body as Record<string, unknown>;
    expect(body.prompt).toBe('Put the cat from image 1 on the sofa from image 2');
    expect(body.seed).toBe(4242);
    expect(body.enable_sync_mode).toBe(false);
    const sent = body.images as string[];
    expect(sent).toHaveLength(2);
    for (const u of sent) expect(u.startsWith(`${fake().url}/media/`)).toBe(true);
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

  it('falls back to the binary upload when the ticket endpoint fails on WaveSpeed’s side', async () => {
    fake().setMode('server_error', 1);
    await adapter.submit(req({ images: [images[0]!] }), ctx());
    expect(fake().requests.map((r) => r.path)).toEqual([
      '/api/v3/media/uploads',
      '/api/v3/media/upload/binary',
      '/api/v3/alibaba/wan-2.7/image-edit',
    ]);
    const sent = (submits()[0]!.body as { images: string[] }).images;
    expect(Buffer.from(await (await fetch(sent[0]!)).arrayBuffer()).equals(images[0]!.bytes)).toBe(true);
  });

  it('does not fall back for a refused key or an empty wallet', async () => {
    for (const mode of ['auth', 'insufficient_funds'] as const) {
      fake().reset();
      fake().setMode(mode, 1);
      const err = await caught(adapter.submit(req({ images: [images[0]!] }), ctx()));
      expect(err.code).toBe(mode);
      expect(fake().requests.map((r) => r.path)).toEqual(['/api/v3/media/uploads']);
    }
  });

  it('the fake’s signed URL refuses what a presigned URL refuses: a key, other headers, a second PUT', async () => {
    const res = await fetch(`${fake().url}/api/v3/media/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'a.png', size: 4, content_type: 'image/png' }),
    });
    const { data } = (await res.json()) as { data: { upload: { url: string; headers: Record<string, string> } } };
    const put = (headers: Record<string, string>) => fetch(data.upload.url, { method: 'PUT', headers, body: new Uint8Array(4) });
    expect((await put({ ...data.upload.headers, authorization: `Bearer ${KEY}` })).status).toBe(400);
    expect((await put({ 'content-type': 'image/png' })).status).toBe(403);
    expect((await put(data.upload.headers)).status).toBe(200);
    expect((await put(data.upload.headers)).status).toBe(412);
  });

  it('never sends seed 0 or a negative seed (−1 is "random" on WaveSpeed, 0 at other Wan gateways)', async () => {
    await adapter.submit(req({ seed: 0 }), ctx());
    expect((submits()[0]!.body as { seed: number }).seed).toBe(2147483647);
  });

  it('turns the fake’s own validation (too many images for 2.5) into bad_input', async () => {
    const three = [...images, await input(3, 'image-3.png')];
    const err = await caught(adapter.submit(req({ model: 'alibaba/wan-2.5/image-edit', images: three }), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('at most 2');
  });

  it('reads a failed job inside HTTP 200 as provider_error', async () => {
    fake().setMode('fail_in_200');
    const sub = await expectPending(adapter.submit(req(), ctx()));
    const error = expectFailed((await pollToEnd(adapter, sub.handle)).last);
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('GPU memory');
  });

  it('withholds NSFW-flagged outputs: content_policy, blocked output', async () => {
    const sub = await expectPending(adapter.submit(req(), ctx()));
    fake().setMode('content_policy');
    const error = expectFailed((await pollToEnd(adapter, sub.handle)).last);
    expect(error.code).toBe('content_policy');
    expect(error.blocked).toBe('output');
  });

  itMapsFailureModes(
    [
      ['auth', 'auth'],
      ['insufficient_funds', 'insufficient_funds'],
      ['bad_input', 'bad_input'],
      ['server_error', 'provider_error'],
      ['malformed_json', 'provider_error'],
    ],
    { fake, title: (mode, code) => `maps ${mode} at submit to ${code}`, attempt: () => adapter.submit(req(), ctx()), secrets: [KEY] },
  );

  it('maps 429 to rate_limited honouring Retry-After, also while polling', async () => {
    fake().setMode('rate_limit');
    const err = await caught(adapter.submit(req(), ctx()));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1000);
    fake().setMode('ok');
    const sub = await expectPending(adapter.submit(req(), ctx()));
    const { error: pollErr, next } = await failOnePoll(fake(), adapter, sub.handle, 'rate_limit', { secrets: [KEY] });
    expect(pollErr.code).toBe('rate_limited');
    expect(next.state).toBe('queued');
  });

  it('gives up on a hanging vendor with timeout', async () => {
    const quick = createWaveSpeedAdapter({ apiKey: KEY, baseUrl: fake().url, requestTimeoutMs: 300 });
    await expectTimeout(fake(), () => quick.submit(req(), ctx()), { secrets: [KEY], withinMs: 3000 });
  });

  it('answers 401 in WaveSpeed’s envelope to a request without a Bearer key', async () => {
    const res = await fetch(`${fake().url}/api/v3/alibaba/wan-2.7/image-edit`, {
      method: 'POST',
      headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 401 });
  });

  it('keeps the key out of error messages even when the vendor echoes it', async () => {
    const leaky = createWaveSpeedAdapter({ apiKey: KEY, baseUrl: `${fake().url}/${KEY}` });
    const err = await caught(leaky.submit(req(), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('[redacted]');
  });

  it('offers only targets the fake serves, within their reference limits and with parseable sizes', () => {
    expectTargetsServedByFake('wavespeed', WAVESPEED_TARGETS, WAVESPEED_FAKE_MODELS);
  });
});
