import { beforeAll, describe, expect, it } from 'vitest';
import { ATLASCLOUD_FAKE_MODELS, startAtlasCloudFake } from '@/e2e/fakes/atlascloud';
import type { RecordedRequest } from '@/e2e/fakes/kit';
import { ATLASCLOUD_TARGETS } from '@/lib/providers/targets/atlascloud';
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
  useErrorLog,
  useFake,
} from '../testing/contract-kit';
import type { EditRequest, InputImage, ProviderAdapter } from '../types';
import { createAtlasCloudAdapter } from './adapter';
import { sizeTier } from './wire';

const KEY = 'atlas_test_key_0123456789abcdef';
const fake = useFake(startAtlasCloudFake);
const checks = useErrorLog(KEY, { moreThan: 10 });
let adapter: ProviderAdapter;
let images: InputImage[];
const caught = (p: Promise<unknown> | (() => Promise<unknown>)) => expectProviderError(p, checks);
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

const submits = (): RecordedRequest[] => fake().requests.filter((r) => r.path === '/api/v1/model/generateImage');
const handleOf = (id: string, at = Date.now()) => JSON.stringify({ v: 1, id, model: 'alibaba/wan-2.7/image-edit', at });

async function failedJob(mode: 'fail_in_200' | 'content_policy', when: 'submit' | 'poll') {
  if (when === 'submit') fake().setMode(mode);
  const sub = await expectPending(adapter.submit(req(), ctx()));
  fake().setMode(mode);
  const error = expectFailed((await pollToEnd(adapter, sub.handle)).last);
  checks.log.push(error.message);
  return error;
}

beforeAll(async () => {
  adapter = createAtlasCloudAdapter({ apiKey: KEY, baseUrl: fake().url });
  images = [await input(1, 'image-1.png'), await input(2, 'image-2.png')];
});

