import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { startKieFake } from '@/e2e/fakes/kie';
import { createKieAdapter } from './adapter';
import { codeForKie } from './errors';
import { KIE_DEFAULT_BASE_URL, KIE_LEGACY_UPLOAD_BASE_URL, uploadBases } from './wire';
import {
  downloadOnce,
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

const KEY = 'kie-test-key-7f3a9c2e51';
const fake = useFake(startKieFake);
/** Kie's older upload host (kieai.redpandaai.co), played by a second fake. */
const legacy = useFake(startKieFake);
let adapter: ProviderAdapter;
const ctx: AdapterContext = testCtx();
// Every error any test produced, in one place: the key must never leak into a message.
const checks = useErrorLog(KEY, { moreThan: 8 });
const expectError = (p: Promise<unknown>) => expectProviderError(p, checks);
const image = (seed: number, name: string) => fakeInput(seed, 64, 48, name);

async function request(over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'wan/2-7-image-pro',
    prompt: 'Put the hat from image 2 on the cat in image 1',
    images: [await image(1, 'image-1.png'), await image(2, 'image-2.png')],
    seed: 4242,
    size: { width: 1024, height: 1024 },
    outputFormat: 'png',
    idempotencyKey: 'idem-1',
    ...over,
  };
}

async function submitHandle(): Promise<string> {
  return (await expectPending(adapter.submit(await request(), ctx))).handle;
}

beforeAll(() => {
  adapter = createKieAdapter({ apiKey: KEY, baseUrl: fake().url });
});

