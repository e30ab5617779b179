import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { startKieFake } from '@/e2e/fakes/kie';
import { createKieAdapter } from './adapter';
import { downloadOnce, expectFailed, expectPending, expectProviderError, expectSucceeded, expectTimeout, failOnePoll, fakeInput, itMapsFailureModes, pollToEnd, testCtx, useErrorLog, useFake } from '../testing/contract-kit';
import type { AdapterContext, EditRequest, ProviderAdapter } from '../types';

const KEY = 'kie-test-key-7f3a9c2e51';
const fake = useFake(startKieFake);
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

  it('maps a large size to the 2K tier and omits resolution for auto', async () => {
    await adapter.submit(await request({ size: { width: 2048, height: 2048 }, seed: -5 }), ctx);
    await adapter.submit(await request({ size: undefined }), ctx);
    const creates = fake().requests.filter((r) => r.path === '/api/v1/jobs/createTask').map((r) => (r.body as { input: Record<string, unknown> }).input);
    expect(creates[0]).toMatchObject({ resolution: '2K', seed: 5 });
    expect(creates[1]).not.toHaveProperty('resolution');
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
    { fake, title: (mode, code) => `submit in mode ${mode} → ${code}`, attempt: async () => adapter.submit(await request(), ctx), ...checks },
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
    const res = await fetch(`${fake().url}/api/v1/jobs/createTask`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
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
