import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startReplicateFake } from '@/e2e/fakes/replicate';
import { REPLICATE_TARGETS } from '@/lib/providers/targets/replicate';
import type { RecordedRequest } from '@/e2e/fakes/kit';
import { createReplicateAdapter } from './adapter';
import { replicateHttpError } from './errors';
import { DATA_URI_MAX_BYTES, pollResultFrom } from './wire';
import {
  GENERIC_HTTP_FAILURES,
  atTargetLimits,
  downloadOnce,
  expectDone,
  expectFailed,
  expectPending,
  expectProviderError,
  expectSucceeded,
  expectTimeout,
  itMapsFailureModes,
  pollToEnd,
  testCtx as ctx,
  toInputImage,
  useFake,
} from '../testing/contract-kit';
import type { EditRequest, InputImage, ProviderAdapter } from '../types';

const KEY = 'r8_contract-secret-token-0123456789';
const fake = useFake(startReplicateFake);
const failure = (p: Promise<unknown>) => expectProviderError(p, { secrets: [KEY] });

async function inputImage(width: number, height: number, noisy = false): Promise<InputImage> {
  // Noise does not compress, which is how we get a PNG past the data-URI limit.
  const bytes = noisy
    ? await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
        .png()
        .toBuffer()
    : await sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 200 } } })
        .png()
        .toBuffer();
  return toInputImage(bytes, { width, height, filename: 'image-1.png' });
}

function adapter(
  options: Record<string, string> = {},
  extra: { apiKey?: string; requestTimeoutMs?: number } = { apiKey: KEY },
): ProviderAdapter {
  return createReplicateAdapter({ apiKey: extra.apiKey, baseUrl: `${fake().url}/v1`, options, requestTimeoutMs: extra.requestTimeoutMs });
}

async function request(over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'black-forest-labs/flux-kontext-pro',
    prompt: 'put the bottle on a beach at sunset',
    images: [await inputImage(300, 200)],
    seed: 777,
    outputFormat: 'png',
    idempotencyKey: 'var-1',
    ...over,
  };
}

const creates = (): RecordedRequest[] => fake().requests.filter((r) => /\/predictions$/.test(r.path) && r.method === 'POST');
function lastInput(): Record<string, unknown> {
  const body = creates().at(-1)?.body as { input?: Record<string, unknown> } | undefined;
  expect(body?.input).toBeTypeOf('object');
  return body!.input!;
}

async function pending(a: ProviderAdapter, req: EditRequest): Promise<string> {
  return (await expectPending(a.submit(req, ctx()))).handle;
}

/** Replicate's predictions finish within a few polls against the fake(). */
const pollFew = (a: ProviderAdapter, handle: string) => pollToEnd(a, handle, { maxPolls: 5 });

