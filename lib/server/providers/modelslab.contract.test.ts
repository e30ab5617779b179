import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeImage, type FakeMode, type FakeServer, type RecordedRequest } from '@/e2e/fakes/kit';
import { startModelsLabFake } from '@/e2e/fakes/modelslab';
import { ProviderError } from './errors';
import { createModelsLabAdapter } from './modelslab';
import { fetchUrlFor } from './modelslab-wire';
import type { AdapterContext, EditRequest, InputImage, PollResult, ProviderAdapter } from './types';

const KEY = 'ml-test-key-93b1e0c4d7';
let fake: FakeServer;
let adapter: ProviderAdapter;
const ctx: AdapterContext = { signal: new AbortController().signal };
const messages: string[] = [];

async function image(seed: number, name: string, width = 64, height = 48): Promise<InputImage> {
  const bytes = await fakeImage(seed, width, height);
  return { bytes, mime: 'image/png', width, height, filename: name, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function wanRequest(over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'wan-2.7-i2i',
    prompt: 'Turn the sofa in image 1 the colour of image 2',
    images: [await image(1, 'image-1.png'), await image(2, 'image-2.png')],
    seed: 777,
    outputFormat: 'png',
    idempotencyKey: 'idem-1',
    ...over,
  };
}

async function kontextRequest(over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return wanRequest({
    model: 'flux-kontext-dev',
    images: [await image(3, 'image-1.png', 1600, 1200), await image(4, 'image-2.png')],
    negativePrompt: ' blurry ',
    strength: 0.35,
    guidance: 3,
    ...over,
  });
}

function bodies(path: string): Record<string, unknown>[] {
  return fake.requests.filter((r: RecordedRequest) => r.path === path).map((r) => r.body as Record<string, unknown>);
}

async function expectError(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  messages.push((e as ProviderError).message);
  return e as ProviderError;
}

async function pendingHandle(): Promise<string> {
  const res = await adapter.submit(await wanRequest(), ctx);
  if (res.kind !== 'pending') throw new Error('expected a queued job');
  return res.handle;
}

beforeAll(async () => {
  fake = await startModelsLabFake();
  adapter = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake.url });
});
afterAll(async () => {
  // Every error any test produced: the key (which travels in the body) must never leak into one.
  expect(messages.length).toBeGreaterThan(8);
  for (const m of messages) expect(m).not.toContain(KEY);
  await fake.close();
});
beforeEach(() => fake.reset());

