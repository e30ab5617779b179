import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { startModelsLabFake } from '@/e2e/fakes/modelslab';
import { createModelsLabAdapter } from './adapter';
import { statusError } from './errors';
import { fetchUrlFor, outputsOf, responseSchema } from './wire';
import {
  downloadOnce,
  expectDone,
  expectFailed,
  expectPending,
  expectProviderError,
  expectSucceeded,
  expectTimeout,
  failOnePoll,
  fakeInput,
  itMapsFailureModes,
  pollToEnd,
  testCtx,
  useErrorLog,
  useFake,
} from '../testing/contract-kit';
import type { AdapterContext, EditRequest, ProviderAdapter } from '../types';

const KEY = 'ml-test-key-93b1e0c4d7';
const fake = useFake(startModelsLabFake);
let adapter: ProviderAdapter;
const ctx: AdapterContext = testCtx();
// Every error any test produced: the key (which travels in the body) must never leak into one.
const checks = useErrorLog(KEY, { moreThan: 8 });
const expectError = (p: Promise<unknown>) => expectProviderError(p, checks);
const image = (seed: number, name: string, width = 64, height = 48) => fakeInput(seed, width, height, name);

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
  return fake()
    .requests.filter((r) => r.path === path)
    .map((r) => r.body as Record<string, unknown>);
}

async function pendingHandle(): Promise<string> {
  return (await expectPending(adapter.submit(await wanRequest(), ctx))).handle;
}

beforeAll(() => {
  adapter = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake().url });
});

