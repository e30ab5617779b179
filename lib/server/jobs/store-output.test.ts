import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ WORKER_LEASE_MS: '3000' });

const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRunAction: submitRun } = await import('../actions/runs');
const { startWorker, stopWorker, wakeWorker } = await import('./worker');
const { blobKey, blobStore } = await import('../storage');
const { OFFLINE_TARGET_ID } = await import('@/lib/providers/catalog');
const { forgetTargetLatency, median, pollTiming, targetMedianMs } = await import('./latency');
const { storedImage } = await import('./testing/seed');

let sessionId = '';
let assetId = '';

beforeAll(async () => {
  sessionId = await createSession(ownerContext(), {});
  assetId = (await storedImage('#5588aa', 'upload', { width: 200, height: 200 })).id;
});

afterAll(async () => {
  await stopWorker();
});

async function runToEnd(count: number): Promise<string> {
  const r = await submitRun({
    sessionId,
    instruction: 'make it warmer',
    referenceIds: [assetId],
    targets: [OFFLINE_TARGET_ID],
    count,
    seed: 3,
  });
  if (!r.ok) throw new Error(r.error.message);
  startWorker();
  wakeWorker();
  const end = Date.now() + 15_000;
  for (;;) {
    const rows = await db().variation.findMany({ where: { runId: r.data.runId }, select: { status: true } });
    if (rows.every((v) => v.status === 'succeeded')) return r.data.runId;
    if (Date.now() > end || rows.some((v) => v.status === 'failed')) throw new Error(`run did not succeed: ${rows.map((v) => v.status)}`);
    await new Promise((res) => setTimeout(res, 5));
  }
}

describe('an output is stored with its thumbnail', () => {
  it('has the thumb blob the moment its variation succeeds, without any GET', async () => {
    const runId = await runToEnd(2);
    const outputs = await db().variation.findMany({ where: { runId }, select: { outputAsset: { select: { sha256: true } } } });
    for (const v of outputs) {
      const thumb = await blobStore().get(blobKey(v.outputAsset!.sha256, 'thumb'));
      expect(thumb?.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect((await sharp(thumb!).metadata()).width).toBeLessThanOrEqual(320);
    }
  });
});

describe('target latency', () => {
  it('is the median of submit-started → stored over the last successful runs', async () => {
    forgetTargetLatency();
    const rows = await db().variation.findMany({ where: { targetId: OFFLINE_TARGET_ID, status: 'succeeded' }, select: { id: true } });
    const base = Date.now() - 60_000;
    // Spans of 1, 2, 3… s; the newest-finished 20 count.
    await Promise.all(
      rows.map((v, i) =>
        db().variation.update({
          where: { id: v.id },
          data: { submittedAt: new Date(base + i * 10), finishedAt: new Date(base + i * 10 + (i + 1) * 1000) },
        }),
      ),
    );
    expect(await targetMedianMs(OFFLINE_TARGET_ID)).toBe(median(rows.map((_, i) => (i + 1) * 1000)));
    expect(await targetMedianMs('nobody:none')).toBeUndefined();
    const timing = await pollTiming(rows[0]!.id);
    expect(timing.submittedAt).toBe(base);
    expect(timing.medianMs).toBeGreaterThan(0);
    expect((await pollTiming(undefined)).medianMs).toBeUndefined();
  });

  it('computes a median of odd and even samples', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
