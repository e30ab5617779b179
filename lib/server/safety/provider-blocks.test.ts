import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtlasCloudFake } from '@/e2e/fakes/atlascloud';
import { startDashScopeFake } from '@/e2e/fakes/dashscope';
import { startFalFake } from '@/e2e/fakes/fal';
import type { FakeServer } from '@/e2e/fakes/kit';
import { startOpenAIFake } from '@/e2e/fakes/openai';
import { startStabilityFake } from '@/e2e/fakes/stability';
import { useTempDataDir } from '@/lib/testing/temp-data';

// Provider-side blocks, end to end on the record: each vendor's documented content-policy
// refusal (served by its fake in `content_policy` mode) maps to content_policy with the side
// that was refused and the vendor's request id; the failure writer turns that into the
// variation's blockKind and vendorRequestId. (The per-vendor codes and sides are asserted in
// each adapter's contract test; this file adds the request id and the variation record.)
useTempDataDir({ WORKER_ENABLED: '0' });

const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { retryVariation } = await import('../services/runs');
const { ProviderError } = await import('../providers/errors');
const { recordFailure } = await import('../jobs/failure');
const { allowOutbound, fakeInput, testCtx, expectPending, pollToEnd, expectFailed } = await import('../providers/testing/contract-kit');
const { createOpenAIAdapter } = await import('../providers/openai/adapter');
const { createStabilityAdapter } = await import('../providers/stability/adapter');
const { createDashScopeAdapter } = await import('../providers/dashscope/adapter');
const { createAtlasCloudAdapter } = await import('../providers/atlascloud/adapter');
const { createFalAdapter } = await import('../providers/fal/adapter');
const { expectSucceeded, downloadOnce } = await import('../providers/testing/contract-kit');
const { storedImage, leasedVariation, LEASE_TOKEN } = await import('../jobs/testing/seed');

type Error = InstanceType<typeof ProviderError>;

const fakes: FakeServer[] = [];
const undo: (() => void)[] = [];
async function started(start: () => Promise<FakeServer>): Promise<FakeServer> {
  const fake = await start();
  fakes.push(fake);
  undo.push(allowOutbound(fake.url));
  fake.setMode('content_policy');
  return fake;
}
afterAll(async () => {
  for (const u of undo) u();
  await Promise.all(fakes.map((f) => f.close()));
});

