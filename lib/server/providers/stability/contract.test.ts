import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { startStabilityFake, type RecordedForm } from '@/e2e/fakes/stability';
import { STABILITY_TARGETS } from '@/lib/providers/targets/stability';
import { createStabilityAdapter } from './adapter';
import { stabilityError } from './errors';
import {
  type FailureModeCase,
  expectDone,
  expectProviderError,
  expectRefusedWithoutKey,
  expectTimeout,
  fakeInput,
  itMapsFailureModes,
  testCtx as ctx,
  useFake,
} from '../testing/contract-kit';
import type { EditRequest, ProviderAdapter } from '../types';

const KEY = 'sk-test-stability-0123456789abcdef';
const fake = useFake(startStabilityFake);
let adapter: ProviderAdapter;
const failure = (p: Promise<unknown>) => expectProviderError(p, { secrets: [KEY] });
const input = (width: number, height: number, seed = 7) => fakeInput(seed, width, height, 'image-1.png');

async function request(model: string, over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model,
    prompt: 'place the product on dark marble',
    negativePrompt: 'blurry, text',
    images: [await input(640, 480)],
    seed: 424242,
    outputFormat: 'png',
    strength: 0.6,
    guidance: 5,
    idempotencyKey: 'idem-1',
    ...over,
  };
}

async function forms(): Promise<RecordedForm[]> {
  return (await (await fetch(`${fake().url}/__inspect/forms`)).json()) as RecordedForm[];
}

beforeAll(() => {
  adapter = createStabilityAdapter({ apiKey: KEY, baseUrl: fake().url });
});

describe('Stability adapter against the fake (SD 3.5, v2beta)', () => {
  it('returns the decoded image synchronously and sends the documented fields', async () => {
    const req = await request('sd3.5-large');
    const result = await expectDone(adapter.submit(req, ctx()));
    const out = result.images[0];
    expect(out?.bytes).toBeInstanceOf(Buffer);
    expect(out?.mime).toBe('image/png');
    const meta = await sharp(out?.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 640, 480]);

    const [call] = fake().requests;
    expect(call?.path).toBe('/v2beta/stable-image/generate/sd3');
    expect(call?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.headers.accept).toBe('application/json');
    const [form] = await forms();
    expect(form?.fields).toMatchObject({
      prompt: req.prompt,
      negative_prompt: 'blurry, text',
      mode: 'image-to-image',
      strength: '0.6',
      model: 'sd3.5-large',
      seed: '424242',
      output_format: 'png',
      cfg_scale: '5',
    });
    expect(form?.files.image).toMatchObject({ filename: 'image-1.png', type: 'image/png', size: req.images[0]?.bytes.length });
  });

  it('honours jpeg output and leaves the negative prompt out for turbo', async () => {
    const result = await expectDone(adapter.submit(await request('sd3.5-large-turbo', { outputFormat: 'jpeg' }), ctx()));
    expect(result.images[0]?.mime).toBe('image/jpeg');
    expect((await sharp(result.images[0]?.bytes).metadata()).format).toBe('jpeg');
    const [form] = await forms();
    expect(form?.fields.negative_prompt).toBeUndefined();
  });

  it('keeps seeds inside the vendor range and never sends 0 (which means random)', async () => {
    await adapter.submit(await request('sd3.5-medium', { seed: 4294967295 + 5 }), ctx());
    await adapter.submit(await request('sd3.5-medium', { seed: 0 }), ctx());
    const [wrapped, zero] = await forms();
    expect(Number(wrapped?.fields.seed)).toBe(5);
    expect(Number(zero?.fields.seed)).toBe(4294967294);
  });
});