describe('Atlas Cloud adapter against the fake (real HTTP)', () => {
  it('is configured only with a key, and never calls out without one', async () => {
    expect(adapter.configured()).toBe(true);
    await expectRefusedWithoutKey(createAtlasCloudAdapter({ baseUrl: fake().url }), req(), fake(), checks);
  });

  it('uploads, submits, polls starting → processing → completed, and the output downloads once', async () => {
    const sub = await expectPending(adapter.submit(req(), ctx()));
    expect(sub.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(sub.pollAfterMs).toBe(3000);
    expect(JSON.parse(sub.handle)).toMatchObject({ v: 1, id: sub.jobId, model: 'alibaba/wan-2.7/image-edit' });

    const { states, last } = await pollToEnd(adapter, sub.handle);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    const done = expectSucceeded(last);
    expect(done.images).toHaveLength(1);
    const url = done.images[0]?.url ?? '';
    expect(url.startsWith(fake().url)).toBe(true);
    const { bytes, contentType } = await downloadOnce(url);
    expect(contentType).toBe('image/png');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('sends the documented shape: Bearer key, multipart uploads in order, a flat body with images/size/n/seed', async () => {
    await adapter.submit(req({ size: { width: 2048, height: 1536 } }), ctx());
    const uploads = fake().requests.filter((r) => r.path === '/api/v1/model/uploadMedia');
    expect(uploads).toHaveLength(2);
    for (const u of uploads) {
      expect(u.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(String(u.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    }
    const [s] = submits();
    expect(s?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = s?.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'alibaba/wan-2.7/image-edit', prompt: req().prompt, n: 1, seed: 4242, size: '2K' });
    expect(body).not.toHaveProperty('input');
    expect(body).not.toHaveProperty('negative_prompt');
    const sent = body.images as string[];
    expect(sent).toHaveLength(2);
    // The uploaded bytes are what the model will fetch, in the order given.
    const back = Buffer.from(await (await fetch(sent[1] ?? '')).arrayBuffer());
    expect(back.equals(images[1]?.bytes ?? Buffer.alloc(0))).toBe(true);
  });

  it('maps sizes to the 1K/2K tier, omits size for auto, and never sends seed 0', async () => {
    expect(sizeTier({ width: 1024, height: 1024 })).toBe('1K');
    expect(sizeTier({ width: 1600, height: 1200 })).toBe('2K');
    await adapter.submit(req({ model: 'alibaba/wan-2.7-pro/image-edit', seed: 0 }), ctx());
    const body = submits()[0]?.body as Record<string, unknown>;
    expect(body.model).toBe('alibaba/wan-2.7-pro/image-edit');
    expect(body.seed).toBe(2147483647);
    expect(body).not.toHaveProperty('size');
  });

  it('refuses a request without references before any call, and the fake’s own limit as bad_input', async () => {
    const none = await caught(adapter.submit(req({ images: [] }), ctx()));
    expect(none.code).toBe('bad_input');
    expect(fake().requests).toHaveLength(0);
    const four = [...images, await input(3, 'image-3.png'), await input(4, 'image-4.png')];
    const err = await caught(adapter.submit(req({ images: four }), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('at most 3');
  });

  it('reads a prediction failed inside HTTP 200 as provider_error (retryable)', async () => {
    for (const when of ['submit', 'poll'] as const) {
      fake().reset();
      const error = await failedJob('fail_in_200', when);
      expect(error.code).toBe('provider_error');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('upstream worker error');
    }
  });

  it('reads error_code 1039 as content_policy on the input', async () => {
    const error = await failedJob('content_policy', 'submit');
    expect(error.code).toBe('content_policy');
    expect(error.blocked).toBe('input');
    expect(error.providerCode).toBe('1039');
  });

  itMapsFailureModes(
    [
      ['auth', 'auth', { httpStatus: 401 }],
      ['insufficient_funds', 'insufficient_funds', { httpStatus: 402 }],
      // No Retry-After on Atlas's media endpoints: the shared default backoff applies.
      ['rate_limit', 'rate_limited', { retryAfterMs: 10_000, httpStatus: 429 }],
      ['bad_input', 'bad_input', { httpStatus: 400 }],
      ['server_error', 'provider_error', { httpStatus: 500 }],
      ['malformed_json', 'provider_error'],
    ],
    { fake, title: (mode, code) => `maps ${mode} at submit to ${code}`, attempt: () => adapter.submit(req(), ctx()), ...checks },
  );

  it('an error while polling is thrown, and the prediction lives on', async () => {
    const sub = await expectPending(adapter.submit(req(), ctx()));
    const { error, next } = await failOnePoll(fake(), adapter, sub.handle, 'rate_limit', checks);
    expect(error.code).toBe('rate_limited');
    expect(next.state).toBe('queued');
    const auth = await failOnePoll(fake(), adapter, sub.handle, 'auth', checks);
    expect(auth.error.code).toBe('auth');
  });

  it('treats a 404 on a young prediction as not visible yet, on an old one as bad_input', async () => {
    expect(await adapter.poll(handleOf('not-yet-visible'), ctx())).toEqual({ state: 'queued', pollAfterMs: 3000 });
    const err = await caught(adapter.poll(handleOf('long-gone', Date.now() - 60_000), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.httpStatus).toBe(404);
  });

  it('gives up on a hanging vendor with timeout, at submit and while polling', async () => {
    const quick = createAtlasCloudAdapter({ apiKey: KEY, baseUrl: fake().url, requestTimeoutMs: 300 });
    await expectTimeout(fake(), () => quick.submit(req(), ctx()), { ...checks, withinMs: 3000 });
    fake().setMode('ok');
    const sub = await expectPending(quick.submit(req(), ctx()));
    await expectTimeout(fake(), () => quick.poll(sub.handle, ctx()), checks);
  });

  it('answers a wrong path with 401 in Atlas’s envelope, which reads as auth', async () => {
    const res = await fetch(`${fake().url}/api/v1/model/generateImages`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await res.json()).toMatchObject({ code: 401, msg: 'unauthorized', data: null });
    const misrouted = createAtlasCloudAdapter({ apiKey: KEY, baseUrl: `${fake().url}/v2` });
    expect((await caught(misrouted.submit(req(), ctx()))).code).toBe('auth');
  });

  it('never lets the input-wrapped body through: the fake fails it the way the real API does', async () => {
    const res = await fetch(`${fake().url}/api/v1/model/generateImage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'alibaba/wan-2.7/image-edit', input: { prompt: 'x', images: [] } }),
    });
    const { data } = (await res.json()) as { data: { id: string } };
    const error = expectFailed((await pollToEnd(adapter, handleOf(data.id))).last);
    expect(error.code).toBe('bad_input');
    expect(error.message).toContain('Field required');
  });

  it('offers only targets the fake serves, within their reference limits and with parseable sizes', () => {
    expectTargetsServedByFake('atlascloud', ATLASCLOUD_TARGETS, ATLASCLOUD_FAKE_MODELS);
  });
});
