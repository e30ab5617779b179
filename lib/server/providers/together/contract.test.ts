import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startTogetherFake } from '@/e2e/fakes/together';
import { TOGETHER_TARGETS } from '@/lib/providers/targets/together';
import type { RecordedRequest } from '@/e2e/fakes/kit';
import { ProviderError } from '../errors';
import {
  GENERIC_HTTP_FAILURES,
  atTargetLimits,
  downloadOnce,
  expectDone,
  expectProviderError,
  expectTimeout,
  itMapsFailureModes,
  testCtx,
  toInputImage,
  useFake,
} from '../testing/contract-kit';
import { createTogetherAdapter } from './adapter';
import { togetherHttpError } from './errors';
import type { AdapterContext, EditRequest, InputImage } from '../types';

const KEY = 'tgp_v1_contract-secret-key-0123456789';
const fake = useFake(startTogetherFake);
const failure = (p: Promise<unknown>) => expectProviderError(p, { secrets: [KEY] });

async function inputImage(width: number, height: number, name = 'image-1.png'): Promise<InputImage> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
  return toInputImage(bytes, { width, height, filename: name });
}

/** What the app's publicUrlFor does (a signed /api/inputs URL), with the fake hosting the bytes. */
async function hostOnFake(image: InputImage): Promise<string> {
  await fetch(`${fake().url}/__inputs/${image.sha256}.png`, { method: 'PUT', body: new Uint8Array(image.bytes) });
  return `${fake().url}/__inputs/${image.sha256}.png?exp=1&sig=test`;
}

/** A request context as the worker builds it: PUBLIC_BASE_URL set, so references have public URLs. */
const ctx = (more: Partial<AdapterContext> = {}) => testCtx({ publicUrlFor: hostOnFake, ...more });
const noPublicUrl = async (): Promise<string> => {
  throw new ProviderError({ code: 'bad_input', message: 'This provider fetches reference images by URL: set PUBLIC_BASE_URL.' });
};

function adapter(options: Record<string, string> = {}, extra: { apiKey?: string; requestTimeoutMs?: number } = { apiKey: KEY }) {
  return createTogetherAdapter({ apiKey: extra.apiKey, baseUrl: `${fake().url}/v1`, options, requestTimeoutMs: extra.requestTimeoutMs });
}

async function request(over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'black-forest-labs/FLUX.1-kontext-pro',
    prompt: 'place the product on dark marble',
    images: [await inputImage(320, 240)],
    seed: 4242,
    outputFormat: 'png',
    idempotencyKey: 'var-1',
    ...over,
  };
}

function generations(): RecordedRequest[] {
  return fake().requests.filter((r) => r.path === '/v1/images/generations');
}
function lastBody(): Record<string, unknown> {
  const body = generations().at(-1)?.body;
  expect(body).toBeTypeOf('object');
  return body as Record<string, unknown>;
}

