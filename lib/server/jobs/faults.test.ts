// Fault injection with real processes: the worker runs in scripts/worker.mts, the vendors are the
// e2e fakes (in this process, so their request logs count what each vendor saw), and the test
// kills the worker with SIGKILL at the engine's fault points (lib/server/jobs/faults.ts).
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '@/e2e/fakes/kit';
import { startReplicateFake } from '@/e2e/fakes/replicate';
import { startTogetherFake } from '@/e2e/fakes/together';
import { startWaveSpeedFake } from '@/e2e/fakes/wavespeed';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { spawnWorker, stopAllWorkers, until, type WorkerProcess } from './testing/worker-process';

const root = path.resolve(import.meta.dirname, '../../..');
useTempDataDir({
  PROOFSHEET_ROOT: root,
  // This process only submits and inspects; the workers are the spawned processes.
  WORKER_ENABLED: '0',
  WORKER_LEASE_MS: '3000',
  // Fast polls, whatever the adapters' usual pace (the fakes finish after a few polls).
  WORKER_POLL_MAX_MS: '100',
  REPLICATE_API_TOKEN: 'r8_faultsTestToken',
  REPLICATE_WAIT_SECONDS: '1',
  WAVESPEED_API_KEY: 'faults-wavespeed-key',
  TOGETHER_API_KEY: 'faults-together-key',
  TOGETHER_RESPONSE_FORMAT: 'url',
  TOGETHER_IMAGE_TRANSPORT: 'data-uri',
});

const { db } = await import('../db/client');
const { resetEnvCache } = await import('../env');
const { resetAdapters } = await import('../providers/registry');
const { storeAsset } = await import('../assets');
const { prepareImage } = await import('../images/prepare');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRun, submitRunSchema } = await import('../services/runs');
const { cancelVariations } = await import('../services/variations');
const { softDelete } = await import('../services/edits');
const { CATALOG, OFFLINE_TARGET_ID } = await import('@/lib/providers/catalog');

let replicate: FakeServer;
let wavespeed: FakeServer;
let together: FakeServer;
let sessionId = '';
let assetId = '';

const targetsOf = (provider: string) => CATALOG.filter((t) => t.provider === provider).map((t) => t.id);
const REPLICATE = () => targetsOf('replicate').find((id) => id.includes('flux-kontext-pro'))!;
const TOGETHER = () => targetsOf('together').find((id) => id.includes('FLUX.1-kontext-pro'))!;

const replicateSubmits = () =>
  replicate.requests.filter((r) => r.method === 'POST' && /^\/v1\/models\/.+\/predictions$/.test(r.path)).length;
const replicatePolls = () => replicate.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/predictions/')).length;
const wavespeedSubmits = () =>
  wavespeed.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v3/') && !r.path.includes('/media/')).length;
const togetherSubmits = () => together.requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/generations').length;