describe('SDXL 1.0 (v1) is no longer offered', () => {
  it('the catalog offers only v2beta SD 3.x models, and each one runs against the fake', async () => {
    expect(STABILITY_TARGETS.map((t) => t.model)).toEqual(['sd3.5-large', 'sd3.5-large-turbo', 'sd3.5-medium']);
    for (const t of STABILITY_TARGETS) await expectDone(adapter.submit(await request(t.model), ctx()));
    expect(fake().requests.every((r) => r.path === '/v2beta/stable-image/generate/sd3')).toBe(true);
  });

  it('a stored SDXL variation is refused before any call (bad_input, final)', async () => {
    const e = await failure(adapter.submit(await request('stable-diffusion-xl-1024-v1-0'), ctx()));
    expect([e.code, e.retryable]).toEqual(['bad_input', false]);
    expect(e.message).toContain('not offered any more');
    expect(fake().requests).toHaveLength(0);
  });

  it('the fake answers v1 the way retired v1 engines do (404 not_found), which maps to bad_input', async () => {
    const res = await fetch(`${fake().url}/v1/generation/stable-diffusion-xl-1024-v1-0/image-to-image`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toMatchObject({ name: 'not_found', message: 'The specified engine (ID stable-diffusion-xl-1024-v1-0) was not found.' });
    expect(stabilityError({ status: 404, headers: res.headers, json: body, text: '' }, []).code).toBe('bad_input');
  });

  it('the fake refuses aspect_ratio in image-to-image mode, as the adapter must not send it', async () => {
    await adapter.submit(await request('sd3.5-large', { size: { width: 1344, height: 768 } }), ctx());
    const [form] = await forms();
    expect(form?.fields.aspect_ratio).toBeUndefined();
  });
});

describe('Stability failure modes', () => {
  const messages: string[] = [];
  const checks = { secrets: [KEY], log: messages };
  const cases: FailureModeCase[] = [
    ['fail_in_200', 'content_policy', { blocked: 'output', providerCode: 'CONTENT_FILTERED' }],
    ['rate_limit', 'rate_limited', { retryAfterMs: 1000, httpStatus: 429 }],
    ['server_error', 'provider_error', { httpStatus: 500 }],
    ['malformed_json', 'provider_error', {}],
    ['auth', 'auth', { httpStatus: 401 }],
    ['insufficient_funds', 'insufficient_funds', { httpStatus: 402 }],
    ['content_policy', 'content_policy', { blocked: 'input', providerCode: 'content_moderation', httpStatus: 403 }],
    ['bad_input', 'bad_input', { httpStatus: 400 }],
  ];

  itMapsFailureModes(cases, {
    fake,
    title: (mode, code) => `${mode} → ${code}`,
    attempt: async () => adapter.submit(await request('sd3.5-large'), ctx()),
    ...checks,
    alsoExpect: (e) => expect(e.message.startsWith('Stability')).toBe(true),
  });

  it('a hanging vendor becomes a timeout', async () => {
    const quick = createStabilityAdapter({ apiKey: KEY, baseUrl: fake().url, requestTimeoutMs: 300 });
    await expectTimeout(fake(), async () => quick.submit(await request('sd3.5-large'), ctx()), checks);
  });

  it('real validation: a missing prompt is the vendor 400, mapped to bad_input', async () => {
    const e = await expectProviderError(adapter.submit(await request('sd3.5-large', { prompt: '   ' }), ctx()), checks);
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('prompt: is required');
  });

  it('an unreachable host is a retryable provider_error', async () => {
    const down = createStabilityAdapter({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2000 });
    const e = await expectProviderError(down.submit(await request('sd3.5-large'), ctx()), checks);
    expect(e.code).toBe('provider_error');
    expect(e.retryable).toBe(true);
  });

  it('never puts the API key in an error message (the fake echoes it on 401)', () => {
    expect(messages.length).toBeGreaterThanOrEqual(cases.length);
    expect(messages.some((m) => m.includes('[redacted]'))).toBe(true);
    for (const m of messages) expect(m).not.toContain(KEY);
  });
});

describe('Stability configuration', () => {
  it('is not configured without a key, and refuses to call out', async () => {
    expect(adapter.configured()).toBe(true);
    await expectRefusedWithoutKey(createStabilityAdapter({ baseUrl: fake().url }), await request('sd3.5-large'), fake(), {
      secrets: [KEY],
    });
  });

  it('a missing scheme gets the vendor 401', async () => {
    const res = await fetch(`${fake().url}/v2beta/stable-image/generate/sd3`, { method: 'POST', headers: { authorization: KEY } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ name: 'unauthorized' });
  });

  it('poll has nothing to resume for a synchronous vendor', async () => {
    const r = await adapter.poll('{}', ctx());
    expect(r.state).toBe('failed');
    if (r.state === 'failed') expect(r.error.code).toBe('interrupted');
  });
});
