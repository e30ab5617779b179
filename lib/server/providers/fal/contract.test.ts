import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startFalFake } from '@/e2e/fakes/fal';
import type { FakeMode } from '@/e2e/fakes/kit';
import { createFalAdapter } from './adapter';
import {
  GENERIC_HTTP_FAILURES,
  downloadOnce,
  expectFailed,
  expectPending,
  expectProviderError,
  expectRefusedWithoutKey,
  expectSucceeded,
  expectTimeout,
  failOnePoll,
  fakeInput,
  itMapsFailureModes,
  pollToEnd,
  testCtx as ctx,
  useFake,
} from '../testing/contract-kit';
import type { AdapterConfig, EditRequest, PollResult, ProviderAdapter } from '../types';

const KEY = 'fal-key-id-7781:fal-secret-q9w8e7r6t5';
// The whole key, and its secret half on its own.
const SECRETS = [KEY, 'fal-secret'];
const fake = useFake(startFalFake);
const failure = (attempt: () => Promise<unknown>) => expectProviderError(attempt, { secrets: SECRETS });
const input = (seed: number, filename: string) => fakeInput(seed, 96, 64, filename);

function adapter(overrides: Partial<AdapterConfig> = {}): ProviderAdapter {
  return createFalAdapter({
    apiKey: KEY,
    baseUrl: fake().url,
    options: { storageBaseUrl: fake().url },
    requestTimeoutMs: 5000,
    ...overrides,
  });
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

/** Submits and drives the job to a terminal state, returning every state seen. */
async function runJob(a: ProviderAdapter, req: EditRequest): Promise<PollResult[]> {
  const submitted = await expectPending(a.submit(req, ctx()));
  return (await pollToEnd(a, submitted.handle)).seen;
}

describe('fal adapter against the fake queue', () => {
  it('is not configured without a key, and refuses to submit', async () => {
    expect(adapter().configured()).toBe(true);
    await expectRefusedWithoutKey(adapter({ apiKey: undefined }), await editRequest(), fake(), { secrets: SECRETS });
  });

  it('uploads, submits, walks the queue and downloads the output exactly once', async () => {
    const a = adapter();
    const states = await runJob(a, await editRequest({ size: { width: 1600, height: 900 }, guidance: 4.5 }));
    expect(states.map((s) => s.state)).toEqual(['queued', 'running', 'succeeded']);
    const done = expectSucceeded(states[2]);
    expect(done.usage?.details?.seed).toBe(1234);
    const url = done.images[0]?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__outputs\//);
    expect((await downloadOnce(url!)).bytes.byteLength).toBeGreaterThan(100);

    const initiate = fake().requests.find((r) => r.path.startsWith('/storage/upload/initiate'));
    expect(initiate?.path).toContain('storage_type=fal-cdn-v3');
    expect(initiate?.headers.authorization).toBe(`Key ${KEY}`);
    expect(initiate?.body).toEqual({ content_type: 'image/png', file_name: 'image-1.png' });
    const put = fake().requests.find((r) => r.method === 'PUT' && r.path.startsWith('/upload/'));
    expect(put?.headers.authorization).toBeUndefined(); // the signed URL never sees the key
    expect(put?.headers['content-type']).toBe('image/png');

    const submit = fake().requests.find((r) => r.method === 'POST' && r.path === '/fal-ai/flux-pro/kontext');
    expect(submit?.headers.authorization).toBe(`Key ${KEY}`);
    const body = submit?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      prompt: 'make the sky orange',
      seed: 1234,
      guidance_scale: 4.5,
      output_format: 'png',
      aspect_ratio: '16:9',
      num_images: 1,
    });
    expect(body.image_url).toMatch(/\/files\/[\w-]+\/image-1\.png$/);
    expect(body).not.toHaveProperty('image_urls');
    // Status and result use owner/app only, as fal's returned URLs do.
    expect(fake().requests.some((r) => /^\/fal-ai\/flux-pro\/requests\/[\w-]+\/status$/.test(r.path))).toBe(true);
  });

  it('sends image_urls to multi-reference models and Wan-specific fields to Wan', async () => {
    const a = adapter();
    const images = [await input(1, 'image-1.png'), await input(2, 'image-2.png')];
    const states = await runJob(a, await editRequest({ model: 'fal-ai/flux-pro/kontext/max/multi', images }));
    expect(states.at(-1)?.state).toBe('succeeded');
    const multi = fake().requests.find((r) => r.path === '/fal-ai/flux-pro/kontext/max/multi')?.body as Record<string, unknown>;
    expect(multi.image_urls).toHaveLength(2);
    expect(multi).not.toHaveProperty('image_url');

    fake().reset();
    await runJob(
      a,
      await editRequest({ model: 'fal-ai/wan/v2.7/edit', images, negativePrompt: 'blur', size: { width: 1024, height: 768 } }),
    );
    const wan = fake().requests.find((r) => r.path === '/fal-ai/wan/v2.7/edit')?.body as Record<string, unknown>;
    expect(wan).toMatchObject({
      negative_prompt: 'blur',
      image_size: { width: 1024, height: 768 },
      seed: 1234,
      output_format: 'png',
      enable_prompt_expansion: false,
    });
    expect(wan).not.toHaveProperty('guidance_scale');
  });

  it('Wan: prompt expansion is off, so the same seed gives the same picture (fal’s default rewrites the prompt)', async () => {
    const a = adapter();
    const bytes: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const done = expectSucceeded((await runJob(a, await editRequest({ model: 'fal-ai/wan/v2.7/edit' }))).at(-1));
      bytes.push((await downloadOnce(done.images[0]!.url!)).bytes);
    }
    expect(bytes[0]!.equals(bytes[1]!)).toBe(true);
  });

  it('Wan: with size auto, image_size follows the reference’s shape at ~1 MP (fal’s default is square_hd)', async () => {
    const a = adapter();
    const done = expectSucceeded((await runJob(a, await editRequest({ model: 'fal-ai/wan/v2.7/edit', seed: 0 }))).at(-1));
    const wan = fake().requests.find((r) => r.path === '/fal-ai/wan/v2.7/edit')?.body as Record<string, unknown>;
    // The reference is 96×64 (3:2); 0 means "random" at some Wan gateways, so it is never sent.
    expect(wan).toMatchObject({ image_size: { width: 1248, height: 832 }, seed: 2147483647 });
    const meta = await sharp((await downloadOnce(done.images[0]!.url!)).bytes).metadata();
    expect((meta.width ?? 0) / (meta.height ?? 1)).toBeCloseTo(1.5, 1);
  });

  it('the fake validates WanV27EditInput in the result: a bad image_size is a 422 → bad_input', async () => {
    const post = await fetch(`${fake().url}/fal-ai/wan/v2.7/edit`, {
      method: 'POST',
      headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', image_urls: [], image_size: 'huge' }),
    });
    const { status_url: statusUrl, response_url: responseUrl } = (await post.json()) as { status_url: string; response_url: string };
    for (let i = 0; i < 3; i++) await fetch(statusUrl, { headers: { authorization: `Key ${KEY}` } });
    const result = await fetch(responseUrl, { headers: { authorization: `Key ${KEY}` } });
    expect(result.status).toBe(422);
    const detail = ((await result.json()) as { detail: { loc: string[] }[] }).detail;
    expect(detail.map((d) => d.loc[1])).toContain('image_size');
  });

  itMapsFailureModes(GENERIC_HTTP_FAILURES, {
    fake,
    title: (mode, code) => `maps ${mode} on the HTTP call to ${code}, without leaking the key`,
    attempt: async () => adapter().submit(await editRequest(), ctx()),
    secrets: SECRETS,
  });

  it.each<[FakeMode, string, 'input' | 'output' | undefined]>([
    ['content_policy', 'content_policy', 'input'],
    ['bad_input', 'bad_input', undefined],
    ['fail_in_200', 'provider_error', undefined],
  ])('reports %s from the job as a failed poll (%s)', async (mode, code, blocked) => {
    fake().setMode(mode);
    const error = expectFailed((await runJob(adapter(), await editRequest())).at(-1));
    expect(error.code).toBe(code);
    expect(error.blocked).toBe(blocked);
    expect(error.message).not.toContain(KEY);
    if (mode === 'fail_in_200') expect(error.providerCode).toBe('runner_disconnected');
  });

  it('treats an output flagged by the safety checker as content_policy on the output', async () => {
    const error = expectFailed((await runJob(adapter(), await editRequest({ prompt: 'a [nsfw] edit' }))).at(-1));
    expect(error.code).toBe('content_policy');
    expect(error.blocked).toBe('output');
  });

  it('retries nothing itself: a 5xx on a status poll surfaces as a retryable error', async () => {
    const a = adapter();
    const submitted = await expectPending(a.submit(await editRequest(), ctx()));
    const { error, next } = await failOnePoll(fake(), a, submitted.handle, 'server_error', { secrets: SECRETS });
    expect(error.code).toBe('provider_error');
    expect(error.retryable).toBe(true);
    expect(next.state).toBe('queued');
  });

  it('times out on a vendor that never answers', async () => {
    await expectTimeout(fake(), async () => adapter({ requestTimeoutMs: 300 }).submit(await editRequest(), ctx()), {
      secrets: SECRETS,
      withinMs: 3000,
    });
  });

  it('refuses a key without the id:secret shape the way fal does', async () => {
    const error = await failure(async () => adapter({ apiKey: 'no-colon-key-123456' }).submit(await editRequest(), ctx()));
    expect(error.code).toBe('auth');
    expect(error.message).not.toContain('no-colon-key-123456');
  });

  it('cancels a queued job with PUT cancel_url', async () => {
    const a = adapter();
    const submitted = await expectPending(a.submit(await editRequest(), ctx()));
    await a.cancel!(submitted.handle, ctx());
    const put = fake().requests.find((r) => r.method === 'PUT' && r.path.endsWith('/cancel'));
    expect(put?.path).toBe(`/fal-ai/flux-pro/requests/${submitted.jobId}/cancel`);
    expect(put?.headers.authorization).toBe(`Key ${KEY}`);
    expect((await a.poll(submitted.handle, ctx())).state).toBe('cancelled');
  });
});