describe('Together adapter against its fake', () => {
  it('is configured only with a key', () => {
    expect(adapter({}, {}).configured()).toBe(false);
    expect(adapter().configured()).toBe(true);
  });

  it('edits with Kontext and gets the image inline (base64 by default)', async () => {
    const res = await expectDone(adapter().submit(await request({ size: { width: 1344, height: 768 } }), ctx()));
    const image = res.images[0];
    expect(image?.bytes).toBeInstanceOf(Buffer);
    const meta = await sharp(image?.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1344, 768]);
    expect(image?.mime).toBe('image/jpeg'); // Kontext has no output_format: Together's default
    expect(res.usage?.details?.inferenceSec).toBe(0.8);

    const sent = generations()[0];
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = lastBody();
    expect(body).toMatchObject({
      model: 'black-forest-labs/FLUX.1-kontext-pro',
      prompt: 'place the product on dark marble',
      seed: 4242,
      n: 1,
      response_format: 'base64',
      aspect_ratio: '16:9',
    });
    // A public URL by default: the only reference form Together's OpenAPI documents.
    expect(String(body.image_url)).toMatch(new RegExp(`^${fake().url}/__inputs/[0-9a-f]{64}\\.png\\?`));
    expect(body).not.toHaveProperty('width');
    expect(body).not.toHaveProperty('reference_images');
    expect(body).not.toHaveProperty('negative_prompt');
  });

  it('lets Kontext follow the reference when the size is auto', async () => {
    const res = await adapter().submit(await request(), ctx());
    expect(lastBody()).not.toHaveProperty('aspect_ratio');
    if (res.kind !== 'done') throw new Error('expected done');
    const meta = await sharp(res.images[0]?.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([320, 240]);
  });

  it('returns a one-shot URL with TOGETHER_RESPONSE_FORMAT=url', async () => {
    const res = await expectDone(adapter({ responseFormat: 'url' }).submit(await request(), ctx()));
    expect(lastBody().response_format).toBe('url');
    const url = res.images[0]?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__outputs\//);
    const { bytes } = await downloadOnce(url!);
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
  });

  it('sends FLUX.2 references, snapped size, format and guidance', async () => {
    const images = [await inputImage(300, 200, 'image-1.png'), await inputImage(200, 300, 'image-2.png')];
    const res = await adapter().submit(
      await request({
        model: 'black-forest-labs/FLUX.2-dev',
        images,
        size: { width: 1000, height: 700 },
        guidance: 4.5,
        negativePrompt: 'blur',
      }),
      ctx(),
    );
    const body = lastBody();
    expect(body.reference_images).toHaveLength(2);
    // `guidance_scale`, the OpenAPI name (togethercomputer/openapi@090263aa); `guidance` is refused by the fake.
    expect(body).toMatchObject({ width: 1008, height: 704, output_format: 'png', guidance_scale: 4.5 });
    expect(body).not.toHaveProperty('guidance');
    expect(body).not.toHaveProperty('image_url');
    expect(body).not.toHaveProperty('negative_prompt'); // FLUX.2 has none (feature matrix)
    if (res.kind !== 'done') throw new Error('expected done');
    expect(res.images[0]?.mime).toBe('image/png');
  });

  it('sends FLUX.2 pro no guidance and ~1 MP in the reference aspect for auto', async () => {
    await adapter().submit(
      await request({ model: 'black-forest-labs/FLUX.2-pro', images: [await inputImage(800, 600)], guidance: 3 }),
      ctx(),
    );
    const body = lastBody();
    const w = Number(body.width);
    const h = Number(body.height);
    expect(w % 16).toBe(0);
    expect(h % 16).toBe(0);
    expect(w / h).toBeCloseTo(4 / 3, 1);
    expect(w * h).toBeGreaterThan(0.9e6);
    expect(w * h).toBeLessThan(1.2e6);
    expect(body).not.toHaveProperty('guidance');
    expect(body).not.toHaveProperty('guidance_scale');
  });

  it('sends references as public URLs by default, and without one refuses before calling Together', async () => {
    const e = await failure(adapter().submit(await request(), ctx({ publicUrlFor: noPublicUrl })));
    expect([e.code, e.retryable]).toEqual(['bad_input', false]);
    expect(e.message).toContain('PUBLIC_BASE_URL');
    expect(e.message).toContain('TOGETHER_IMAGE_TRANSPORT=auto');
    expect(generations()).toHaveLength(0);
  });

  it('sends a data URI only when asked: auto without a public URL, or data-uri always', async () => {
    await adapter({ imageTransport: 'auto' }).submit(await request(), ctx());
    expect(String(lastBody().image_url)).toMatch(new RegExp(`^${fake().url}/__inputs/`));
    await adapter({ imageTransport: 'auto' }).submit(await request(), ctx({ publicUrlFor: noPublicUrl }));
    expect(String(lastBody().image_url)).toMatch(/^data:image\/png;base64,/);
    await adapter({ imageTransport: 'data-uri' }).submit(await request(), ctx());
    expect(String(lastBody().image_url)).toMatch(/^data:image\/png;base64,/);
  });

  it('a reference URL Together cannot download is its 400, mapped to bad_input', async () => {
    const unreachable = async (img: InputImage) => `${fake().url}/__inputs/never-uploaded-${img.sha256.slice(0, 8)}.png`;
    const e = await failure(adapter().submit(await request(), ctx({ publicUrlFor: unreachable })));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/Failed to download/);
  });

  itMapsFailureModes(
    [
      ...GENERIC_HTTP_FAILURES,
      ['fail_in_200', 'provider_error', { httpStatus: 200 }],
      ['bad_input', 'bad_input'],
      ['content_policy', 'content_policy', { blocked: 'input' }],
    ],
    {
      fake,
      title: (mode, code) => `maps mode ${mode} to ${code}`,
      attempt: async () => adapter().submit(await request(), ctx()),
      secrets: [KEY],
    },
  );

  it('times out on a hanging vendor', async () => {
    await expectTimeout(fake(), async () => adapter({}, { apiKey: KEY, requestTimeoutMs: 300 }).submit(await request(), ctx()), {
      secrets: [KEY],
    });
  });

  it('never lets the key into an error message, even when the vendor echoes it', async () => {
    fake().setMode('auth');
    const e = await failure(adapter().submit(await request(), ctx()));
    expect(e.message).toContain('[redacted]');
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain(KEY);
  });

  it.each(TOGETHER_TARGETS.map((t) => [t.model, t] as const))('can call catalog target %s with its own limits', async (_, t) => {
    const res = await adapter().submit(await request(await atTargetLimits(t, (w, h) => inputImage(w, h))), ctx());
    expect(res.kind).toBe('done');
  });

  it('has nothing to poll', async () => {
    const res = await adapter().poll('{}', ctx());
    expect(res.state).toBe('failed');
  });

  it('reads a 402, a 403 and a moderation refusal the way Together documents them', () => {
    const res = (status: number, message: string) => ({
      status,
      headers: new Headers(),
      json: { error: { message, type: 'x' } },
      text: '',
    });
    expect(togetherHttpError(res(402, 'Credit limit exceeded'), []).code).toBe('insufficient_funds');
    expect(togetherHttpError(res(403, 'Input too long for this model'), []).code).toBe('bad_input');
    expect(togetherHttpError(res(401, 'Invalid API key'), []).code).toBe('auth');
    expect(togetherHttpError(res(422, 'Prompt flagged by moderation'), []).code).toBe('content_policy');
  });
});

