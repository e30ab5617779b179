import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFalFake } from '@/e2e/fakes/fal';
import { fakeImage, type FakeMode, type FakeServer } from '@/e2e/fakes/kit';
import { isProviderError, type ProviderError } from './errors';
import { createFalAdapter } from './fal';
import type { AdapterConfig, EditRequest, InputImage, PollResult, ProviderAdapter } from './types';

const KEY = 'fal-key-id-7781:fal-secret-q9w8e7r6t5';
const ctx = () => ({ signal: new AbortController().signal });

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFalFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

function adapter(overrides: Partial<AdapterConfig> = {}): ProviderAdapter {
  return createFalAdapter({ apiKey: KEY, baseUrl: fake.url, options: { storageBaseUrl: fake.url }, requestTimeoutMs: 5000, ...overrides });
}

async function input(seed: number, filename: string): Promise<InputImage> {
  const bytes = await fakeImage(seed, 96, 64, 'png');
  return { bytes, mime: 'image/png', width: 96, height: 64, filename, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function editRequest(overrides: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'fal-ai/flux-pro/kontext',
    prompt: 'make the sky orange',
    images: [await input(1, 'image-1.png')],
    seed: 1234,
    outputFormat: 'png',
    idempotencyKey: 'var-1',
    ...overrides,
  };
}

/** Drives a job to a terminal state, returning every state seen (polls are instant against the fake). */
async function runJob(a: ProviderAdapter, req: EditRequest): Promise<PollResult[]> {
  const submitted = await a.submit(req, ctx());
  if (submitted.kind !== 'pending') throw new Error('fal should answer with a pending job');
  const states: PollResult[] = [];
  for (let i = 0; i < 10; i++) {
    const state = await a.poll(submitted.handle, ctx());
    states.push(state);
    if (state.state !== 'queued' && state.state !== 'running') break;
  }
  return states;
}

async function failure(run: () => Promise<unknown>): Promise<ProviderError> {
  try {
    await run();
  } catch (e) {
    if (isProviderError(e)) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

function lastFailure(states: PollResult[]): ProviderError {
  const last = states.at(-1);
  if (last?.state !== 'failed') throw new Error(`expected a failed job, got ${last?.state}`);
  return last.error;
}

describe('fal adapter against the fake queue', () => {
  it('is not configured without a key, and refuses to submit', async () => {
    const a = adapter({ apiKey: undefined });
    expect(a.configured()).toBe(false);
    expect(adapter().configured()).toBe(true);
    expect((await failure(async () => a.submit(await editRequest(), ctx()))).code).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });

  it('uploads, submits, walks the queue and downloads the output exactly once', async () => {
    const a = adapter();
    const states = await runJob(a, await editRequest({ size: { width: 1600, height: 900 }, guidance: 4.5 }));
    expect(states.map((s) => s.state)).toEqual(['queued', 'running', 'succeeded']);
    const done = states[2];
    if (done?.state !== 'succeeded') throw new Error('not succeeded');
    expect(done.usage?.details?.seed).toBe(1234);
    const url = done.images[0]?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__outputs\//);
    const first = await fetch(url!);
    expect(first.status).toBe(200);
    expect((await first.arrayBuffer()).byteLength).toBeGreaterThan(100);
    expect((await fetch(url!)).status).toBe(404);

    const initiate = fake.requests.find((r) => r.path.startsWith('/storage/upload/initiate'));
    expect(initiate?.path).toContain('storage_type=fal-cdn-v3');
    expect(initiate?.headers.authorization).toBe(`Key ${KEY}`);
    expect(initiate?.body).toEqual({ content_type: 'image/png', file_name: 'image-1.png' });
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path.startsWith('/upload/'));
    expect(put?.headers.authorization).toBeUndefined(); // the signed URL never sees the key
    expect(put?.headers['content-type']).toBe('image/png');

    const submit = fake.requests.find((r) => r.method === 'POST' && r.path === '/fal-ai/flux-pro/kontext');
    expect(submit?.headers.authorization).toBe(`Key ${KEY}`);
    const body = submit?.body as Record<string, unknown>;
    expect(body).toMatchObject({ prompt: 'make the sky orange', seed: 1234, guidance_scale: 4.5, output_format: 'png', aspect_ratio: '16:9', num_images: 1 });
    expect(body.image_url).toMatch(/\/files\/[\w-]+\/image-1\.png$/);
    expect(body).not.toHaveProperty('image_urls');
    // Status and result use owner/app only, as fal's returned URLs do.
    expect(fake.requests.some((r) => /^\/fal-ai\/flux-pro\/requests\/[\w-]+\/status$/.test(r.path))).toBe(true);
  });

  it('sends image_urls to multi-reference models and Wan-specific fields to Wan', async () => {
    const a = adapter();
    const images = [await input(1, 'image-1.png'), await input(2, 'image-2.png')];
    const states = await runJob(a, await editRequest({ model: 'fal-ai/flux-pro/kontext/max/multi', images }));
    expect(states.at(-1)?.state).toBe('succeeded');
    const multi = fake.requests.find((r) => r.path === '/fal-ai/flux-pro/kontext/max/multi')?.body as Record<string, unknown>;
    expect(multi.image_urls).toHaveLength(2);
    expect(multi).not.toHaveProperty('image_url');

    fake.reset();
    await runJob(a, await editRequest({ model: 'fal-ai/wan/v2.7/edit', images, negativePrompt: 'blur', size: { width: 1024, height: 768 } }));
    const wan = fake.requests.find((r) => r.path === '/fal-ai/wan/v2.7/edit')?.body as Record<string, unknown>;
    expect(wan).toMatchObject({ negative_prompt: 'blur', image_size: { width: 1024, height: 768 }, seed: 1234 });
    expect(wan).not.toHaveProperty('guidance_scale');
    expect(wan).not.toHaveProperty('output_format');
  });

  it.each<[FakeMode, string]>([
    ['auth', 'auth'],
    ['insufficient_funds', 'insufficient_funds'],
    ['rate_limit', 'rate_limited'],
    ['server_error', 'provider_error'],
    ['malformed_json', 'provider_error'],
  ])('maps %s on the HTTP call to %s, without leaking the key', async (mode, code) => {
    fake.setMode(mode);
    const error = await failure(async () => adapter().submit(await editRequest(), ctx()));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('fal-secret');
    if (mode === 'rate_limit') expect(error.retryAfterMs).toBe(1000);
  });

  it.each<[FakeMode, string, 'input' | 'output' | undefined]>([
    ['content_policy', 'content_policy', 'input'],
    ['bad_input', 'bad_input', undefined],
    ['fail_in_200', 'provider_error', undefined],
  ])('reports %s from the job as a failed poll (%s)', async (mode, code, blocked) => {
    fake.setMode(mode);
    const error = lastFailure(await runJob(adapter(), await editRequest()));
    expect(error.code).toBe(code);
    expect(error.blocked).toBe(blocked);
    expect(error.message).not.toContain(KEY);
    if (mode === 'fail_in_200') expect(error.providerCode).toBe('runner_disconnected');
  });

  it('treats an output flagged by the safety checker as content_policy on the output', async () => {
    const error = lastFailure(await runJob(adapter(), await editRequest({ prompt: 'a [nsfw] edit' })));
    expect(error.code).toBe('content_policy');
    expect(error.blocked).toBe('output');
  });

  it('retries nothing itself: a 5xx on a status poll surfaces as a retryable error', async () => {
    const a = adapter();
    const submitted = await a.submit(await editRequest(), ctx());
    if (submitted.kind !== 'pending') throw new Error('expected pending');
    fake.setMode('server_error', 1);
    const error = await failure(() => a.poll(submitted.handle, ctx()));
    expect(error.code).toBe('provider_error');
    expect(error.retryable).toBe(true);
    expect((await a.poll(submitted.handle, ctx())).state).toBe('queued');
  });

  it('times out on a vendor that never answers', async () => {
    fake.setMode('hang');
    const started = Date.now();
    const error = await failure(async () => adapter({ requestTimeoutMs: 300 }).submit(await editRequest(), ctx()));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a key without the id:secret shape the way fal does', async () => {
    const error = await failure(async () => adapter({ apiKey: 'no-colon-key-123456' }).submit(await editRequest(), ctx()));
    expect(error.code).toBe('auth');
    expect(error.message).not.toContain('no-colon-key-123456');
  });

  it('cancels a queued job with PUT cancel_url', async () => {
    const a = adapter();
    const submitted = await a.submit(await editRequest(), ctx());
    if (submitted.kind !== 'pending') throw new Error('expected pending');
    await a.cancel!(submitted.handle, ctx());
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/cancel'));
    expect(put?.path).toBe(`/fal-ai/flux-pro/requests/${submitted.jobId}/cancel`);
    expect(put?.headers.authorization).toBe(`Key ${KEY}`);
    expect((await a.poll(submitted.handle, ctx())).state).toBe('cancelled');
  });
});
