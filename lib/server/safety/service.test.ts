import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIFake } from '@/e2e/fakes/openai';
import { MODERATION_TRIGGER } from '@/e2e/fakes/openai-moderation';
import type { FakeServer } from '@/e2e/fakes/kit';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ WORKER_ENABLED: '0' });

const { db } = await import('../db/client');
const { resetEnvCache } = await import('../env');
const { storeAsset } = await import('../assets');
const { prepareImage } = await import('../images/prepare');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun, submitRunSchema } = await import('../services/runs');
const { AppError } = await import('../errors');
const { allowOutbound } = await import('../providers/testing/contract-kit');
const { addSafetyRule, removeSafetyRule, loadSafetyOverview, listSafetyEvents } = await import('./service');
const { createBatch } = await import('../services/batches');
const { OFFLINE_TARGET_ID } = await import('@/lib/providers/catalog');

const owner = ownerContext();
const other = ownerContext('elsewhere');
let sessionId = '';
const assetIds: string[] = [];
let fake: FakeServer;
let disallow: () => void;

beforeAll(async () => {
  sessionId = await createSession(owner, {});
  for (const colour of ['#884422', '#224488']) {
    const png = await sharp({ create: { width: 900, height: 600, channels: 4, background: colour } })
      .png()
      .toBuffer();
    const prepared = await prepareImage(png, 'ref.png');
    if (!prepared.ok) throw new Error(prepared.error.message);
    assetIds.push((await storeAsset(prepared.image, 'upload')).id);
  }
  fake = await startOpenAIFake();
  disallow = allowOutbound(fake.url);
});

afterAll(async () => {
  disallow();
  await fake.close();
});

function setModeration(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

beforeEach(async () => {
  fake.reset();
  setModeration({ SAFETY_MODERATION: 'off', SAFETY_MODERATION_ON_ERROR: undefined, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined });
  await db().safetyRule.deleteMany({});
  await db().safetyEvent.deleteMany({});
});

const run = (instruction: string, negativePrompt = '', refs = assetIds.slice(0, 1)) =>
  submitRun(
    owner,
    submitRunSchema.parse({ sessionId, instruction, negativePrompt, referenceIds: refs, targets: [OFFLINE_TARGET_ID], count: 2, seed: 1 }),
  );

async function refusal(p: Promise<unknown>): Promise<InstanceType<typeof AppError>> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('blocklist in submitRun', () => {
  it('refuses a run whose instruction holds a blocked word: nothing created, the event recorded with the reason', async () => {
    await addSafetyRule(owner, { kind: 'word', value: 'Brand-X' });
    const runsBefore = await db().run.count();
    const e = await refusal(run('Put the brand x logo on the mug'));
    expect(e.code).toBe('content_blocked');
    expect(e.status).toBe(422);
    expect(e.message).toContain('The instruction contains the blocked term “Brand-X”.');
    expect(e.message).toContain('Nothing was sent or billed.');
    expect(e.fields).toEqual({ instruction: 'The instruction contains the blocked term “Brand-X”.' });
    expect(await db().run.count()).toBe(runsBefore);
    expect(await db().variation.count({ where: { run: { instruction: 'Put the brand x logo on the mug' } } })).toBe(0);
    const events = await listSafetyEvents(owner);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'blocklist',
      sessionId,
      instruction: 'Put the brand x logo on the mug',
      targets: [OFFLINE_TARGET_ID],
    });
    // Another workspace neither sees the event nor is bound by the rule.
    expect(await listSafetyEvents(other)).toEqual([]);
  });

  it('checks the negative prompt and patterns too, and lets clean runs through', async () => {
    await addSafetyRule(owner, { kind: 'pattern', value: 'sku-\\d{3,}' });
    const e = await refusal(run('a clean product shot', 'no SKU-1234 text'));
    expect(e.fields).toHaveProperty('negativePrompt');
    const ok = await run('a clean product shot', 'no text');
    expect(ok.variationIds).toHaveLength(2);
  });

  it('a removed rule no longer blocks', async () => {
    const rule = await addSafetyRule(owner, { kind: 'word', value: 'forbidden' });
    await expect(run('a forbidden fruit')).rejects.toThrow(/blocked term/);
    await removeSafetyRule(owner, { ruleId: rule.id });
    await expect(run('a forbidden fruit')).resolves.toHaveProperty('runId');
    await expect(removeSafetyRule(owner, { ruleId: rule.id })).rejects.toThrow(/no longer/);
  });

  it('refuses a word that normalises to one already listed, and keeps workspaces apart', async () => {
    await addSafetyRule(owner, { kind: 'word', value: 'Brand-X' });
    await expect(addSafetyRule(owner, { kind: 'word', value: 'brand x' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addSafetyRule(other, { kind: 'word', value: 'brand x' })).resolves.toHaveProperty('id');
    expect((await loadSafetyOverview(owner)).rules.map((r) => r.value)).toEqual(['Brand-X']);
    // The other workspace's rule does not apply here.
    await db().safetyRule.deleteMany({ where: { workspaceId: owner.workspaceId } });
    await expect(run('brand x mug')).resolves.toHaveProperty('runId');
  });
});

describe('batches', () => {
  it('a batch whose instruction is blocked is refused once at creation, with one event and no batch', async () => {
    await addSafetyRule(owner, { kind: 'word', value: 'Brand-X' });
    const before = await db().batch.count();
    const e = await refusal(
      createBatch(owner, { instruction: 'brand x on every mug', targets: [OFFLINE_TARGET_ID], seed: 1, referenceIds: assetIds }),
    );
    expect(e.code).toBe('content_blocked');
    expect(await db().batch.count()).toBe(before);
    const events = await listSafetyEvents(owner);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ sessionId: null, source: 'blocklist' });
  });
});

