import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ WORKER_LEASE_MS: '3000', RETRY_MAX_ATTEMPTS: '3' });

const { db } = await import('../db/client');
const { storeAsset } = await import('../assets');
const { prepareImage } = await import('../images/prepare');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRunAction: submitRun, cancelVariationsAction: cancelVariations } = await import('../actions/runs');
const { claim, renew } = await import('./lease');
const { recoverStale } = await import('./recover');
const { startWorker, stopWorker, wakeWorker } = await import('./worker');
const { overrideAdapterForTests } = await import('../providers/registry');
const { ProviderError } = await import('../providers/errors');
const { OFFLINE_TARGET_ID } = await import('@/lib/providers/catalog');
const { resetEnvCache } = await import('../env');

let sessionId = '';
let assetId = '';

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  sessionId = await createSession(ownerContext(), {});
  const png = await sharp({
    create: { width: 200, height: 200, channels: 3, background: '#eeeeee' },
  })
    .composite([{ input: Buffer.from('<svg width="200" height="200"><circle cx="100" cy="100" r="50" fill="red"/></svg>') }])
    .png()
    .toBuffer();
  const prepared = await prepareImage(png, 'ref.png');
  if (!prepared.ok) throw new Error(prepared.error.message);
  assetId = (await storeAsset(prepared.image, 'upload')).id;
});

afterAll(async () => {
  await stopWorker();
});

const base = () => ({
  sessionId,
  instruction: 'make it black and white',
  referenceIds: [assetId],
  targets: [OFFLINE_TARGET_ID],
  count: 2,
  seed: 7,
});

describe('submit', () => {
  it('writes the run and one queued variation per target × count, snapshotting params', async () => {
    const r = await submitRun({ ...base(), count: 3, size: '1024x1024' });
    if (!r.ok) throw new Error(r.error.message);
    const run = await db().run.findUniqueOrThrow({ where: { id: r.data.runId }, include: { variations: true, references: true } });
    expect(run.variations.map((v) => [v.status, v.seed]).sort()).toEqual([
      ['queued', 7],
      ['queued', 8],
      ['queued', 9],
    ]);
    expect(JSON.parse(run.params)).toMatchObject({ count: 3, seed: 7, size: '1024x1024', format: 'png' });
    expect(run.references.map((x) => x.assetId)).toEqual([assetId]);
    await db().variation.updateMany({ where: { runId: run.id }, data: { status: 'cancelled' } });
  });

  it('bad input changes nothing', async () => {
    const before = await db().run.count();
    for (const bad of [
      { instruction: '' },
      { referenceIds: ['nope'] },
      { targets: ['openai:gpt-image-1'] },
      { targets: ['nope:x'] },
      { sessionId: 'missing' },
    ]) {
      const r = await submitRun({ ...base(), ...bad });
      expect(r.ok).toBe(false);
    }
    expect(await db().run.count()).toBe(before);
  });
});

describe('lease', () => {
  it('lets exactly one claim take a queued variation, and only that claim renew it', async () => {
    const r = await submitRun({ ...base(), count: 1 });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.data.variationIds[0]!;
    const token = await claim(id, 'offline', 'host-a:1:x');
    expect(token).toEqual(expect.any(String));
    expect(await claim(id, 'offline', 'host-b:2:y')).toBeNull();
    expect(await renew(id, 'not-the-token')).toBe(false);
    expect(await renew(id, token!)).toBe(true);
    expect((await db().variation.findUniqueOrThrow({ where: { id } })).leaseToken).toBe(token);
    await db().variation.update({ where: { id }, data: { status: 'cancelled' } });
  });
});