describe('Together fake speaks the protocol', () => {
  it('refuses a missing or non-Bearer key with the 401 envelope', async () => {
    for (const authorization of [undefined, `Basic ${KEY}`]) {
      const res = await fetch(`${fake().url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ model: 'black-forest-labs/FLUX.1-kontext-pro', prompt: 'x' }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
  });

  it('refuses `guidance`, the field renamed `guidance_scale` in Together’s OpenAPI', async () => {
    const res = await fetch(`${fake().url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'black-forest-labs/FLUX.2-dev', prompt: 'x', guidance: 4.5 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/'guidance'/);
  });

  it('rejects a request without a prompt, and image_url on FLUX.2 dev', async () => {
    const post = (body: unknown) =>
      fetch(`${fake().url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify(body),
      });
    const noPrompt = await post({ model: 'black-forest-labs/FLUX.1-kontext-pro' });
    expect(noPrompt.status).toBe(400);
    expect(((await noPrompt.json()) as { error: { message: string } }).error.message).toMatch(/prompt/);
    const wrongField = await post({ model: 'black-forest-labs/FLUX.2-dev', prompt: 'x', image_url: 'https://a/b.png' });
    expect(wrongField.status).toBe(400);
    expect(((await wrongField.json()) as { error: { message: string } }).error.message).toMatch(/image_url/);
  });
});