describe('moderation in submitRun', () => {
  const on = (onError?: string) =>
    setModeration({
      SAFETY_MODERATION: 'openai',
      SAFETY_MODERATION_ON_ERROR: onError,
      OPENAI_API_KEY: 'sk-test-moderation-key',
      OPENAI_BASE_URL: `${fake.url}/v1`,
    });

  it('is not called when off', async () => {
    await run('a plain edit');
    expect(fake.requests.filter((r) => r.path === '/v1/moderations')).toHaveLength(0);
  });

  it('sends the texts and each reference as a small JPEG data URL, and passes a clean run', async () => {
    on();
    await run('make it warmer', 'no people', assetIds);
    const calls = fake.requests.filter((r) => r.path === '/v1/moderations');
    expect(calls).toHaveLength(2); // one per reference, each with the text
    for (const call of calls) {
      expect(call.headers.authorization).toBe('Bearer sk-test-moderation-key');
      const body = call.body as { model: string; input: { type: string; text?: string; image_url?: { url: string } }[] };
      expect(body.model).toBe('omni-moderation-latest');
      expect(body.input[0]).toEqual({ type: 'text', text: 'make it warmer\n\nno people' });
      const url = body.input[1]?.image_url?.url ?? '';
      expect(url).toMatch(/^data:image\/jpeg;base64,/);
      const meta = await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(512);
    }
  });

  it('refuses a flagged run with the categories and records it', async () => {
    on();
    const before = await db().run.count();
    const e = await refusal(run(`a ${MODERATION_TRIGGER} scene`));
    expect(e.code).toBe('content_blocked');
    expect(e.message).toMatch(/OpenAI moderation flagged the instruction or references: violence \(OpenAI request req_/);
    expect(await db().run.count()).toBe(before);
    const [event] = await listSafetyEvents(owner);
    expect(event).toMatchObject({ source: 'moderation' });
    expect(event?.reason).toContain('violence');
  });

  it('fails closed by default when moderation is down, and open when configured', async () => {
    on();
    fake.setMode('server_error');
    const before = await db().run.count();
    const e = await refusal(run('make it warmer'));
    expect(e.code).toBe('moderation_unavailable');
    expect(e.status).toBe(503);
    expect(e.message).toContain('HTTP 500');
    expect(e.message).not.toContain('sk-test-moderation-key');
    expect(await db().run.count()).toBe(before);
    expect((await listSafetyEvents(owner))[0]?.source).toBe('moderation');

    on('allow');
    fake.setMode('server_error');
    await expect(run('make it warmer')).resolves.toHaveProperty('runId');
  });

  it('treats a missing key as unavailable', async () => {
    setModeration({ SAFETY_MODERATION: 'openai', OPENAI_API_KEY: undefined });
    const overview = await loadSafetyOverview(owner);
    expect(overview.moderation).toMatchObject({ mode: 'openai', active: false, onError: 'block' });
    expect((await refusal(run('make it warmer'))).code).toBe('moderation_unavailable');
  });
});
