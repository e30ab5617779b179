import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { contextFor, ownerContext } = await import('../context');
const b = await import('./batches');
const v = await import('../batches/view');
const { storedImage } = await import('../jobs/testing/seed');

const ENGINE = 'offline:engine-v1';
const mine = ownerContext();
const theirs = contextFor({ kind: 'owner', workspaceId: 'other' });
let assetId = '';
let styleId = '';

async function asset(color: string) {
  return (await storedImage(color)).id;
}

const newBatch = (n: number, over: Record<string, unknown> = {}) =>
  b.createBatch(mine, {
    instruction: 'white background',
    targets: [ENGINE],
    seed: 5,
    referenceIds: Array.from({ length: n }, () => assetId),
    fileNames: Array.from({ length: n }, (_, i) => `shoe-${i + 1}.png`),
    ...over,
  });

/** Finishes every unfinished variation of the batch's submitted runs, as the worker would. */
async function finishRuns(batchId: string, status: 'succeeded' | 'failed' = 'succeeded') {
  const items = await db().batchItem.findMany({ where: { batchId, status: 'submitted' } });
  // One clock reading: each item took exactly 4 s, however slow the machine (the ETA test divides it).
  const now = Date.now();
  await db().variation.updateMany({
    where: { runId: { in: items.map((i) => i.runId!) }, status: 'queued' },
    data: { status, startedAt: new Date(now - 4000), finishedAt: new Date(now), errorMessage: status === 'failed' ? 'boom' : null },
  });
}

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  assetId = await asset('#123456');
  styleId = await asset('#abcdef');
});

describe('batches', () => {
  it('creates a batch with its own session and one pending item per reference', async () => {
    const { batchId, sessionId } = await newBatch(3, { sharedReferenceIds: [styleId] });
    const view = await v.getBatchView(mine, batchId);
    expect(view.status).toBe('queued');
    expect(view.sessionId).toBe(sessionId);
    expect(view.items.map((i) => [i.position, i.fileName, i.status])).toEqual([
      [0, 'shoe-1.png', 'pending'],
      [1, 'shoe-2.png', 'pending'],
      [2, 'shoe-3.png', 'pending'],
    ]);
    expect(view.progress).toEqual({ total: 3, done: 0, failed: 0, running: 0 });
    expect(view.etaSeconds).toBeNull();
  });

  it('refuses unknown targets, missing references and more than the cap', async () => {
    await expect(newBatch(1, { targets: ['nope:none'] })).rejects.toThrow(/Unknown target/);
    await expect(newBatch(1, { sharedReferenceIds: ['missing'] })).rejects.toThrow(/not found/);
    await expect(newBatch(b.MAX_BATCH_ITEMS + 1)).rejects.toThrow();
  });

  it('feeds at most the in-flight cap, passing shared references after the item’s own', async () => {
    const cap = b.inFlightCap([ENGINE]);
    const { batchId } = await newBatch(cap + 3, { sharedReferenceIds: [styleId] });
    expect(await b.feedBatch(batchId)).toBe(cap);
    expect(await b.feedBatch(batchId)).toBe(0);
    const submitted = await db().batchItem.findMany({ where: { batchId, status: 'submitted' } });
    expect(submitted).toHaveLength(cap);
    const refs = await db().runReference.findMany({ where: { runId: submitted[0]!.runId! }, orderBy: { position: 'asc' } });
    expect(refs.map((r) => r.assetId)).toEqual([assetId, styleId]);
    expect((await db().batch.findUnique({ where: { id: batchId } }))!.status).toBe('running');

    await finishRuns(batchId);
    expect(await b.feedBatch(batchId)).toBe(3);
    const view = await v.getBatchView(mine, batchId);
    expect(view.progress).toMatchObject({ total: cap + 3, done: cap, running: 3 });
    expect(view.etaSeconds).toBe(Math.ceil((4 * 3) / b.parallelismFor([ENGINE])));
    await finishRuns(batchId);
    await b.feedBatch(batchId);
    expect((await v.getBatchView(mine, batchId)).status).toBe('done');
  });

  it('pauses (no feeding), resumes, and cancels pending items and running variations', async () => {
    const cap = b.inFlightCap([ENGINE]);
    const { batchId } = await newBatch(cap + 2);
    await b.pauseBatch(mine, batchId);
    expect(await b.feedBatch(batchId)).toBe(0);
    await expect(b.pauseBatch(mine, batchId)).rejects.toThrow();
    await b.resumeBatch(mine, batchId);
    expect(await b.feedBatch(batchId)).toBe(cap);
    const { status } = await b.cancelBatch(mine, batchId);
    expect(status).toBe('cancelled');
    const items = await db().batchItem.findMany({ where: { batchId } });
    expect(items.every((i) => i.status === 'cancelled')).toBe(true);
    const runIds = items.flatMap((i) => (i.runId ? [i.runId] : []));
    expect(await db().variation.count({ where: { runId: { in: runIds }, status: { not: 'cancelled' } } })).toBe(0);
    expect(await b.feedBatch(batchId)).toBe(0);
  });

  it('retries a failed item alone, as a new run', async () => {
    const { batchId } = await newBatch(2);
    await b.feedBatch(batchId);
    const [first, second] = await db().batchItem.findMany({ where: { batchId }, orderBy: { position: 'asc' } });
    await db().variation.updateMany({
      where: { runId: first!.runId! },
      data: { status: 'failed', errorMessage: 'boom', finishedAt: new Date() },
    });
    await db().variation.updateMany({ where: { runId: second!.runId! }, data: { status: 'succeeded', finishedAt: new Date() } });
    await b.feedBatch(batchId);
    let view = await v.getBatchView(mine, batchId);
    expect(view.status).toBe('done');
    expect(view.progress).toMatchObject({ done: 1, failed: 1 });
    expect((await v.getBatchView(mine, batchId, 'failed')).items.map((i) => i.id)).toEqual([first!.id]);
    expect((await v.getBatchView(mine, batchId, 'flagged')).items.map((i) => i.id)).toEqual([first!.id]);
    await expect(b.retryBatchItem(mine, batchId, second!.id)).rejects.toThrow(/failed or cancelled/);
    await b.retryBatchItem(mine, batchId, first!.id);
    await b.feedBatch(batchId);
    const again = await db().batchItem.findUnique({ where: { id: first!.id } });
    expect(again).toMatchObject({ status: 'submitted', attempts: 2 });
    expect(again!.runId).not.toBe(first!.runId);
    expect((await db().batchItem.findUnique({ where: { id: second!.id } }))!.runId).toBe(second!.runId);
    view = await v.getBatchView(mine, batchId);
    expect(view.status).toBe('running');
  });

  it('lists not-yet-reviewed items until a variation is rated or starred', async () => {
    const { batchId } = await newBatch(2);
    await b.feedBatch(batchId);
    await finishRuns(batchId);
    expect((await v.getBatchView(mine, batchId, 'unreviewed')).items).toHaveLength(2);
    const item = (await db().batchItem.findFirst({ where: { batchId, position: 0 } }))!;
    await db().variation.updateMany({ where: { runId: item.runId! }, data: { starred: true } });
    expect((await v.getBatchView(mine, batchId, 'unreviewed')).items.map((i) => i.position)).toEqual([1]);
  });

  it('goes with its session when the Trash is purged', async () => {
    const { batchId, sessionId } = await newBatch(2);
    await b.feedBatch(batchId);
    await db().session.update({ where: { id: sessionId }, data: { deletedAt: new Date('2020-01-01') } });
    const { purgeExpired } = await import('./purge');
    await purgeExpired(new Date());
    expect(await db().session.count({ where: { id: sessionId } })).toBe(0);
    expect(await db().batch.count({ where: { id: batchId } })).toBe(0);
    expect(await db().batchItem.count({ where: { batchId } })).toBe(0);
  });

  it('keeps another workspace’s batch out of sight', async () => {
    const { batchId } = await newBatch(1);
    await expect(v.getBatchView(theirs, batchId)).rejects.toThrow(/does not exist/);
    await expect(b.pauseBatch(theirs, batchId)).rejects.toThrow(/does not exist/);
    await expect(b.cancelBatch(theirs, batchId)).rejects.toThrow(/does not exist/);
  });
});