beforeAll(async () => {
  [replicate, wavespeed, together] = await Promise.all([startReplicateFake(), startWaveSpeedFake(), startTogetherFake()]);
  process.env.REPLICATE_BASE_URL = `${replicate.url}/v1`;
  process.env.WAVESPEED_BASE_URL = wavespeed.url;
  process.env.TOGETHER_BASE_URL = `${together.url}/v1`;
  // Output links point at the fakes on loopback, which the download guard refuses unless allowed.
  process.env.OUTBOUND_ALLOW_HOSTS = [replicate, wavespeed, together].map((f) => `127.0.0.1:${f.port}`).join(',');
  resetEnvCache();
  resetAdapters();
  sessionId = await createSession(ownerContext(), {});
  const png = await sharp({ create: { width: 512, height: 512, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
  const prepared = await prepareImage(png, 'ref.png');
  if (!prepared.ok) throw new Error(prepared.error.message);
  assetId = (await storeAsset(prepared.image, 'upload')).id;
});

afterAll(async () => {
  await stopAllWorkers();
  await Promise.all([replicate?.close(), wavespeed?.close(), together?.close()]);
});

beforeEach(() => {
  for (const fake of [replicate, wavespeed, together]) fake.reset();
});

let seed = 0;

/** Each run its own seeds: the fakes draw outputs from the seed, so outputs never collide. */
async function submit(targets: string[], count = 1): Promise<{ runId: string; ids: string[] }> {
  seed += 10;
  const input = submitRunSchema.parse({ sessionId, instruction: 'make it black and white', referenceIds: [assetId], targets, count, seed });
  const r = await submitRun(ownerContext(), input);
  return { runId: r.runId, ids: r.variationIds };
}

const row = (id: string) => db().variation.findUniqueOrThrow({ where: { id } });
const settled = (id: string, status: string) => until(async () => ((await row(id)).status === status ? row(id) : undefined), 30_000);

describe('kill -9 at the fault points', { timeout: 60_000 }, () => {
  it('after the vendor accepted, before the job id was stored: one submit, interrupted, never resubmitted', async () => {
    const w = spawnWorker({ PROOFSHEET_FAULTS: 'after-accept' });
    const { ids } = await submit([REPLICATE()]);
    await w.waitFor(new RegExp(`\\[fault\\] after-accept ${ids[0]}`));
    await w.kill9();
    expect(replicateSubmits()).toBe(1);
    expect(await row(ids[0]!)).toMatchObject({ status: 'submitting', jobHandle: null });

    const again = spawnWorker();
    const v = await settled(ids[0]!, 'failed');
    expect(v.errorCode).toBe('interrupted');
    expect(v.errorMessage).toContain('Replicate');
    expect(v.errorMessage).toMatch(/not resubmitted/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(replicateSubmits()).toBe(1);
    await again.stop();
  });

  it('after the job id was stored, restarted past the deadline: polled once, output stored, one submit', async () => {
    const w = spawnWorker({ PROOFSHEET_FAULTS: 'after-handle' });
    const { ids } = await submit([REPLICATE()]);
    const id = ids[0]!;
    await w.waitFor(new RegExp(`\\[fault\\] after-handle ${id}`));
    await w.kill9();
    const stored = await row(id);
    expect(stored).toMatchObject({ status: 'running' });
    expect(stored.jobId).toBeTruthy();
    expect(replicatePolls()).toBe(0);
    // While the server was down the vendor moved on (one status read: the fake's job is then one
    // poll from done) and the deadline passed.
    await fetch(`${replicate.url}/v1/predictions/${stored.jobId}`, { headers: { authorization: 'Bearer r8_faultsTestToken' } });
    await db().variation.update({ where: { id }, data: { submittedAt: new Date(Date.now() - 3_600_000) } });

    const again = spawnWorker();
    const v = await settled(id, 'succeeded');
    expect(v.outputAssetId).toBeTruthy();
    expect(v.result).toBeNull();
    expect(replicateSubmits()).toBe(1);
    expect(replicatePolls()).toBe(2); // ours above, then the resumed worker's one
    await again.stop();
  });

  it('after the download, before the store: one output, one submit, no new download', async () => {
    const outputsBefore = await db().asset.count({ where: { origin: 'output' } });
    const w = spawnWorker({ PROOFSHEET_FAULTS: 'after-download' });
    const { ids } = await submit([REPLICATE()]);
    const id = ids[0]!;
    await w.waitFor(new RegExp(`\\[fault\\] after-download ${id}`));
    await w.kill9();
    expect((await row(id)).result).toMatch(/"sha":"[a-f0-9]{64}"/);
    const polls = replicatePolls();

    const again = spawnWorker();
    const v = await settled(id, 'succeeded');
    expect(v.outputAssetId).toBeTruthy();
    expect(await db().asset.count({ where: { origin: 'output' } })).toBe(outputsBefore + 1);
    expect(replicateSubmits()).toBe(1);
    // The link was one-shot: the bytes kept before the crash were stored, not fetched again.
    expect(replicatePolls()).toBe(polls);
    await again.stop();
  });

  it('a job that takes its server down every time is failed after N tries, and the queue goes on', async () => {
    const { ids } = await submit([OFFLINE_TARGET_ID], 2);
    const [crasher, other] = ids as [string, string];
    // Two tries here (WORKER_MAX_RECOVERIES, 3 by default) to keep the test short.
    const env = { PROOFSHEET_FAULTS: `after-accept:${crasher}`, WORKER_MAX_RECOVERIES: '2' };
    for (let run = 1; run <= 2; run++) {
      const w = spawnWorker(env);
      await w.waitFor(new RegExp(`\\[fault\\] after-accept ${crasher}`));
      await w.kill9();
    }
    const w = spawnWorker(env);
    const v = await settled(crasher, 'failed');
    expect(v).toMatchObject({ errorCode: 'interrupted', recoveries: 1 });
    expect(v.errorMessage).toMatch(/stopped 2 times/);
    await settled(other, 'succeeded');
    await w.stop();
  });

  it('the production build ignores the fault points', async () => {
    const w = spawnWorker({ NODE_ENV: 'production', PROOFSHEET_FAULTS: 'after-accept,after-handle,after-download' });
    const { ids } = await submit([OFFLINE_TARGET_ID]);
    await settled(ids[0]!, 'succeeded');
    expect(w.output().join('\n')).not.toContain('[fault]');
    await w.stop();
  });
});

describe('a vendor that fails after accepting is never billed twice', { timeout: 60_000 }, () => {
  let w: WorkerProcess;
  beforeAll(() => {
    // The adapters' own pace: the first poll of a Replicate job comes a second after its id is stored.
    w = spawnWorker({ WORKER_POLL_MAX_MS: '10000' });
  });
  afterAll(async () => {
    await w.stop();
  });

  it('a synchronous result whose output link answers 403: one submit, failed with the link kept', async () => {
    together.setFaults({ outputStatus: 403 });
    const { ids } = await submit([TOGETHER()]);
    const v = await settled(ids[0]!, 'failed');
    expect(v.errorCode).toBe('provider_error');
    expect(v.errorMessage).toContain('403');
    expect(v.errorMessage).toMatch(/not submitted again/);
    expect(v.result).toContain('/__outputs/');
    expect(togetherSubmits()).toBe(1);
  });

  it('a 5xx from the create call (the job may have run): one submit, failed, not retried', async () => {
    replicate.setMode('server_error', 1);
    const { ids } = await submit([REPLICATE()]);
    const v = await settled(ids[0]!, 'failed');
    expect(v.errorCode).toBe('provider_error');
    expect(v.errorMessage).toMatch(/may have accepted the job/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(replicateSubmits()).toBe(1);
  });

  it('Retry-After 120 on submit: queued again for two minutes, not spun on', async () => {
    replicate.setMode('rate_limit', 1);
    replicate.setFaults({ retryAfter: '120' });
    const before = Date.now();
    const { ids } = await submit([REPLICATE()]);
    const v = await until(async () => {
      const r = await row(ids[0]!);
      return r.attempt === 1 && r.status === 'queued' ? r : undefined;
    });
    expect(v.errorCode).toBe('rate_limited');
    expect(v.notBefore!.getTime()).toBeGreaterThanOrEqual(before + 119_000);
    expect(v.notBefore!.getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(replicateSubmits()).toBe(1);
    await cancelVariations(ownerContext(), { variationIds: ids });
  });

  it.each([
    ['an HTTP date in year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT', /until 9999-12-31 23:59 UTC/],
    ['1e13 seconds', '1e13', /far in the future/],
  ])('Retry-After of %s: failed as rate-limited with the time to retry, nothing thrown', async (_, value, when) => {
    replicate.setMode('rate_limit', 1);
    replicate.setFaults({ retryAfter: value });
    const { ids } = await submit([REPLICATE()]);
    const v = await settled(ids[0]!, 'failed');
    expect(v.errorCode).toBe('rate_limited');
    expect(v.errorMessage).toMatch(when);
    expect(replicateSubmits()).toBe(1);
  });

  it('Retry-After 120 while polling: waited out, not counted as an error', async () => {
    replicate.setFaults({ retryAfter: '120' });
    const { ids } = await submit([REPLICATE()]);
    const id = ids[0]!;
    // The job id is stored about a second before the first poll (Replicate's hint).
    await until(async () => ((await row(id)).jobId ? true : undefined));
    replicate.setMode('rate_limit', 1);
    await until(async () => (replicatePolls() === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 2500));
    expect(replicatePolls()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'running', errorCode: null });
    await cancelVariations(ownerContext(), { variationIds: [id] });
    expect(replicateSubmits()).toBe(1);
  });
});

// Generous deadlines: two worker processes share two cores with the test runner; what is asserted is
// the vendor's peak concurrency and the submit counts, not the time taken.
describe('vendor limits and deletes across processes', { timeout: 120_000 }, () => {
  it('two workers, a vendor limit of 2, 20 queued: the vendor never sees more than 2 jobs at once', async () => {
    const workers = [spawnWorker(), spawnWorker()];
    const all: string[] = [];
    for (let i = 0; i < 5; i++) all.push(...(await submit(targetsOf('wavespeed'))).ids);
    expect(all).toHaveLength(20);
    await until(
      async () => ((await db().variation.count({ where: { id: { in: all }, status: 'succeeded' } })) === 20 ? true : undefined),
      100_000,
    );
    // Replay the fake's log: a submit starts a job, its third status read (the fake's "completed") ends it.
    let running = 0;
    let peak = 0;
    const polls = new Map<string, number>();
    for (const r of wavespeed.requests) {
      if (r.method === 'POST' && !r.path.includes('/media/')) peak = Math.max(peak, ++running);
      const poll = /^\/api\/v3\/predictions\/(\w+)\/result$/.exec(r.path);
      if (poll) {
        const n = (polls.get(poll[1]!) ?? 0) + 1;
        polls.set(poll[1]!, n);
        if (n === 3) running--;
      }
    }
    expect(wavespeedSubmits()).toBe(20);
    expect(peak).toBe(2);
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('deleting a run with 16 queued paid variations: all cancelled, zero further submits', async () => {
    // WaveSpeed's own pace (a poll every 2 s) keeps the two running jobs in flight while the run is deleted.
    const w = spawnWorker({ WORKER_POLL_MAX_MS: '10000' });
    const { runId, ids } = await submit(targetsOf('wavespeed'), 4);
    expect(ids).toHaveLength(16);
    await until(async () => ((await db().variation.count({ where: { id: { in: ids }, jobId: { not: null } } })) === 2 ? true : undefined));
    expect(wavespeedSubmits()).toBe(2);
    await softDelete(ownerContext(), { kind: 'run', ids: [runId] });
    const rows = await db().variation.findMany({ where: { id: { in: ids } } });
    expect(rows.filter((r) => r.status === 'cancelled')).toHaveLength(16);
    // The worker notices within a lease renewal (a second here) and stops polling the two jobs.
    await new Promise((r) => setTimeout(r, 1500));
    const seen = wavespeed.requests.length;
    await new Promise((r) => setTimeout(r, 3000));
    expect(wavespeed.requests.length).toBe(seen);
    expect(wavespeedSubmits()).toBe(2);
    const after = await db().variation.findMany({ where: { id: { in: ids } } });
    expect(after.filter((r) => r.status === 'cancelled')).toHaveLength(16);
    expect(after.filter((r) => r.submittedAt)).toHaveLength(2);
    await w.stop();
  });
});
