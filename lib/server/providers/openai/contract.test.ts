import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startOpenAIFake } from '@/e2e/fakes/openai';
import { createOpenAIAdapter } from './adapter';
import { openaiHttpError } from './errors';
import { sizeFor } from './wire';
import {
  expectDone,
  expectProviderError,
  expectRefusedWithoutKey,
  expectTimeout,
  fakeInput,
  itMapsFailureModes,
  testCtx as ctx,
  useFake,
} from '../testing/contract-kit';
import type { AdapterConfig, EditRequest, ProviderAdapter } from '../types';

const KEY = 'sk-test-3f9a8b7c6d5e4f3a2b1c';
const fake = useFake(startOpenAIFake);
const failure = (attempt: () => Promise<unknown>) => expectProviderError(attempt, { secrets: [KEY] });
const input = (seed: number, filename: string) => fakeInput(seed, 80, 80, filename);

function adapter(overrides: Partial<AdapterConfig> = {}): ProviderAdapter {
  return createOpenAIAdapter({ apiKey: KEY, baseUrl: `${fake().url}/v1`, requestTimeoutMs: 5000, ...overrides });
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

type Inspected = { fields: Record<string, string>; images: { field: string; name: string; type: string; size: number }[] };
async function lastEdit(): Promise<Inspected> {
  return (await (await fetch(`${fake().url}/__inspect`)).json()) as Inspected;
}

describe('OpenAI adapter against the fake images API', () => {
  it('is not configured without a key, and refuses to submit', async () => {
    expect(adapter().configured()).toBe(true);
    await expectRefusedWithoutKey(adapter({ apiKey: undefined }), await editRequest(), fake(), { secrets: [KEY] });
  });

  it('sends a multipart edit with every reference and returns decoded images with priced usage', async () => {
    const req = await editRequest({ size: { width: 1600, height: 900 } });
    // OpenAI edits are synchronous.
    const result = await expectDone(adapter().submit(req, ctx()));
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

    expect(fake().requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(String(fake().requests[0]?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const sent = await lastEdit();
    expect(sent.fields).toEqual({
      model: 'gpt-image-1',
      prompt: req.prompt,
      n: '1',
      size: '1536x1024',
      quality: 'medium',
      output_format: 'png',
    });
    // No seed, negative prompt or moderation: none is an edit parameter (openai-node
    // `ImageEditParamsBase`); the fake refuses unknown fields as OpenAI does.
    expect(sent.images.map((i) => [i.field, i.name, i.type])).toEqual([
      ['image[]', 'image-1.png', 'image/png'],
      ['image[]', 'image-2.png', 'image/png'],
    ]);
    expect(sent.images[0]?.size).toBe(req.images[0]?.bytes.length);
  });

  it('honours JPEG output, the quality option and auto size, and never sends moderation', async () => {
    // A stale `moderation` option (the removed OPENAI_MODERATION) must not reach the edits endpoint.
    const result = await expectDone(
      adapter({ options: { moderation: 'low', quality: 'high' } }).submit(await editRequest({ outputFormat: 'jpeg' }), ctx()),
    );
    expect(result.images[0]?.mime).toBe('image/jpeg');
    expect((await sharp(result.images[0]!.bytes!).metadata()).format).toBe('jpeg');
    const { fields } = await lastEdit();
    expect(fields).toMatchObject({ quality: 'high', size: 'auto', output_format: 'jpeg' });
    expect(fields).not.toHaveProperty('moderation');
  });

  it('the fake refuses `moderation` on /images/edits with OpenAI’s unknown-parameter 400 (bad_input)', async () => {
    const form = new FormData();
    form.append('model', 'gpt-image-1');
    form.append('prompt', 'x');
    form.append('image[]', new Blob([new Uint8Array(8)], { type: 'image/png' }), 'image-1.png');
    form.append('moderation', 'low');
    const res = await fetch(`${fake().url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toEqual({
      error: { message: "Unknown parameter: 'moderation'.", type: 'invalid_request_error', param: 'moderation', code: 'unknown_parameter' },
    });
    expect(openaiHttpError({ status: 400, headers: res.headers, json: body, text: '' }, []).code).toBe('bad_input');
  });

  it('reports usage without a cost for a model whose token price is unknown', async () => {
    const result = await expectDone(adapter().submit(await editRequest({ model: 'gpt-image-1.5' }), ctx()));
    expect(result.usage?.costUsd).toBeUndefined();
    expect(result.usage?.details?.outputTokens).toBe(4160);
  });

  it('maps sizes to the three the endpoint accepts', () => {
    expect(sizeFor(undefined)).toBe('auto');
    expect(sizeFor({ width: 1000, height: 1000 })).toBe('1024x1024');
    expect(sizeFor({ width: 900, height: 1600 })).toBe('1024x1536');
    expect(sizeFor({ width: 2048, height: 1536 })).toBe('1536x1024');
  });

  itMapsFailureModes(
    [
      ['auth', 'auth', { blocked: undefined }],
      // A 429 for quota must never be retried like a rate limit.
      ['insufficient_funds', 'insufficient_funds', { blocked: undefined, retryable: false }],
      ['rate_limit', 'rate_limited', { blocked: undefined, retryAfterMs: 1000 }],
      ['content_policy', 'content_policy', { blocked: 'input', providerCode: 'moderation_blocked' }],
      ['bad_input', 'bad_input', { blocked: undefined }],
      ['server_error', 'provider_error', { blocked: undefined }],
      ['malformed_json', 'provider_error', { blocked: undefined }],
      ['fail_in_200', 'provider_error', { blocked: undefined }],
    ],
    {
      fake,
      title: (mode, code) => `maps ${mode} to ${code} without leaking the key`,
      attempt: async () => adapter().submit(await editRequest(), ctx()),
      secrets: [KEY],
    },
  );

  it('passes the vendor validation message through for a malformed request', async () => {
    const error = await failure(async () => adapter().submit(await editRequest({ prompt: '' }), ctx()));
    expect(error.code).toBe('bad_input');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain("Missing required parameter: 'prompt'");
  });

  it('times out on a vendor that never answers', async () => {
    await expectTimeout(fake(), async () => adapter({ requestTimeoutMs: 300 }).submit(await editRequest(), ctx()), {
      secrets: [KEY],
      withinMs: 3000,
    });
  });

  it('has nothing to poll for a synchronous vendor', async () => {
    const polled = await adapter().poll('{}', ctx());
    expect(polled.state).toBe('failed');
    expect(adapter().cancel).toBeUndefined();
  });
});