describe('progress and manifest maths', () => {
  it('computes the ETA from the median item time, remaining items and parallelism', () => {
    expect(v.median([5, 1, 3])).toBe(3);
    expect(v.median([1, 2, 3, 10])).toBe(2.5);
    expect(v.etaSeconds([], 5, 2)).toBeNull();
    expect(v.etaSeconds([10_000, 20_000, 90_000], 10, 4)).toBe(50);
    expect(v.etaSeconds([10_000], 0, 4)).toBe(0);
  });

  it('writes one manifest row per variation, and CSV-escapes', () => {
    const rows = v.manifestRows([
      {
        id: 'i1',
        position: 0,
        referenceId: 'a',
        referenceSha: 's',
        fileName: 'red, shoe.png',
        status: 'done',
        runId: 'r',
        attempts: 1,
        error: null,
        variations: [
          {
            id: 'v1',
            targetId: 'offline:engine-v1',
            status: 'succeeded',
            seed: 5,
            costUsd: 0.04,
            outputUrl: '/x',
            outputSha: 'abc',
            errorCode: null,
            startedAt: '2026-01-01T00:00:00.000Z',
            finishedAt: '2026-01-01T00:00:02.500Z',
            reviewed: false,
          },
        ],
      },
      {
        id: 'i2',
        position: 1,
        referenceId: 'b',
        referenceSha: null,
        fileName: 'b.png',
        status: 'pending',
        runId: null,
        attempts: 0,
        error: null,
        variations: [],
      },
    ]);
    expect(rows).toEqual([
      {
        inputFile: 'red, shoe.png',
        outputFile: 'outputs/0001-red_shoe-offline_engine-v1-1.png',
        target: 'offline:engine-v1',
        seed: 5,
        costUsd: 0.04,
        seconds: 2.5,
        status: 'succeeded',
      },
      { inputFile: 'b.png', outputFile: '', target: '', seed: null, costUsd: null, seconds: null, status: 'pending' },
    ]);
    expect(v.manifestCsv(rows).split('\n')[1]).toBe(
      '"red, shoe.png",outputs/0001-red_shoe-offline_engine-v1-1.png,offline:engine-v1,5,0.04,2.5,succeeded',
    );
  });
});
