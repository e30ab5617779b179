import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeImage, type FakeMode, type FakeServer } from '@/e2e/fakes/kit';
import { startOpenAIFake } from '@/e2e/fakes/openai';
import { isProviderError, type ProviderError } from './errors';
import { createOpenAIAdapter, sizeFor } from './openai';
import type { AdapterConfig, EditRequest, InputImage, ProviderAdapter } from './types';

const KEY = 'sk-test-3f9a8b7c6d5e4f3a2b1c';
const ctx = () => ({ signal: new AbortController().signal });

let fake: FakeServer;
beforeAll(async () => {
  fake = await startOpenAIFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

function adapter(overrides: Partial<AdapterConfig> = {}): ProviderAdapter {
  return createOpenAIAdapter({ apiKey: KEY, baseUrl: `${fake.url}/v1`, requestTimeoutMs: 5000, ...overrides });
}

async function input(seed: number, filename: string): Promise<InputImage> {
  const bytes = await fakeImage(seed, 80, 80, 'png');
  return { bytes, mime: 'image/png', width: 80, height: 80, filename, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function editRequest(overrides: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'gpt-image-1',
    prompt: 'put the mug from image 2 on the table in image 1',
    images: [await input(1, 'image-1.png'), await input(2, 'image-2.png')],
    seed: 77,
    negativePrompt: 'blurry',
    outputFormat: 'png',
    idempotencyKey: 'var-9',
    ...overrides,
  };
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

type Inspected = { fields: Record<string, string>; images: { field: string; name: string; type: string; size: number }[] };
async function lastEdit(): Promise<Inspected> {
  return (await (await fetch(`${fake.url}/__inspect`)).json()) as Inspected;
}

describe('OpenAI adapter against the fake images API', () => {
  it('is not configured without a key, and refuses to submit', async () => {
    const a = adapter({ apiKey: undefined });
    expect(a.configured()).toBe(false);
    expect(adapter().configured()).toBe(true);
    expect((await failure(async () => a.submit(await editRequest(), ctx()))).code).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });

  it('sends a multipart edit with every reference and returns decoded images with priced usage', async () => {
    const req = await editRequest({ size: { width: 1600, height: 900 } });
    const result = await adapter().submit(req, ctx());
    if (result.kind !== 'done') throw new Error('OpenAI edits are synchronous');
    expect(result.images).toHaveLength(1);
    const image = result.images[0]!;
    expect(image.mime).toBe('image/png');
    const meta = await sharp(image.bytes!).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(1536 / 8);

    // Tokens as the fake reports them, priced at gpt-image-1's $5 / $10 / $40 per 1M.
    const textTokens = Math.ceil(req.prompt.length / 4);
    expect(result.usage?.details).toMatchObject({ inputTextTokens: textTokens, inputImageTokens: 646, outputTokens: 6240 });
    expect(result.usage?.costUsd).toBeCloseTo((textTokens * 5 + 646 * 10 + 6240 * 40) / 1e6, 6);

    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(String(fake.requests[0]?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const sent = await lastEdit();
    expect(sent.fields).toEqual({
      model: 'gpt-image-1',
      prompt: req.prompt,
      n: '1',
      size: '1536x1024',
      quality: 'medium',
      output_format: 'png',
    });
    // No seed, negative prompt or moderation: the endpoint has no seed/negative prompt, and
    // moderation is only sent when configured to `low`.
    expect(sent.images.map((i) => [i.field, i.name, i.type])).toEqual([
      ['image[]', 'image-1.png', 'image/png'],
      ['image[]', 'image-2.png', 'image/png'],
    ]);
    expect(sent.images[0]?.size).toBe(req.images[0]?.bytes.length);
  });

  it('honours JPEG output, the moderation and quality options, and auto size', async () => {
    const result = await adapter({ options: { moderation: 'low', quality: 'high' } }).submit(await editRequest({ outputFormat: 'jpeg' }), ctx());
    if (result.kind !== 'done') throw new Error('expected done');
    expect(result.images[0]?.mime).toBe('image/jpeg');
    expect((await sharp(result.images[0]!.bytes!).metadata()).format).toBe('jpeg');
    expect((await lastEdit()).fields).toMatchObject({ moderation: 'low', quality: 'high', size: 'auto', output_format: 'jpeg' });
  });

  it('reports usage without a cost for a model whose token price is unknown', async () => {
    const result = await adapter().submit(await editRequest({ model: 'gpt-image-1.5' }), ctx());
    if (result.kind !== 'done') throw new Error('expected done');
    expect(result.usage?.costUsd).toBeUndefined();
    expect(result.usage?.details?.outputTokens).toBe(4160);
  });

  it('maps sizes to the three the endpoint accepts', () => {
    expect(sizeFor(undefined)).toBe('auto');
    expect(sizeFor({ width: 1000, height: 1000 })).toBe('1024x1024');
    expect(sizeFor({ width: 900, height: 1600 })).toBe('1024x1536');
    expect(sizeFor({ width: 2048, height: 1536 })).toBe('1536x1024');
  });

  it.each<[FakeMode, string, 'input' | undefined]>([
    ['auth', 'auth', undefined],
    ['insufficient_funds', 'insufficient_funds', undefined],
    ['rate_limit', 'rate_limited', undefined],
    ['content_policy', 'content_policy', 'input'],
    ['bad_input', 'bad_input', undefined],
    ['server_error', 'provider_error', undefined],
    ['malformed_json', 'provider_error', undefined],
    ['fail_in_200', 'provider_error', undefined],
  ])('maps %s to %s without leaking the key', async (mode, code, blocked) => {
    fake.setMode(mode);
    const error = await failure(async () => adapter().submit(await editRequest(), ctx()));
    expect(error.code).toBe(code);
    expect(error.blocked).toBe(blocked);
    expect(error.message).not.toContain(KEY);
    if (mode === 'rate_limit') expect(error.retryAfterMs).toBe(1000);
    // A 429 for quota must never be retried like a rate limit.
    if (mode === 'insufficient_funds') expect(error.retryable).toBe(false);
    if (mode === 'content_policy') expect(error.providerCode).toBe('moderation_blocked');
  });

  it('passes the vendor validation message through for a malformed request', async () => {
    const error = await failure(async () => adapter().submit(await editRequest({ prompt: '' }), ctx()));
    expect(error.code).toBe('bad_input');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain("Missing required parameter: 'prompt'");
  });

  it('times out on a vendor that never answers', async () => {
    fake.setMode('hang');
    const started = Date.now();
    const error = await failure(async () => adapter({ requestTimeoutMs: 300 }).submit(await editRequest(), ctx()));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('has nothing to poll for a synchronous vendor', async () => {
    const polled = await adapter().poll('{}', ctx());
    expect(polled.state).toBe('failed');
    expect(adapter().cancel).toBeUndefined();
  });
});
