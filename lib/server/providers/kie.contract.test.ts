import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeImage, type FakeMode, type FakeServer } from '@/e2e/fakes/kit';
import { startKieFake } from '@/e2e/fakes/kie';
import { ProviderError } from './errors';
import { createKieAdapter } from './kie';
import type { AdapterContext, EditRequest, InputImage, PollResult, ProviderAdapter } from './types';

const KEY = 'kie-test-key-7f3a9c2e51';
let fake: FakeServer;
let adapter: ProviderAdapter;
const ctx: AdapterContext = { signal: new AbortController().signal };
const messages: string[] = [];

async function image(seed: number, name: string): Promise<InputImage> {
  const bytes = await fakeImage(seed, 64, 48);
  return { bytes, mime: 'image/png', width: 64, height: 48, filename: name, sha256: createHash('sha256').update(bytes).digest('hex') };
}

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
  const res = await adapter.submit(await request(), ctx);
  if (res.kind !== 'pending') throw new Error('expected a pending job');
  return res.handle;
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

beforeAll(async () => {
  fake = await startKieFake();
  adapter = createKieAdapter({ apiKey: KEY, baseUrl: fake.url });
});
afterAll(async () => {
  // Every error any test produced, in one place: the key must never leak into a message.
  expect(messages.length).toBeGreaterThan(8);
  for (const m of messages) expect(m).not.toContain(KEY);
  await fake.close();
});
beforeEach(() => fake.reset());

describe('Kie.ai adapter against the fake', () => {
  it('is configured only with a key', () => {
    expect(adapter.configured()).toBe(true);
    expect(createKieAdapter({ baseUrl: fake.url }).configured()).toBe(false);
    expect(adapter.deadlineMs).toBeGreaterThanOrEqual(60_000);
  });

  it('uploads, submits, polls to success and hands back a one-shot output link', async () => {
    const req = await request();
    const sub = await adapter.submit(req, ctx);
    expect(sub.kind).toBe('pending');
    if (sub.kind !== 'pending') return;
    expect(sub.jobId).toMatch(/^task_wan_/);

    const states: PollResult[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await adapter.poll(sub.handle, ctx);
      states.push(r);
      if (r.state === 'succeeded' || r.state === 'failed') break;
    }
    expect(states.map((s) => s.state)).toEqual(['queued', 'running', 'succeeded']);
    const done = states[2];
    if (done?.state !== 'succeeded') throw new Error('not succeeded');
    expect(done.images).toHaveLength(1);
    expect(done.usage?.details).toMatchObject({ credits: 6, costTimeMs: 1500 });

    const url = done.images[0]?.url ?? '';
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const meta = await sharp(Buffer.from(await first.arrayBuffer())).metadata();
    expect(meta.format).toBe('png');
    expect((await fetch(url)).status).toBe(404);
  });

  it('sends the documented fields, the Bearer key and the references in order', async () => {
    const req = await request();
    await adapter.submit(req, ctx);

    const uploads = fake.requests.filter((r) => r.path === '/api/file-stream-upload');
    expect(uploads).toHaveLength(2);
    for (const u of uploads) expect(u.headers.authorization).toBe(`Bearer ${KEY}`);

    const create = fake.requests.find((r) => r.path === '/api/v1/jobs/createTask');
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

  it('maps a large size to the 2K tier and omits resolution for auto', async () => {
    await adapter.submit(await request({ size: { width: 2048, height: 2048 }, seed: -5 }), ctx);
    await adapter.submit(await request({ size: undefined }), ctx);
    const creates = fake.requests.filter((r) => r.path === '/api/v1/jobs/createTask').map((r) => (r.body as { input: Record<string, unknown> }).input);
    expect(creates[0]).toMatchObject({ resolution: '2K', seed: 5 });
    expect(creates[1]).not.toHaveProperty('resolution');
  });

  const submitModes: [FakeMode, string, Partial<ProviderError>][] = [
    ['auth', 'auth', { httpStatus: 401 }],
    ['rate_limit', 'rate_limited', { retryAfterMs: 1000 }],
    ['server_error', 'provider_error', { httpStatus: 500 }],
    ['malformed_json', 'provider_error', {}],
    ['insufficient_funds', 'insufficient_funds', { providerCode: '402' }],
    ['bad_input', 'bad_input', { providerCode: '422' }],
    ['content_policy', 'content_policy', { blocked: 'input' }],
    ['fail_in_200', 'provider_error', { providerCode: '500', httpStatus: 200 }],
  ];
  for (const [mode, code, extra] of submitModes) {
    it(`submit in mode ${mode} → ${code}`, async () => {
      fake.setMode(mode);
      const e = await expectError(request().then((r) => adapter.submit(r, ctx)));
      expect(e.code).toBe(code);
      expect(e).toMatchObject(extra);
    });
  }

  it('an auth error that echoes the key is redacted', async () => {
    fake.setMode('auth');
    const e = await expectError(request().then((r) => adapter.submit(r, ctx)));
    expect(e.message).toContain('[redacted]');
  });

  it('a failed task inside HTTP 200 is a failed poll, not a thrown error', async () => {
    const handle = await submitHandle();
    fake.setMode('fail_in_200');
    const r = await adapter.poll(handle, ctx);
    expect(r.state).toBe('failed');
    if (r.state !== 'failed') return;
    expect(r.error.code).toBe('provider_error');
    expect(r.error.providerCode).toBe('500');
    messages.push(r.error.message);
  });

  it('output moderation in the poll result → content_policy blocked output', async () => {
    const handle = await submitHandle();
    fake.setMode('content_policy');
    const r = await adapter.poll(handle, ctx);
    if (r.state !== 'failed') throw new Error(`expected failed, got ${r.state}`);
    expect(r.error).toMatchObject({ code: 'content_policy', blocked: 'output' });
    messages.push(r.error.message);
  });

  it('rate limiting while polling is thrown with Retry-After honoured', async () => {
    const handle = await submitHandle();
    fake.setMode('rate_limit', 1);
    const e = await expectError(adapter.poll(handle, ctx));
    expect(e).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect((await adapter.poll(handle, ctx)).state).toBe('queued');
  });

  it('a hanging vendor → timeout', async () => {
    const slow = createKieAdapter({ apiKey: KEY, baseUrl: fake.url, requestTimeoutMs: 300 });
    fake.setMode('hang');
    const e = await expectError(request().then((r) => slow.submit(r, ctx)));
    expect(e.code).toBe('timeout');
  });

  it('the fake validates like Kie: an unknown model is a 422 → bad_input', async () => {
    const e = await expectError(request({ model: 'wan/9-9-image' }).then((r) => adapter.submit(r, ctx)));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/not supported/);
  });

  it('the fake refuses a request without a Bearer token with Kie’s 401 shape', async () => {
    const res = await fetch(`${fake.url}/api/v1/jobs/createTask`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 401 });
  });

  it('refuses to run without a key and rejects a garbled handle', async () => {
    const keyless = createKieAdapter({ baseUrl: fake.url });
    expect((await expectError(request().then((r) => keyless.submit(r, ctx)))).code).toBe('auth');
    expect((await expectError(adapter.poll('not json', ctx))).code).toBe('bad_input');
    expect(fake.requests).toHaveLength(0);
  });
});