describe('ModelsLab adapter against the fake', () => {
  it('is configured only with a key', () => {
    expect(adapter.configured()).toBe(true);
    expect(createModelsLabAdapter({ baseUrl: fake().url }).configured()).toBe(false);
  });

  it('Wan: uploads, queues, polls fetch_result to success, output link works once', async () => {
    const sub = await expectPending(adapter.submit(await wanRequest(), ctx));
    expect(sub.jobId).toMatch(/^\d+$/);
    expect(sub.pollAfterMs).toBe(2000); // eta 2 s

    const { states, last } = await pollToEnd(adapter, sub.handle, { maxPolls: 4 });
    expect(states).toEqual(['running', 'succeeded']);
    const done = expectSucceeded(last);
    const { bytes } = await downloadOnce(done.images[0]?.url ?? '');
    expect((await sharp(bytes).metadata()).format).toBe('png');

    // Polling POSTs {key} to the fetch URL and nothing else; no Authorization header anywhere.
    const fetches = fake().requests.filter((r) => r.path.startsWith('/v7/images/fetch/'));
    expect(fetches.map((f) => f.body)).toEqual([{ key: KEY }, { key: KEY }]);
    for (const r of fake().requests) expect(r.headers.authorization).toBeUndefined();
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
    const custom = createModelsLabAdapter({
      apiKey: KEY,
      baseUrl: fake().url,
      options: { modelId: 'wan-2.7-pro-i2i', editPath: 'v7/images/image-to-image' },
    });
    expect((await custom.submit(await wanRequest(), ctx)).kind).toBe('pending');
    expect(bodies('/v7/images/image-to-image')[0]?.model_id).toBe('wan-2.7-pro-i2i');

    const wrongPath = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake().url, options: { editPath: '/v6/image_editing/wan_edit' } });
    const e = await expectError(wanRequest().then((r) => wrongPath.submit(r, ctx)));
    expect(e.httpStatus).toBe(404);
  });

  it('Kontext: documented fields, sized to ≤1024 in multiples of 8, done at once', async () => {
    const res = await expectDone(adapter.submit(await kontextRequest(), ctx));
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

  itMapsFailureModes(
    [
      ['auth', 'auth', { httpStatus: 401 }],
      ['rate_limit', 'rate_limited', { retryAfterMs: 1000 }],
      ['server_error', 'provider_error', { httpStatus: 503 }],
      ['malformed_json', 'provider_error', {}],
      ['insufficient_funds', 'insufficient_funds', { httpStatus: 402 }],
      ['bad_input', 'bad_input', { httpStatus: 400 }],
      ['content_policy', 'content_policy', { blocked: 'output' }],
      ['fail_in_200', 'provider_error', { httpStatus: 200, providerCode: 'error' }],
    ],
    {
      fake,
      title: (mode, code) => `submit in mode ${mode} → ${code}`,
      attempt: async () => adapter.submit(await wanRequest(), ctx),
      ...checks,
    },
  );

  it('fail_in_200 reads the legacy "messege" spelling', async () => {
    fake().setMode('fail_in_200');
    const e = await expectError(wanRequest().then((r) => adapter.submit(r, ctx)));
    expect(e.message).toContain('Failed to process your request');
  });

  it('a validation error whose message is an object is bad_input (final), not a retried provider error', async () => {
    // ModelsLab/modelslab-cli@07ea1c7c internal/cmd/generate.go: the message is "a string or, for
    // validation errors, an object"; a string-only schema turned this into a retryable provider_error.
    const e = await expectError(wanRequest({ prompt: '   ' }).then((r) => adapter.submit(r, ctx)));
    expect(e).toMatchObject({ code: 'bad_input', httpStatus: 200, providerCode: 'error' });
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('ModelsLab: prompt: The prompt field is required.');
  });

  it('a legacy "messege" array or an odd value still reads as text', () => {
    const res = { status: 200, headers: new Headers(), json: undefined, text: '' };
    const arr = statusError(responseSchema.parse({ status: 'error', messege: ['init_image must be a URL', 'seed too large'] }), res, []);
    expect([arr.code, arr.message]).toEqual(['bad_input', 'ModelsLab: init_image must be a URL; seed too large']);
    const odd = statusError(responseSchema.parse({ status: 'failed', message: 42 }), res, []);
    expect([odd.code, odd.message]).toEqual(['provider_error', 'ModelsLab: 42']);
  });

  it('reads output URLs in the CLI order (output, output_url, future_links), once each, proxy_links last', () => {
    const read = (body: unknown) => outputsOf(responseSchema.parse(body));
    expect(
      read({
        status: 'success',
        output: ['https://a/1.png'],
        output_url: 'https://a/2.png',
        future_links: ['https://a/2.png', 'https://a/3.png'],
      }),
    ).toEqual(['https://a/1.png', 'https://a/2.png', 'https://a/3.png']);
    expect(read({ status: 'success', output: '', output_url: 'https://a/only.png' })).toEqual(['https://a/only.png']);
    expect(read({ status: 'success', output: [], future_links: ['https://a/f.png'], proxy_links: ['https://p/f.png'] })).toEqual([
      'https://a/f.png',
    ]);
    expect(read({ status: 'success', output: [], proxy_links: ['https://p/f.png'] })).toEqual(['https://p/f.png']);
  });

  it('Wan: a seed of 0 is sent as a fixed non-zero seed (0 means random at some Wan gateways)', async () => {
    await adapter.submit(await wanRequest({ seed: 0 }), ctx);
    await adapter.submit(await wanRequest({ seed: -5 }), ctx);
    expect(bodies('/v7/images/image-to-image').map((b) => b.seed)).toEqual([2147483647, 5]);
  });

  it('an auth error that echoes the key is redacted', async () => {
    fake().setMode('auth');
    const e = await expectError(wanRequest().then((r) => adapter.submit(r, ctx)));
    expect(e.message).toContain('[redacted]');
  });

  it('a job failed inside HTTP 200 at fetch is a failed poll', async () => {
    const handle = await pendingHandle();
    fake().setMode('fail_in_200');
    const error = expectFailed(await adapter.poll(handle, ctx));
    expect(error).toMatchObject({ code: 'provider_error', providerCode: 'failed' });
    checks.log.push(error.message);
  });

  it('an NSFW-flagged result at fetch → failed, content_policy blocked output', async () => {
    const handle = await pendingHandle();
    fake().setMode('content_policy');
    expect(expectFailed(await adapter.poll(handle, ctx))).toMatchObject({ code: 'content_policy', blocked: 'output' });
  });

  it('rate limiting at fetch is thrown (the job lives on) with the wait honoured', async () => {
    const { error, next } = await failOnePoll(fake(), adapter, await pendingHandle(), 'rate_limit', checks);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect(next.state).toBe('running');
  });

  it('a hanging vendor → timeout', async () => {
    const slow = createModelsLabAdapter({ apiKey: KEY, baseUrl: fake().url, requestTimeoutMs: 300 });
    await expectTimeout(fake(), async () => slow.submit(await wanRequest(), ctx), checks);
  });

  it('the fake validates like ModelsLab: a missing key is a 401, a bad model a 400', async () => {
    const res = await fetch(`${fake().url}/v7/images/image-to-image`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error' });
    const e = await expectError(wanRequest({ model: 'wan-9-i2i' }).then((r) => adapter.submit(r, ctx)));
    expect(e).toMatchObject({ code: 'bad_input', httpStatus: 400 });
    expect(e.message).toMatch(/Model not found/);
  });

  it('never polls a fetch_result on a foreign host with the key', async () => {
    const handle = JSON.parse(await pendingHandle()) as { fetchUrl: string };
    expect(handle.fetchUrl).toMatch(new RegExp(`^${fake().url}/v7/images/fetch/\\d+$`));
    expect(fetchUrlFor('https://modelslab.com/api', '/v7/images/image-to-image', '42', 'https://evil.example/api/v7/images/fetch/42')).toBe(
      'https://modelslab.com/api/v7/images/fetch/42',
    );
    expect(fetchUrlFor('https://modelslab.com/api', '/v6/image_editing/qwen_edit', '7', undefined)).toBe(
      'https://modelslab.com/api/v6/image_editing/fetch/7',
    );
  });

  it('refuses to run without a key and rejects a garbled handle', async () => {
    const keyless = createModelsLabAdapter({ baseUrl: fake().url });
    expect((await expectError(wanRequest().then((r) => keyless.submit(r, ctx)))).code).toBe('auth');
    expect((await expectError(adapter.poll('{"v":1}', ctx))).code).toBe('bad_input');
    expect(fake().requests).toHaveLength(0);
  });
});
