import { beforeAll, describe, expect, it } from 'vitest';
import { DASHSCOPE_FAKE_MODELS, startDashScopeFake } from '@/e2e/fakes/dashscope';
import { DASHSCOPE_TARGETS } from '@/lib/providers/targets/dashscope';
import { createDashScopeAdapter, DASHSCOPE_BASE_URLS, dashscopeBaseUrl } from './adapter';
import { buildBody, isInternationalHost, sizeTier } from './wire';
import {
  downloadOnce,
  expectFailed,
  expectPending,
  expectProviderError,
  expectRefusedWithoutKey,
  expectSucceeded,
  expectTargetsServedByFake,
  expectTimeout,
  fakeInput,
  itMapsFailureModes,
  pollToEnd,
  testCtx as ctx,
  useFake,
} from '../testing/contract-kit';
import type { EditRequest, InputImage, ProviderAdapter } from '../types';

const KEY = 'sk-dashscope-test-0123456789';
const fake = useFake(startDashScopeFake);
let base: string;
let adapter: ProviderAdapter;
let images: InputImage[];
const caught = (p: Promise<unknown>) => expectProviderError(p, { secrets: [KEY] });
const input = (seed: number, name: string, format: 'png' | 'jpeg' = 'png') => fakeInput(seed, 320, 240, name, format);

function req(over: Partial<EditRequest> = {}): EditRequest {
  return {
    model: 'wan2.7-image',
    prompt: 'Spray the graffiti from image 2 onto the car in image 1',
    images,
    seed: 42,
    outputFormat: 'png',
    idempotencyKey: 'idem-1',
    ...over,
  };
}

async function pending(a: ProviderAdapter, r: EditRequest = req()): Promise<string> {
  return (await expectPending(a.submit(r, ctx()))).handle;
}

const creates = () => fake().requests.filter((r) => r.path === '/api/v1/services/aigc/image-generation/generation');
const creates21 = () => fake().requests.filter((r) => r.path === '/api/v1/services/aigc/image2image/image-synthesis');
const wan21 = (over: Partial<EditRequest> = {}) =>
  req({ model: 'wanx2.1-imageedit', prompt: 'Give the cat a pair of sunglasses', ...over });

beforeAll(async () => {
  base = `${fake().url}/api/v1`;
  adapter = createDashScopeAdapter({ apiKey: KEY, baseUrl: base });
  images = [await input(1, 'image-1.png'), await input(2, 'image-2.jpg', 'jpeg')];
});