describe('worker', () => {
  it('runs queued engine variations to succeeded with timings and a stored output', async () => {
    // A colour name leaves the exact shade open, so the two seeds give different pixels.
    const r = await submitRun({ ...base(), instruction: 'replace the background with navy' });
    if (!r.ok) throw new Error(r.error.message);
    startWorker();
    wakeWorker();
    const rows = await until(async () => {
      const vs = await db().variation.findMany({ where: { runId: r.data.runId }, include: { outputAsset: true } });
      return vs.every((v) => v.status === 'succeeded') && vs;
    });
    for (const v of rows) {
      expect(v.outputAsset?.origin).toBe('output');
      expect(v.startedAt!.getTime()).toBeGreaterThanOrEqual(v.queuedAt.getTime());
      expect(v.finishedAt!.getTime()).toBeGreaterThanOrEqual(v.startedAt!.getTime());
      expect(v.leaseOwner).toBeNull();
      expect(v.costUsd).toBe(0);
    }
    // Different seeds, different pixels.
    expect(rows[0]!.outputAsset!.sha256).not.toBe(rows[1]!.outputAsset!.sha256);
  });

  it('fails an instruction the engine does not understand with bad_input, not the input back', async () => {
    const r = await submitRun({ ...base(), instruction: 'paint it like Vermeer', count: 1 });
    if (!r.ok) throw new Error(r.error.message);
    wakeWorker();
    const v = await until(async () => {
      const row = await db().variation.findFirst({ where: { runId: r.data.runId } });
      return row?.status === 'failed' && row;
    });
    expect(v.errorCode).toBe('bad_input');
    expect(v.outputAssetId).toBeNull();
  });

  it('retries a rate-limited submit after Retry-After, then succeeds', async () => {
    let calls = 0;
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    overrideAdapterForTests('offline', {
      ...real,
      async submit(req, ctx) {
        calls += 1;
        if (calls === 1) throw new ProviderError({ code: 'rate_limited', message: 'slow down', retryAfterMs: 300 });
        return real.submit(req, ctx);
      },
    });
    try {
      const r = await submitRun({ ...base(), count: 1 });
      if (!r.ok) throw new Error(r.error.message);
      wakeWorker();
      const v = await until(async () => {
        const row = await db().variation.findFirst({ where: { runId: r.data.runId } });
        return row?.status === 'succeeded' && row;
      });
      expect(calls).toBe(2);
      expect(v.attempt).toBe(1);
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });
});

describe('recovery after a crash', () => {
  it('resumes engine work, re-polls jobs with a stored id, and marks the rest interrupted', async () => {
    await stopWorker();
    const r = await submitRun({ ...base(), count: 3 });
    const r2 = await submitRun({ ...base(), count: 2 });
    if (!r.ok || !r2.ok) throw new Error('submit failed');
    const [a, b, c] = r.data.variationIds as [string, string, string];
    const [e, f] = r2.data.variationIds as [string, string];
    const dead = { leaseOwner: 'otherhost:999999:dead', leaseToken: 'dead-claim', leaseUntil: new Date(Date.now() - 1000) };
    const submittedAt = new Date(Date.now() - 5000);
    // a: the engine was mid-run; b: a paid provider with its job id stored; c: a paid provider
    // mid-submit; e: a paid provider claimed but never submitted; f: a paid result kept, not stored.
    await db().variation.update({ where: { id: a }, data: { status: 'running', submittedAt, ...dead } });
    await db().variation.update({
      where: { id: b },
      data: { status: 'running', provider: 'wavespeed', jobId: 'j1', jobHandle: '{"id":"j1"}', submittedAt, ...dead },
    });
    await db().variation.update({ where: { id: c }, data: { status: 'submitting', provider: 'wavespeed', submittedAt, ...dead } });
    await db().variation.update({ where: { id: e }, data: { status: 'submitting', provider: 'wavespeed', ...dead } });
    await db().variation.update({
      where: { id: f },
      data: { status: 'running', provider: 'openai', submittedAt, result: '{"image":{"url":"https://x.test/o.png"}}', ...dead },
    });
    const live = await submitRun({ ...base(), count: 1 });
    if (!live.ok) throw new Error(live.error.message);
    const d = live.data.variationIds[0]!;
    await db().variation.update({
      where: { id: d },
      data: { status: 'running', leaseOwner: 'otherhost:1:alive', leaseUntil: new Date(Date.now() + 60_000) },
    });

    const result = await recoverStale();
    expect(result.resumed.sort()).toEqual([a, b, e, f].sort());
    expect(result.interrupted).toEqual([c]);
    const rows = Object.fromEntries((await db().variation.findMany({ where: { id: { in: [a, b, c, d, e, f] } } })).map((v) => [v.id, v]));
    expect(rows[a]).toMatchObject({ status: 'queued', leaseOwner: null, leaseToken: null, recoveries: 1 });
    expect(rows[b]).toMatchObject({ status: 'queued', jobHandle: '{"id":"j1"}' });
    expect(rows[c]).toMatchObject({ status: 'failed', errorCode: 'interrupted' });
    expect(rows[c]!.errorMessage).toContain('WaveSpeed');
    expect(rows[e]).toMatchObject({ status: 'queued', submittedAt: null });
    expect(rows[f]).toMatchObject({ status: 'queued', result: '{"image":{"url":"https://x.test/o.png"}}' });
    // A lease that has not lapsed is left alone.
    expect(rows[d]).toMatchObject({ status: 'running', leaseOwner: 'otherhost:1:alive' });

    // The resumed engine variation then finishes.
    await db().variation.updateMany({ where: { id: { in: [b, e, f] } }, data: { status: 'cancelled' } });
    startWorker();
    wakeWorker();
    await until(async () => (await db().variation.findUnique({ where: { id: a } }))?.status === 'succeeded');
  });
});

describe('cancel', () => {
  it('stops a running variation: the worker does not overwrite it, and the vendor is asked to cancel', async () => {
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    const cancelled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    overrideAdapterForTests('offline', {
      ...real,
      async submit(req, ctx) {
        await gate; // hold the job "running" until the test has cancelled it
        return real.submit(req, ctx);
      },
      async cancel(handle) {
        cancelled.push(handle);
      },
    });
    try {
      startWorker();
      const r = await submitRun({ ...base(), count: 1 });
      if (!r.ok) throw new Error(r.error.message);
      const id = r.data.variationIds[0]!;
      wakeWorker();
      await until(async () => (await db().variation.findUnique({ where: { id } }))?.status === 'submitting');
      await db().variation.update({ where: { id }, data: { jobHandle: '{"job":"j-9"}' } });
      const result = await cancelVariations({ variationIds: [id] });
      expect(result).toEqual({ ok: true, data: { count: 1 } });
      release();
      await new Promise((res) => setTimeout(res, 500));
      const row = await db().variation.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe('cancelled');
      expect(row.outputAssetId).toBeNull();
      expect(cancelled).toEqual(['{"job":"j-9"}']);
      expect((await cancelVariations({ variationIds: [id] })).ok).toBe(false);
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });
});

describe('concurrency', () => {
  it('never runs more variations of a provider at once than its limit', async () => {
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    let running = 0;
    let peak = 0;
    overrideAdapterForTests('offline', {
      ...real,
      async submit(req, ctx) {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 150));
        running -= 1;
        return real.submit(req, ctx);
      },
    });
    try {
      // Leases held elsewhere count against the limit: start from none.
      await db().variation.updateMany({ where: { status: { in: ['submitting', 'running'] } }, data: { status: 'cancelled' } });
      startWorker();
      const r = await submitRun({ ...base(), count: 4 });
      if (!r.ok) throw new Error(r.error.message);
      wakeWorker();
      await until(async () => (await db().variation.count({ where: { runId: r.data.runId, status: 'succeeded' } })) === 4);
      // WORKER_CONCURRENCY defaults to 2 for the offline engine.
      expect(peak).toBe(2);
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });
});

describe('engine limits', () => {
  const withEnv = async (vars: Record<string, string>, fn: () => Promise<void>) => {
    const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    resetEnvCache();
    try {
      await fn();
    } finally {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvCache();
    }
  };

  it('adapts the references once per run and target, not once per variation', async () => {
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    const seen: unknown[] = [];
    overrideAdapterForTests('offline', {
      ...real,
      async submit(req, ctx) {
        seen.push(req.images);
        return real.submit(req, ctx);
      },
    });
    try {
      startWorker();
      const r = await submitRun({ ...base(), count: 3 });
      if (!r.ok) throw new Error(r.error.message);
      await until(async () => (await db().variation.count({ where: { runId: r.data.runId, status: 'succeeded' } })) === 3);
      expect(seen).toHaveLength(3);
      expect(seen[1]).toBe(seen[0]);
      expect(seen[2]).toBe(seen[0]);
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });

  it('never runs more than WORKER_MAX_IN_FLIGHT variations at once, whatever the providers allow', async () => {
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    let running = 0;
    let peak = 0;
    overrideAdapterForTests('offline', {
      ...real,
      async submit(req, ctx) {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 100));
        running -= 1;
        return real.submit(req, ctx);
      },
    });
    try {
      await withEnv({ WORKER_MAX_IN_FLIGHT: '1' }, async () => {
        startWorker();
        const r = await submitRun({ ...base(), count: 3 });
        if (!r.ok) throw new Error(r.error.message);
        wakeWorker();
        await until(async () => (await db().variation.count({ where: { runId: r.data.runId, status: 'succeeded' } })) === 3);
      });
      expect(peak).toBe(1);
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });

  it('the watchdog fails an execution that never returns, and frees its slot', async () => {
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    let calls = 0;
    overrideAdapterForTests('offline', {
      ...real,
      deadlineMs: 100,
      async submit(req, ctx) {
        // The first call hangs and ignores its signal; the second is normal.
        if (++calls === 1) return new Promise(() => {});
        return real.submit(req, ctx);
      },
    });
    try {
      // The grace also bounds the second, normal call (deadline 100 ms + grace): room for a
      // loaded machine and the extra round trips of Postgres (the postgres vitest project).
      await withEnv({ WORKER_WATCHDOG_GRACE_MS: '1500' }, async () => {
        await stopWorker();
        startWorker();
        const stuck = await submitRun({ ...base(), count: 1 });
        if (!stuck.ok) throw new Error(stuck.error.message);
        const id = stuck.data.variationIds[0]!;
        wakeWorker();
        const v = await until(async () => {
          const row = await db().variation.findUnique({ where: { id } });
          return row?.status === 'failed' && row;
        });
        expect(v).toMatchObject({ errorCode: 'timeout', leaseToken: null });
        const next = await submitRun({ ...base(), count: 1 });
        if (!next.ok) throw new Error(next.error.message);
        wakeWorker();
        await until(async () => (await db().variation.findFirst({ where: { runId: next.data.runId } }))?.status === 'succeeded');
      });
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });

  it('draining lets work in flight finish, takes no new work, then stops', async () => {
    const { drainWorker } = await import('./worker');
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    overrideAdapterForTests('offline', {
      ...real,
      async submit(req, ctx) {
        await gate;
        return real.submit(req, ctx);
      },
    });
    try {
      await stopWorker();
      startWorker();
      const r = await submitRun({ ...base(), count: 1 });
      if (!r.ok) throw new Error(r.error.message);
      const id = r.data.variationIds[0]!;
      wakeWorker();
      await until(async () => (await db().variation.findUnique({ where: { id } }))?.submittedAt);
      const drained = drainWorker(10_000);
      const later = await submitRun({ ...base(), count: 1 });
      if (!later.ok) throw new Error(later.error.message);
      wakeWorker();
      await new Promise((res) => setTimeout(res, 300));
      release();
      await drained;
      expect((await db().variation.findUniqueOrThrow({ where: { id } })).status).toBe('succeeded');
      expect((await db().variation.findFirstOrThrow({ where: { runId: later.data.runId } })).status).toBe('queued');
      startWorker();
    } finally {
      overrideAdapterForTests('offline', undefined);
    }
  });
  it('a drain that runs out of time stops the work and releases its lease for another worker', async () => {
    const { drainWorker } = await import('./worker');
    const { createOfflineAdapter } = await import('../providers/offline/adapter');
    const real = createOfflineAdapter();
    overrideAdapterForTests('offline', {
      ...real,
      // Never answers until aborted (the drain's end aborts the hard signal). It runs after the
      // drain test above on purpose: a stop used to miss a claim on its way, whose job then
      // waited here for its watchdog (the order of these two tests must not matter).
      // Called with a signal already aborted it would hang too: the engine must not submit then.
      submit: (_req, ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    });
    try {
      await stopWorker();
      // A clean slate: nothing left by earlier tests holds the offline slots.
      await db().variation.updateMany({
        where: { status: { in: ['queued', 'submitting', 'running'] } },
        data: { status: 'cancelled', leaseOwner: null, leaseToken: null, leaseUntil: null },
      });
      startWorker();
      const r = await submitRun({ ...base(), count: 1 });
      if (!r.ok) throw new Error(r.error.message);
      const id = r.data.variationIds[0]!;
      wakeWorker();
      await until(async () => (await db().variation.findUnique({ where: { id } }))?.submittedAt);
      const before = Date.now();
      await drainWorker(300);
      const row = await db().variation.findUniqueOrThrow({ where: { id } });
      expect(['submitting', 'running']).toContain(row.status);
      expect(row.leaseToken).not.toBeNull();
      expect(row.leaseUntil!.getTime()).toBeLessThan(before + 5000);
      expect(row.leaseUntil!.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      overrideAdapterForTests('offline', undefined);
      startWorker();
    }
  });
});