describe('Replicate adapter against its fake', () => {
  it('is configured only with a token', () => {
    expect(adapter({}, {}).configured()).toBe(false);
    expect(adapter().configured()).toBe(true);
  });

  it('runs a Kontext prediction: create, processing, succeeded, one download', async () => {
    const a = adapter();
    const res = await expectPending(a.submit(await request(), ctx()));
    expect(res.jobId).toMatch(/^[a-z0-9_-]{10,}$/);

    const sent = creates()[0];
    expect(sent?.path).toBe('/v1/models/black-forest-labs/flux-kontext-pro/predictions');
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.headers.prefer).toBe('wait=5');
    expect(sent?.headers['cancel-after']).toBe('180s');
    const input = lastInput();
    expect(input).toMatchObject({
      prompt: 'put the bottle on a beach at sunset',
      seed: 777,
      aspect_ratio: 'match_input_image',
      output_format: 'png',
      safety_tolerance: 2,
    });
    expect(String(input.input_image)).toMatch(/^data:image\/png;base64,/);

    const { states, last } = await pollFew(a, res.handle);
    expect(states).toEqual(['running', 'succeeded']);
    const done = expectSucceeded(last);
    expect(done.usage?.details?.predictTimeSec).toBe(2.5);
    const url = done.images[0]?.url;
    expect(url).toBeTruthy();
    const meta = await sharp((await downloadOnce(url!)).bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 300, 200]);
    expect(fake().requests.some((r) => r.method === 'GET' && r.path === `/v1/predictions/${res.jobId}`)).toBe(true);
  });

  it('maps a requested size to the nearest Kontext ratio and jpeg to jpg', async () => {
    await pending(adapter(), await request({ size: { width: 1216, height: 832 }, outputFormat: 'jpeg' }));
    expect(lastInput()).toMatchObject({ aspect_ratio: '3:2', output_format: 'jpg' });
  });

  it('returns done when the model finishes inside Prefer: wait (flux-dev img2img)', async () => {
    const res = await expectDone(
      adapter({ waitSeconds: '10' }).submit(
        await request({ model: 'black-forest-labs/flux-dev', strength: 0.35, guidance: 3.5, outputFormat: 'jpeg' }),
        ctx(),
      ),
    );
    expect(creates()[0]?.headers.prefer).toBe('wait=10');
    expect(lastInput()).toMatchObject({
      prompt_strength: 0.35,
      guidance: 3.5,
      go_fast: false,
      output_format: 'jpg',
      num_outputs: 1,
      seed: 777,
    });
    expect(String(lastInput().image)).toMatch(/^data:image\/png;base64,/);
    const bytes = Buffer.from(await (await fetch(res.images[0]!.url!)).arrayBuffer());
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
  });

  it('uploads a reference bigger than the data-URI limit through the files API', async () => {
    const big = await inputImage(400, 400, true);
    expect(big.bytes.length).toBeGreaterThan(DATA_URI_MAX_BYTES);
    await pending(adapter(), await request({ images: [big] }));
    const upload = fake().requests.find((r) => r.path === '/v1/files');
    expect(upload?.method).toBe('POST');
    expect(String(upload?.headers['content-type'])).toMatch(/^multipart\/form-data/);
    expect(upload?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(String(lastInput().input_image)).toMatch(new RegExp(`^${fake().url}/v1/files/[0-9a-f]+$`));
  });

  it('sends every Wan 2.7 reference in `images` with a preset size and num_outputs', async () => {
    const images = [await inputImage(300, 200), await inputImage(200, 300)];
    await pending(adapter(), await request({ model: 'wan-video/wan-2.7-image', images, size: { width: 1024, height: 1024 } }));
    const input = lastInput();
    expect(input.images).toHaveLength(2);
    expect(input).toMatchObject({ size: '1024*1024', seed: 777, num_outputs: 1 });
    expect(input).not.toHaveProperty('n');
  });

  it('Wan 2.7 `size` is an enum: any other W*H is refused with 422, so the adapter maps to a preset', async () => {
    // What the adapter used to send for a size the enum lacks: the fake refuses it as Replicate does.
    const direct = await fetch(`${fake().url}/v1/models/wan-video/wan-2.7-image/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'x', images: [], size: '1344*768' } }),
    });
    expect(direct.status).toBe(422);
    expect(((await direct.json()) as { invalid_fields: { field: string }[] }).invalid_fields.map((f) => f.field)).toContain('input.size');

    const a = adapter();
    const sent: string[] = [];
    for (const size of [{ width: 1344, height: 768 }, { width: 900, height: 1200 }, undefined]) {
      const { last } = await pollFew(
        a,
        await pending(a, await request({ model: 'wan-video/wan-2.7-image', images: [await inputImage(400, 300)], size })),
      );
      expect(last.state).toBe('succeeded');
      sent.push(String(lastInput().size));
    }
    expect(sent).toEqual(['1280*720', '768*1024', '2K']);
  });

  it('Wan 2.7 with size auto ("2K") keeps the reference shape, and seed 0 is never sent', async () => {
    const a = adapter();
    const { last } = await pollFew(
      a,
      await pending(a, await request({ model: 'wan-video/wan-2.7-image', images: [await inputImage(400, 300)], seed: 0 })),
    );
    const out = await downloadOnce(expectSucceeded(last).images[0]!.url!);
    const meta = await sharp(out.bytes).metadata();
    expect((meta.width ?? 0) / (meta.height ?? 1)).toBeCloseTo(4 / 3, 2);
    expect(lastInput().seed).toBe(2147483647);
  });

  it.each(REPLICATE_TARGETS.map((t) => [t.model, t] as const))('can run catalog target %s with its own limits', async (_, t) => {
    const a = adapter();
    const req = await request(await atTargetLimits(t, (w, h) => inputImage(w, h)));
    const { last } = await pollFew(a, await pending(a, req));
    expect(last.state).toBe('succeeded');
  });

  it('cancels a running prediction', async () => {
    const a = adapter();
    const handle = await pending(a, await request());
    await a.cancel!(handle, ctx());
    expect(fake().requests.some((r) => r.method === 'POST' && /\/v1\/predictions\/[^/]+\/cancel$/.test(r.path))).toBe(true);
    expect((await a.poll(handle, ctx())).state).toBe('cancelled');
  });

  itMapsFailureModes([...GENERIC_HTTP_FAILURES, ['bad_input', 'bad_input']], {
    fake,
    title: (mode, code) => `maps mode ${mode} at submit to ${code}`,
    attempt: async () => adapter().submit(await request(), ctx()),
    secrets: [KEY],
  });

  it('reports output moderation during the job as content_policy on the output', async () => {
    fake().setMode('content_policy');
    const a = adapter();
    const error = expectFailed((await pollFew(a, await pending(a, await request()))).last);
    expect(error.code).toBe('content_policy');
    expect(error.blocked).toBe('output');
    expect(error.message).toMatch(/E005/);
  });

  it('reads a failed prediction inside HTTP 200 as a retryable provider error', async () => {
    fake().setMode('fail_in_200');
    const a = adapter();
    const error = expectFailed((await pollFew(a, await pending(a, await request({ model: 'black-forest-labs/flux-dev' })))).last);
    expect(error.code).toBe('provider_error');
    expect(error.retryable).toBe(true);
  });

  it('times out on a hanging vendor', async () => {
    await expectTimeout(fake(), async () => adapter({}, { apiKey: KEY, requestTimeoutMs: 300 }).submit(await request(), ctx()), {
      secrets: [KEY],
    });
  });

  it('never lets the token into an error message, even when the vendor echoes it', async () => {
    const a = adapter();
    const handle = await pending(a, await request());
    fake().setMode('auth');
    const errors = [
      await failure(a.submit(await request(), ctx())),
      await failure(a.poll(handle, ctx())),
      await failure(a.cancel!(handle, ctx())),
    ];
    for (const e of errors) {
      expect(e.code).toBe('auth');
      expect(e.message).toContain('[redacted]');
      expect(e.message).not.toContain(KEY);
    }
  });
});

describe('Replicate wire mapping', () => {
  const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers(headers),
    json: body,
    text: JSON.stringify(body),
  });

  it('takes the 429 wait from the detail when Retry-After is missing', () => {
    const e = replicateHttpError(
      res(429, { title: 'Request was throttled.', detail: 'Request was throttled. Your rate limit resets in ~30s.', status: 429 }),
      [],
    );
    expect(e.code).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(30_000);
  });

  it('maps 402, 404 and a moderated 422', () => {
    expect(replicateHttpError(res(402, { title: 'Insufficient credit', detail: 'x' }), []).code).toBe('insufficient_funds');
    expect(replicateHttpError(res(404, { title: 'Not found', detail: 'x' }), []).code).toBe('bad_input');
    const moderated = replicateHttpError(res(422, { title: 'Input validation failed', detail: 'prompt was flagged by moderation' }), []);
    expect([moderated.code, moderated.blocked]).toEqual(['content_policy', 'input']);
  });

  it('maps aborted (Cancel-After before start) to timeout and an unreadable image to bad_input', () => {
    const aborted = pollResultFrom({ id: 'p', status: 'aborted' }, []);
    expect(aborted.state === 'failed' && aborted.error.code).toBe('timeout');
    const bad = pollResultFrom({ id: 'p', status: 'failed', error: 'cannot identify image file <_io.BytesIO>' }, []);
    expect(bad.state === 'failed' && bad.error.code).toBe('bad_input');
  });
});

describe('Replicate fake speaks the protocol', () => {
  const post = (path: string, body: unknown, authorization?: string) =>
    fetch(`${fake().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });

  it('refuses a missing or wrong-scheme token with a 401 problem', async () => {
    for (const authorization of [undefined, `Basic ${KEY}`]) {
      const r = await post('/v1/models/black-forest-labs/flux-dev/predictions', { input: { prompt: 'x' } }, authorization);
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ title: 'Unauthenticated', status: 401 });
    }
  });

  it('rejects a prediction without a prompt with 422 invalid_fields', async () => {
    const r = await post('/v1/models/black-forest-labs/flux-kontext-pro/predictions', { input: { seed: 1 } }, `Bearer ${KEY}`);
    expect(r.status).toBe(422);
    const body = (await r.json()) as { title: string; invalid_fields: { field: string }[] };
    expect(body.title).toBe('Input validation failed');
    expect(body.invalid_fields.map((f) => f.field)).toContain('input.prompt');
  });
});