describe('DashScope adapter against the fake (real HTTP)', () => {
  it('is configured only with a key, and picks the regional host when no base URL is set', async () => {
    expect(adapter.configured()).toBe(true);
    await expectRefusedWithoutKey(createDashScopeAdapter({ baseUrl: base }), req(), fake(), { secrets: [KEY] });
    expect(dashscopeBaseUrl(undefined, 'cn')).toBe(DASHSCOPE_BASE_URLS.cn);
    expect(dashscopeBaseUrl(undefined, undefined)).toBe('https://dashscope-intl.aliyuncs.com/api/v1');
    expect(dashscopeBaseUrl('http://x.test/api/v1/', 'cn')).toBe('http://x.test/api/v1');
  });

  it('creates a task, polls PENDING → RUNNING → SUCCEEDED, and the output downloads once', async () => {
    const sub = await expectPending(adapter.submit(req(), ctx()));
    expect(sub.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sub.handle)).toMatchObject({ taskId: sub.jobId, model: 'wan2.7-image' });
    const { states, last } = await pollToEnd(adapter, sub.handle);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    const done = expectSucceeded(last);
    expect(done.images).toHaveLength(1);
    expect(done.usage?.details).toMatchObject({ image_count: 1, size: '256*256' });
    const { bytes } = await downloadOnce(done.images[0]?.url ?? '');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('sends Bearer key, the async header, one text then the images as data URIs, n=1, no watermark', async () => {
    await adapter.submit(req({ size: { width: 2048, height: 1536 } }), ctx());
    const [c] = creates();
    expect(c?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(c?.headers['x-dashscope-async']).toBe('enable');
    const body = c?.body as {
      model: string;
      input: { messages: { role: string; content: Record<string, string>[] }[] };
      parameters: Record<string, unknown>;
    };
    expect(body.model).toBe('wan2.7-image');
    const [msg] = body.input.messages;
    expect(msg?.role).toBe('user');
    expect(msg?.content[0]).toEqual({ text: 'Spray the graffiti from image 2 onto the car in image 1' });
    expect(msg?.content[1]?.image).toBe(`data:image/png;base64,${images[0]?.bytes.toString('base64')}`);
    expect(msg?.content[2]?.image).toBe(`data:image/jpeg;base64,${images[1]?.bytes.toString('base64')}`);
    expect(body.parameters).toEqual({ n: 1, watermark: false, seed: 42, size: '2K' });
  });

  it('adds negative prompt and editing mode for wan2.6-image; 1K for small sizes', async () => {
    await adapter.submit(
      req({ model: 'wan2.6-image', negativePrompt: 'text, watermark', size: { width: 1024, height: 1024 }, seed: -5 }),
      ctx(),
    );
    const body = creates()[0]?.body as { parameters: Record<string, unknown> };
    expect(body.parameters).toEqual({
      n: 1,
      watermark: false,
      seed: 5,
      size: '1K',
      enable_interleave: false,
      negative_prompt: 'text, watermark',
    });
    expect(sizeTier({ width: 1280, height: 1024 })).toBe('1K');
    expect(sizeTier({ width: 1600, height: 1200 })).toBe('2K');
  });

  it('turns the fake’s own validation (5 images for wan2.6) into bad_input', async () => {
    const five = await Promise.all([1, 2, 3, 4, 5].map((s) => input(s, `image-${s}.png`)));
    const err = await caught(adapter.submit(req({ model: 'wan2.6-image', images: five }), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.providerCode).toBe('InvalidParameter');
    expect(err.message).toContain('at most 4');
  });

  it('answers a synchronous call and a missing key the way DashScope does', async () => {
    const sync = await fetch(`${base}/services/aigc/image-generation/generation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sync.status).toBe(403);
    expect(await sync.json()).toMatchObject({ code: 'AccessDenied' });
    const anon = await fetch(`${base}/tasks/abc`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ code: 'InvalidApiKey' });
  });

  itMapsFailureModes(
    [
      ['auth', 'auth', { providerCode: 'InvalidApiKey' }],
      ['insufficient_funds', 'insufficient_funds', { providerCode: 'Arrearage' }],
      ['bad_input', 'bad_input', { providerCode: 'InvalidParameter' }],
      ['server_error', 'provider_error', { providerCode: 'InternalError' }],
      ['malformed_json', 'provider_error', { providerCode: undefined }],
    ],
    {
      fake,
      title: (mode, code) => `maps ${mode} at task creation to ${code}`,
      attempt: () => adapter.submit(req(), ctx()),
      secrets: [KEY],
    },
  );

  it('maps Throttling (429) to rate_limited with Retry-After', async () => {
    fake().setMode('rate_limit');
    const err = await caught(adapter.submit(req(), ctx()));
    expect(err.code).toBe('rate_limited');
    expect(err.providerCode).toBe('Throttling.RateQuota');
    expect(err.retryAfterMs).toBe(1000);
  });

  it('maps input moderation at creation to content_policy blocked input', async () => {
    fake().setMode('content_policy');
    const err = await caught(adapter.submit(req(), ctx()));
    expect(err.code).toBe('content_policy');
    expect(err.blocked).toBe('input');
    expect(err.providerCode).toBe('DataInspectionFailed');
  });

  it('maps output moderation of a running task to content_policy blocked output', async () => {
    const handle = await pending(adapter);
    fake().setMode('content_policy');
    const error = expectFailed((await pollToEnd(adapter, handle)).last);
    expect(error.code).toBe('content_policy');
    expect(error.blocked).toBe('output');
  });

  it('reads FAILED inside HTTP 200 as provider_error with the vendor code', async () => {
    fake().setMode('fail_in_200');
    const handle = await pending(adapter);
    const error = expectFailed((await pollToEnd(adapter, handle)).last);
    expect(error.code).toBe('provider_error');
    expect(error.providerCode).toBe('InternalError.Algo');
  });

  it('reports an unknown (expired) task as failed', async () => {
    const r = await adapter.poll(JSON.stringify({ v: 1, taskId: 'no-such-task', model: 'wan2.7-image' }), ctx());
    expect(r.state).toBe('failed');
    if (r.state === 'failed') expect(r.error.message).toContain('unknown');
  });

  it('cancels a PENDING task; cancelling a running one is a quiet no-op', async () => {
    const h1 = await pending(adapter);
    await adapter.cancel?.(h1, ctx());
    expect(fake().requests.some((r) => r.method === 'POST' && /\/tasks\/[\w-]+\/cancel$/.test(r.path))).toBe(true);
    expect((await adapter.poll(h1, ctx())).state).toBe('cancelled');

    const h2 = await pending(adapter);
    await adapter.poll(h2, ctx());
    await adapter.poll(h2, ctx()); // RUNNING now
    await expect(adapter.cancel?.(h2, ctx())).resolves.toBeUndefined();
    expect((await adapter.poll(h2, ctx())).state).toBe('succeeded');

    fake().setMode('auth');
    expect((await caught(adapter.cancel?.(h2, ctx()) ?? Promise.resolve())).code).toBe('auth');
  });

  it('gives up on a hanging vendor with timeout', async () => {
    const quick = createDashScopeAdapter({ apiKey: KEY, baseUrl: base, requestTimeoutMs: 300 });
    const handle = await pending(quick);
    await expectTimeout(fake(), () => quick.poll(handle, ctx()), { secrets: [KEY] });
  });

  it('never sends seed 0, which some Wan gateways read as "random"', async () => {
    await adapter.submit(req({ seed: 0 }), ctx());
    const body = creates()[0]?.body as { parameters: Record<string, unknown> } | undefined;
    expect(body?.parameters.seed).toBe(2147483647);
  });

  describe('Wan 2.1 image edit (wanx2.1-imageedit)', () => {
    it('is refused on the Singapore host before any call: the model is served in Beijing only', async () => {
      const intl = createDashScopeAdapter({ apiKey: KEY, baseUrl: '', options: { region: 'intl' } });
      const err = await caught(intl.submit(wan21(), ctx()));
      expect(err.code).toBe('bad_input');
      expect(err.message).toContain('Beijing');
      expect(err.message).toContain('DASHSCOPE_REGION=cn');
      expect(fake().requests).toHaveLength(0);
      expect(isInternationalHost(dashscopeBaseUrl(undefined, 'intl'))).toBe(true);
      expect(isInternationalHost(dashscopeBaseUrl(undefined, 'cn'))).toBe(false);
      expect(isInternationalHost('https://ws-1.cn-beijing.maas.aliyuncs.com/api/v1')).toBe(false);
    });

    it('posts to its own endpoint: description_edit, the first reference as base image, strength, a non-zero seed', async () => {
      await adapter.submit(wan21({ strength: 0.3, seed: 0 }), ctx());
      expect(creates()).toHaveLength(0);
      const [c] = creates21();
      expect(c?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(c?.headers['x-dashscope-async']).toBe('enable');
      expect(c?.body).toEqual({
        model: 'wanx2.1-imageedit',
        input: {
          function: 'description_edit',
          prompt: 'Give the cat a pair of sunglasses',
          base_image_url: `data:image/png;base64,${images[0]?.bytes.toString('base64')}`,
        },
        parameters: { n: 1, seed: 2147483647, strength: 0.3 },
      });
      await adapter.submit(wan21({ strength: undefined }), ctx());
      const second = creates21()[1]?.body as { parameters: Record<string, unknown> } | undefined;
      expect(second?.parameters).toEqual({ n: 1, seed: 42 });
    });

    it('polls PENDING → RUNNING → SUCCEEDED and reads its own result shape (output.results[].url)', async () => {
      const sub = await expectPending(adapter.submit(wan21(), ctx()));
      expect(JSON.parse(sub.handle)).toMatchObject({ taskId: sub.jobId, model: 'wanx2.1-imageedit' });
      const { states, last } = await pollToEnd(adapter, sub.handle);
      expect(states).toEqual(['queued', 'running', 'succeeded']);
      const done = expectSucceeded(last);
      expect(done.images).toHaveLength(1);
      expect(done.usage?.details).toEqual({ image_count: 1 });
      const { bytes } = await downloadOnce(done.images[0]?.url ?? '');
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    });

    it('each endpoint knows only its own models, as DashScope answers', async () => {
      const on27 = await fetch(`${base}/services/aigc/image-generation/generation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-dashscope-async': 'enable' },
        body: JSON.stringify({ model: 'wanx2.1-imageedit', input: { messages: [] } }),
      });
      expect(await on27.json()).toMatchObject({ code: 'InvalidParameter', message: 'Model not exist.' });
      const on21 = await fetch(`${base}/services/aigc/image2image/image-synthesis`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-dashscope-async': 'enable' },
        body: JSON.stringify(buildBody(req())),
      });
      expect(on21.status).toBe(400);
      expect(await on21.json()).toMatchObject({ code: 'InvalidParameter', message: 'Model not exist.' });
    });

    it('maps a FAILED task and output moderation the same way as Wan 2.7', async () => {
      fake().setMode('fail_in_200');
      const failed = expectFailed((await pollToEnd(adapter, await pending(adapter, wan21()))).last);
      expect(failed.code).toBe('provider_error');
      fake().setMode('ok');
      const handle = await pending(adapter, wan21());
      fake().setMode('content_policy');
      const moderated = expectFailed((await pollToEnd(adapter, handle)).last);
      expect(moderated.code).toBe('content_policy');
      expect(moderated.blocked).toBe('output');
    });
  });

  it('keeps the key out of error messages even when the vendor echoes it', async () => {
    const leaky = createDashScopeAdapter({ apiKey: KEY, baseUrl: `${fake().url}/${KEY}` });
    const err = await caught(leaky.submit(req(), ctx()));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('[redacted]');
  });

  it('offers only targets the fake serves, within their reference limits and with parseable sizes', () => {
    expectTargetsServedByFake('dashscope', DASHSCOPE_TARGETS, DASHSCOPE_FAKE_MODELS);
  });
});