async function caught(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(e)}`);
  return e;
}

const request = async (model: string) => ({
  model,
  prompt: 'place the product on dark marble',
  images: [await fakeInput(3, 320, 240, 'image-1.png')],
  seed: 7,
  outputFormat: 'png' as const,
  idempotencyKey: 'idem-1',
});

describe('vendor refusals carry the side and the vendor’s request id', () => {
  it('OpenAI moderation_blocked: prompt side, x-request-id; a success keeps its x-request-id too', async () => {
    const fake = await started(startOpenAIFake);
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-openai-blocks', baseUrl: `${fake.url}/v1` });
    const error = await caught(adapter.submit(await request('gpt-image-1'), testCtx()));
    expect(error).toMatchObject({ code: 'content_policy', blocked: 'input', providerCode: 'moderation_blocked' });
    expect(error.vendorRequestId).toMatch(/^req_/);
    fake.setMode('ok');
    const done = await adapter.submit(await request('gpt-image-1'), testCtx());
    expect(done.kind === 'done' && done.vendorRequestId).toMatch(/^req_/);
  });

  it('Stability 403 content_moderation: prompt side, the error body’s id', async () => {
    const fake = await started(startStabilityFake);
    const adapter = createStabilityAdapter({ apiKey: 'sk-test-stability-blocks', baseUrl: fake.url });
    const error = await caught(adapter.submit({ ...(await request('sd3.5-large')), strength: 0.6 }, testCtx()));
    expect(error).toMatchObject({ code: 'content_policy', blocked: 'input', providerCode: 'content_moderation', httpStatus: 403 });
    expect(error.vendorRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('DashScope DataInspectionFailed at creation: prompt side, request_id', async () => {
    const fake = await started(startDashScopeFake);
    const adapter = createDashScopeAdapter({ apiKey: 'sk-test-dashscope-blocks', baseUrl: `${fake.url}/api/v1` });
    const error = await caught(adapter.submit(await request('wan2.7-image'), testCtx()));
    expect(error).toMatchObject({ code: 'content_policy', blocked: 'input' });
    expect(error.vendorRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Atlas Cloud moderation (error_code 1039): prompt side; a failed job falls back to the prediction id', async () => {
    const fake = await started(startAtlasCloudFake);
    const adapter = createAtlasCloudAdapter({ apiKey: 'canary-atlas-blocks', baseUrl: fake.url });
    const submitted = await adapter.submit(await request('alibaba/wan-2.7/image-edit'), testCtx()).then(
      (r) => r,
      (e: unknown) => e,
    );
    const error =
      submitted instanceof ProviderError
        ? submitted
        : expectFailed((await pollToEnd(adapter, (await expectPending(Promise.resolve(submitted as never))).handle)).last);
    expect(error).toMatchObject({ code: 'content_policy', blocked: 'input' });
  });
});

describe('a partly filtered answer keeps the good images', () => {
  it('fal: the flagged output is withheld and counted, the other one kept', async () => {
    const fake = await started(startFalFake);
    fake.setMode('ok');
    const adapter = createFalAdapter({ apiKey: 'id:secret-fal-blocks', baseUrl: fake.url, options: { storageBaseUrl: fake.url } });
    const submitted = await expectPending(
      adapter.submit({ ...(await request('fal-ai/flux-pro/kontext')), prompt: 'a [nsfw-first] edit' }, testCtx()),
    );
    const done = expectSucceeded((await pollToEnd(adapter, submitted.handle)).last);
    expect(done.blockedCount).toBe(1);
    expect(done.images).toHaveLength(1);
    // The kept link is the unflagged (second) output: the full-size one, not the 32 px stand-in.
    const { bytes } = await downloadOnce(done.images[0]!.url!);
    const meta = await sharp(bytes).metadata();
    expect(meta.width).toBeGreaterThan(32);
  });
});

describe('the variation record', () => {
  let sessionId = '';
  let assetId = '';
  beforeAll(async () => {
    sessionId = await createSession(ownerContext(), {});
    assetId = (await storedImage('#777777')).id;
  });

  const inFlight = () =>
    leasedVariation({ sessionId, referenceId: assetId, instruction: 'a product shot', status: 'running', provider: 'openai' });

  const fail = (id: string, error: Error, stage: 'submitting' | 'accepted', jobId: string | null = null) =>
    recordFailure({ row: { id, attempt: 0 }, token: LEASE_TOKEN, stage, resumable: false, vendor: 'Vendor', jobId, error });

  it('an input refusal is prompt-blocked with the error’s request id', async () => {
    const id = await inFlight();
    await fail(
      id,
      new ProviderError({ code: 'content_policy', blocked: 'input', message: 'refused', vendorRequestId: 'req_abc' }),
      'submitting',
    );
    const v = await db().variation.findUniqueOrThrow({ where: { id } });
    expect(v).toMatchObject({ status: 'failed', errorCode: 'content_policy', blockKind: 'prompt-blocked', vendorRequestId: 'req_abc' });
    expect(v.errorMessage).toMatch(/^The prompt or references were blocked\./);
  });

  it('an output filtered after the job ran is output-blocked with the job id; unsaid sides follow the stage', async () => {
    const out = await inFlight();
    await fail(out, new ProviderError({ code: 'content_policy', blocked: 'output', message: 'nsfw' }), 'accepted', 'pred_123');
    expect(await db().variation.findUniqueOrThrow({ where: { id: out } })).toMatchObject({
      blockKind: 'output-blocked',
      vendorRequestId: 'pred_123',
    });
    const unsaid = await inFlight();
    await fail(unsaid, new ProviderError({ code: 'content_policy', message: 'flagged' }), 'accepted', 'task_9');
    expect((await db().variation.findUniqueOrThrow({ where: { id: unsaid } })).blockKind).toBe('output-blocked');
    const early = await inFlight();
    await fail(early, new ProviderError({ code: 'content_policy', message: 'flagged' }), 'submitting');
    expect((await db().variation.findUniqueOrThrow({ where: { id: early } })).blockKind).toBe('prompt-blocked');
  });

  it('other failures are not blocks; a user retry clears the block', async () => {
    const id = await inFlight();
    await fail(id, new ProviderError({ code: 'bad_input', message: 'bad image' }), 'submitting');
    expect((await db().variation.findUniqueOrThrow({ where: { id } })).blockKind).toBeNull();
    const blocked = await inFlight();
    await fail(blocked, new ProviderError({ code: 'content_policy', blocked: 'input', message: 'x', vendorRequestId: 'r1' }), 'submitting');
    await retryVariation(ownerContext(), { variationId: blocked });
    expect(await db().variation.findUniqueOrThrow({ where: { id: blocked } })).toMatchObject({ blockKind: null, vendorRequestId: null });
  });
});