describe('ModelsLab adapter against the fake', () => {
  it('is configured only with a key', () => {
    expect(adapter.configured()).toBe(true);
    expect(createModelsLabAdapter({ baseUrl: fake.url }).configured()).toBe(false);
  });

  it('Wan: uploads, queues, polls fetch_result to success, output link works once', async () => {
    const sub = await adapter.submit(await wanRequest(), ctx);
    if (sub.kind !== 'pending') throw new Error('expected pending');
    expect(sub.jobId).toMatch(/^\d+$/);
    expect(sub.pollAfterMs).toBe(2000); // eta 2 s

    const seen: PollResult[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await adapter.poll(sub.handle, ctx);
      seen.push(r);
      if (r.state !== 'running' && r.state !== 'queued') break;
    }
    expect(seen.map((s) => s.state)).toEqual(['running', 'succeeded']);
    const done = seen[1];
    if (done?.state !== 'succeeded') throw new Error('not succeeded');
    const url = done.images[0]?.url ?? '';
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect((await sharp(Buffer.from(await first.arrayBuffer())).metadata()).format).toBe('png');
    expect((await fetch(url)).status).toBe(404);

    // Polling POSTs {key} to the fetch URL and nothing else; no Authorization header anywhere.
    const fetches = fake.requests.filter((r) => r.path.startsWith('/v7/images/fetch/'));
    expect(fetches.map((f) => f.body)).toEqual([{ key: KEY }, { key: KEY }]);
    for (const r of fake.requests) expect(r.headers.authorization).toBeUndefined();
  });

  it('Wan: key in the body, default model id and path, references uploaded in order', async () => {
    const req = await wanRequest();
    await adapter.submit(req, ctx);
    const uploads = bodies('/v6/image_editing/base64_to_url');
    expect(uploads).toHaveLength(2);
    for (const [i, u] of uploads.entries()) {
      expect(u.key).toBe(KEY);
      expect(u.init_image).toBe(`data:image/png;base64,${req.images[i]?.bytes.toString('base64')}`);
    }
    const [body] = bodies('/v7/images/image-to-image');
    expect(body).toMatchObject({ key: KEY, model_id: 'wan-2.7-i2i', prompt: req.prompt, seed: 777 });
    const urls = body?.init_image as string[];
    expect(urls).toHaveLength(2);
    for (const [i, url] of urls.entries()) {
      const served = Buffer.from(await (await fetch(url)).arrayBuffer());
      expect(served.equals(req.images[i]?.bytes ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('Wan: MODELSLAB_MODEL_ID / MODELSLAB_EDIT_PATH options redirect the call', async () => {
    const custom = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake.url, options: { modelId: 'wan-2.7-pro-i2i', editPath: 'v7/images/image-to-image' } });
    expect((await custom.submit(await wanRequest(), ctx)).kind).toBe('pending');
    expect(bodies('/v7/images/image-to-image')[0]?.model_id).toBe('wan-2.7-pro-i2i');

    const wrongPath = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake.url, options: { editPath: '/v6/image_editing/wan_edit' } });
    const e = await expectError(wanRequest().then((r) => wrongPath.submit(r, ctx)));
    expect(e.httpStatus).toBe(404);
  });

  it('Kontext: documented fields, sized to ≤1024 in multiples of 8, done at once', async () => {
    const res = await adapter.submit(await kontextRequest(), ctx);
    expect(res.kind).toBe('done');
    if (res.kind !== 'done') return;
    expect(res.images).toHaveLength(1);
    expect(res.usage?.details).toMatchObject({ generationTimeS: 2.4 });
    const [body] = bodies('/v6/images/img2img');
    expect(body).toMatchObject({
      key: KEY,
      model_id: 'flux-kontext-dev',
      width: 1024,
      height: 768,
      samples: 1,
      seed: 777,
      strength: 0.35,
      guidance: 3,
      negative_prompt: 'blurry',
    });
    expect(typeof body?.init_image).toBe('string');
    expect(body?.init_image_2).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/uploads\//);
  });

  const submitModes: [FakeMode, string, Partial<ProviderError>][] = [
    ['auth', 'auth', { httpStatus: 401 }],
    ['rate_limit', 'rate_limited', { retryAfterMs: 1000 }],
    ['server_error', 'provider_error', { httpStatus: 503 }],
    ['malformed_json', 'provider_error', {}],
    ['insufficient_funds', 'insufficient_funds', { httpStatus: 402 }],
    ['bad_input', 'bad_input', { httpStatus: 400 }],
    ['content_policy', 'content_policy', { blocked: 'output' }],
    ['fail_in_200', 'provider_error', { httpStatus: 200, providerCode: 'error' }],
  ];
  for (const [mode, code, extra] of submitModes) {
    it(`submit in mode ${mode} → ${code}`, async () => {
      fake.setMode(mode);
      const e = await expectError(wanRequest().then((r) => adapter.submit(r, ctx)));
      expect(e.code).toBe(code);
      expect(e).toMatchObject(extra);
    });
  }

  it('fail_in_200 reads the legacy "messege" spelling', async () => {
    fake.setMode('fail_in_200');
    const e = await expectError(wanRequest().then((r) => adapter.submit(r, ctx)));
    expect(e.message).toContain('Failed to process your request');
  });

  it('an auth error that echoes the key is redacted', async () => {
    fake.setMode('auth');
    const e = await expectError(wanRequest().then((r) => adapter.submit(r, ctx)));
    expect(e.message).toContain('[redacted]');
  });

  it('a job failed inside HTTP 200 at fetch is a failed poll', async () => {
    const handle = await pendingHandle();
    fake.setMode('fail_in_200');
    const r = await adapter.poll(handle, ctx);
    if (r.state !== 'failed') throw new Error(`expected failed, got ${r.state}`);
    expect(r.error).toMatchObject({ code: 'provider_error', providerCode: 'failed' });
    messages.push(r.error.message);
  });

  it('an NSFW-flagged result at fetch → failed, content_policy blocked output', async () => {
    const handle = await pendingHandle();
    fake.setMode('content_policy');
    const r = await adapter.poll(handle, ctx);
    if (r.state !== 'failed') throw new Error(`expected failed, got ${r.state}`);
    expect(r.error).toMatchObject({ code: 'content_policy', blocked: 'output' });
  });

  it('rate limiting at fetch is thrown (the job lives on) with the wait honoured', async () => {
    const handle = await pendingHandle();
    fake.setMode('rate_limit', 1);
    expect(await expectError(adapter.poll(handle, ctx))).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect((await adapter.poll(handle, ctx)).state).toBe('running');
  });

  it('a hanging vendor → timeout', async () => {
    const slow = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake.url, requestTimeoutMs: 300 });
    fake.setMode('hang');
    expect((await expectError(wanRequest().then((r) => slow.submit(r, ctx)))).code).toBe('timeout');
  });

  it('the fake validates like ModelsLab: a missing key is a 401, a bad model a 400', async () => {
    const res = await fetch(`${fake.url}/v7/images/image-to-image`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x' }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error' });
    const e = await expectError(wanRequest({ model: 'wan-9-i2i' }).then((r) => adapter.submit(r, ctx)));
    expect(e).toMatchObject({ code: 'bad_input', httpStatus: 400 });
    expect(e.message).toMatch(/Model not found/);
  });

  it('never polls a fetch_result on a foreign host with the key', async () => {
    const handle = JSON.parse(await pendingHandle()) as { fetchUrl: string };
    expect(handle.fetchUrl).toMatch(new RegExp(`^${fake.url}/v7/images/fetch/\\d+$`));
    expect(fetchUrlFor('https://modelslab.com/api', '/v7/images/image-to-image', '42', 'https://evil.example/api/v7/images/fetch/42')).toBe(
      'https://modelslab.com/api/v7/images/fetch/42',
    );
    expect(fetchUrlFor('https://modelslab.com/api', '/v6/image_editing/qwen_edit', '7', undefined)).toBe(
      'https://modelslab.com/api/v6/image_editing/fetch/7',
    );
  });

  it('refuses to run without a key and rejects a garbled handle', async () => {
    const keyless = createModelsLabAdapter({ baseUrl: fake.url });
    expect((await expectError(wanRequest().then((r) => keyless.submit(r, ctx)))).code).toBe('auth');
    expect((await expectError(adapter.poll('{"v":1}', ctx))).code).toBe('bad_input');
    expect(fake.requests).toHaveLength(0);
  });
});