describe('Kie.ai adapter against the fake', () => {
  it('is configured only with a key', () => {
    expect(adapter.configured()).toBe(true);
    expect(createKieAdapter({ baseUrl: fake().url }).configured()).toBe(false);
    expect(adapter.deadlineMs).toBeGreaterThanOrEqual(60_000);
  });

  it('uploads, submits, polls to success and hands back a one-shot output link', async () => {
    const req = await request();
    const sub = await expectPending(adapter.submit(req, ctx));
    expect(sub.jobId).toMatch(/^task_wan_/);

    const { states, last } = await pollToEnd(adapter, sub.handle, { maxPolls: 5 });
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    const done = expectSucceeded(last);
    expect(done.images).toHaveLength(1);
    expect(done.usage?.details).toMatchObject({ credits: 6, costTimeMs: 1500 });

    const { bytes } = await downloadOnce(done.images[0]?.url ?? '');
    expect((await sharp(bytes).metadata()).format).toBe('png');
  });

  it('sends the documented fields, the Bearer key and the references in order', async () => {
    const req = await request();
    await adapter.submit(req, ctx);

    const uploads = fake().requests.filter((r) => r.path === '/api/file-stream-upload');
    expect(uploads).toHaveLength(2);
    for (const u of uploads) expect(u.headers.authorization).toBe(`Bearer ${KEY}`);

    const create = fake().requests.find((r) => r.path === '/api/v1/jobs/createTask');
    expect(create?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = create?.body as { model: string; input: Record<string, unknown> };
    expect(body.model).toBe('wan/2-7-image-pro');
    expect(body.input).toMatchObject({ prompt: req.prompt, n: 1, seed: 4242, resolution: '1K' });
    expect(body.input).not.toHaveProperty('thinking_mode');
    expect(JSON.stringify(body)).not.toContain(KEY);

    // The URLs Kie received serve exactly our references, image 1 first.
    const urls = body.input.input_urls as string[];
    expect(urls).toHaveLength(2);
    for (const [i, url] of urls.entries()) {
      const served = Buffer.from(await (await fetch(url)).arrayBuffer());
      expect(served.equals(req.images[i]?.bytes ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('maps a size to its tier and nearest ratio; auto sends 2K and the first reference’s ratio; never seed 0', async () => {
    await adapter.submit(await request({ size: { width: 2048, height: 2048 }, seed: -5 }), ctx);
    await adapter.submit(await request({ size: undefined, seed: 0 }), ctx);
    await adapter.submit(await request({ size: { width: 1280, height: 720 } }), ctx);
    const creates = fake()
      .requests.filter((r) => r.path === '/api/v1/jobs/createTask')
      .map((r) => (r.body as { input: Record<string, unknown> }).input);
    expect(creates[0]).toMatchObject({ resolution: '2K', aspect_ratio: '1:1', seed: 5 });
    // References are 64×48: 4:3. Seed 0 means "random" at some Wan gateways, so it is never sent.
    expect(creates[1]).toMatchObject({ resolution: '2K', aspect_ratio: '4:3', seed: 2147483647 });
    expect(creates[2]).toMatchObject({ resolution: '1K', aspect_ratio: '16:9' });
  });

  it('an edit keeps the reference’s shape (without aspect_ratio the fake answers 16:9, as one schema says Kie does)', async () => {
    const portrait = [await fakeInput(5, 60, 80, 'image-1.png')];
    const sub = await expectPending(adapter.submit(await request({ images: portrait, size: undefined }), ctx));
    const done = expectSucceeded((await pollToEnd(adapter, sub.handle, { maxPolls: 5 })).last);
    const meta = await sharp((await downloadOnce(done.images[0]?.url ?? '')).bytes).metadata();
    expect((meta.width ?? 0) / (meta.height ?? 1)).toBeCloseTo(3 / 4, 2);
  });

  it('the fake refuses aspect_ratio without resolution, and 4K for an edit', async () => {
    const post = (input: Record<string, unknown>) =>
      fetch(`${fake().url}/api/v1/jobs/createTask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'wan/2-7-image', input: { prompt: 'x', input_urls: ['https://a/b.png'], ...input } }),
      }).then((r) => r.json() as Promise<{ code: number; msg: string }>);
    expect(await post({ aspect_ratio: '4:3' })).toMatchObject({ code: 422, msg: 'input.aspect_ratio: requires resolution' });
    expect(await post({ aspect_ratio: '5:4', resolution: '1K' })).toMatchObject({ code: 422 });
    expect(await post({ resolution: '4K' })).toMatchObject({ code: 422 });
  });

  it('code 505 (feature disabled) is final: bad_input, never retried', async () => {
    const e = await expectError(request({ prompt: 'Recolour the hat [disabled]' }).then((r) => adapter.submit(r, ctx)));
    expect([e.code, e.providerCode, e.retryable]).toEqual(['bad_input', '505', false]);
    expect(codeForKie(505)).toBe('bad_input');
    expect([codeForKie(455), codeForKie(500), codeForKie(501)]).toEqual(['provider_error', 'provider_error', 'provider_error']);
  });

  it('uploads to the API host first (Kie’s current docs) and to the older host when that fails', async () => {
    const a = createKieAdapter({ apiKey: KEY, baseUrl: fake().url, options: { uploadFallbackBaseUrl: legacy().url } });
    await a.submit(await request(), ctx);
    expect(fake().requests.filter((r) => r.path === '/api/file-stream-upload')).toHaveLength(2);
    expect(legacy().requests).toHaveLength(0);

    fake().reset();
    fake().setMode('server_error', 1);
    await a.submit(await request({ images: [await image(1, 'image-1.png')] }), ctx);
    expect(fake().requests.map((r) => r.path)).toEqual(['/api/file-stream-upload', '/api/v1/jobs/createTask']);
    expect(legacy().requests.map((r) => r.path)).toEqual(['/api/file-stream-upload']);
    const sent = (fake().requests[1]!.body as { input: { input_urls: string[] } }).input.input_urls;
    expect(sent[0]?.startsWith(legacy().url)).toBe(true);
  });

  it('does not try the other upload host for a refused key', async () => {
    const a = createKieAdapter({ apiKey: KEY, baseUrl: fake().url, options: { uploadFallbackBaseUrl: legacy().url } });
    fake().setMode('auth', 1);
    const e = await expectError(request().then((r) => a.submit(r, ctx)));
    expect(e.code).toBe('auth');
    expect(legacy().requests).toHaveLength(0);
  });

  it('upload hosts: the API host then the older one by default; KIE_UPLOAD_BASE_URL alone when set', () => {
    expect(uploadBases(KIE_DEFAULT_BASE_URL)).toEqual(['https://api.kie.ai', KIE_LEGACY_UPLOAD_BASE_URL]);
    expect(uploadBases('https://kie-proxy.example/')).toEqual(['https://kie-proxy.example']);
    expect(uploadBases(KIE_DEFAULT_BASE_URL, { uploadBaseUrl: 'https://up.example/' })).toEqual(['https://up.example']);
  });

  itMapsFailureModes(
    [
      ['auth', 'auth', { httpStatus: 401 }],
      ['rate_limit', 'rate_limited', { retryAfterMs: 1000 }],
      ['server_error', 'provider_error', { httpStatus: 500 }],
      ['malformed_json', 'provider_error', {}],
      ['insufficient_funds', 'insufficient_funds', { providerCode: '402' }],
      ['bad_input', 'bad_input', { providerCode: '422' }],
      ['content_policy', 'content_policy', { blocked: 'input' }],
      ['fail_in_200', 'provider_error', { providerCode: '500', httpStatus: 200 }],
    ],
    {
      fake,
      title: (mode, code) => `submit in mode ${mode} → ${code}`,
      attempt: async () => adapter.submit(await request(), ctx),
      ...checks,
    },
  );

  it('an auth error that echoes the key is redacted', async () => {
    fake().setMode('auth');
    const e = await expectError(request().then((r) => adapter.submit(r, ctx)));
    expect(e.message).toContain('[redacted]');
  });

  it('a failed task inside HTTP 200 is a failed poll, not a thrown error', async () => {
    const handle = await submitHandle();
    fake().setMode('fail_in_200');
    const error = expectFailed(await adapter.poll(handle, ctx));
    expect(error.code).toBe('provider_error');
    expect(error.providerCode).toBe('500');
    checks.log.push(error.message);
  });

  it('output moderation in the poll result → content_policy blocked output', async () => {
    const handle = await submitHandle();
    fake().setMode('content_policy');
    const error = expectFailed(await adapter.poll(handle, ctx));
    expect(error).toMatchObject({ code: 'content_policy', blocked: 'output' });
    checks.log.push(error.message);
  });

  it('rate limiting while polling is thrown with Retry-After honoured', async () => {
    const { error, next } = await failOnePoll(fake(), adapter, await submitHandle(), 'rate_limit', checks);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect(next.state).toBe('queued');
  });

  it('a hanging vendor → timeout', async () => {
    const slow = createKieAdapter({ apiKey: KEY, baseUrl: fake().url, requestTimeoutMs: 300 });
    await expectTimeout(fake(), async () => slow.submit(await request(), ctx), checks);
  });

  it('the fake validates like Kie: an unknown model is a 422 → bad_input', async () => {
    const e = await expectError(request({ model: 'wan/9-9-image' }).then((r) => adapter.submit(r, ctx)));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/not supported/);
  });

  it('the fake refuses a request without a Bearer token with Kie’s 401 shape', async () => {
    const res = await fetch(`${fake().url}/api/v1/jobs/createTask`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 401 });
  });

  it('refuses to run without a key and rejects a garbled handle', async () => {
    const keyless = createKieAdapter({ baseUrl: fake().url });
    expect((await expectError(request().then((r) => keyless.submit(r, ctx)))).code).toBe('auth');
    expect((await expectError(adapter.poll('not json', ctx))).code).toBe('bad_input');
    expect(fake().requests).toHaveLength(0);
  });
});
