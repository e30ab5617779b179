import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

/**
 * Hardening, storage lifecycle (hardening.md B1, B2, Q1): no half-written files, renditions
 * checked on read, the Trash purged for real, garbage collected, a purged image gone.
 * The database side (Q2, Q3) is in lib/server/db/startup.test.ts.
 */
const dataDir = useTempDataDir({ TRASH_RETENTION_DAYS: '30' });
const { db } = await import('../db/client');
const { storeAsset } = await import('../assets');
const { prepareImage } = await import('../images/prepare');
const { contextFor, ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { saveDraft } = await import('../services/drafts');
const { addToTray } = await import('../services/tray');
const { purge, purgeExpired } = await import('../services/purge');
const { listTrash } = await import('../services/trash');
const { deleteAction, purgeAction } = await import('../actions/history');
const { submitRunAction } = await import('../actions/runs');
const { collectGarbage } = await import('../jobs/garbage');
const { runMaintenance } = await import('../jobs/maintenance');
const { blobKey, blobStore, sha256 } = await import('../storage');
const { openImage } = await import('../storage/renditions');
const { renditionFrom } = await import('../images/prepare');
const { GET: assetRoute } = await import('@/app/api/assets/[sha]/[kind]/route');

const ENGINE = 'offline:engine-v1';
const DAY = 86_400_000;
const mine = ownerContext();
const theirs = contextFor({ kind: 'owner', workspaceId: 'other' });
const blobDir = path.join(dataDir, 'blobs');
const fileOf = (key: string) => path.join(blobDir, key.slice(0, 2), key.slice(2, 4), key);

let colour = 0;
/** A fresh image (a new digest each call), stored as an upload with its renditions. */
async function image() {
  colour += 1;
  const png = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: colour % 256, g: (colour * 7) % 256, b: 99 } } })
    .png()
    .toBuffer();
  const p = await prepareImage(png, 'x.png');
  if (!p.ok) throw new Error(p.error.message);
  return storeAsset(p.image, 'upload');
}

/** A run on `referenceId` whose first variation finished with a new output image. */
async function finishedRun(sessionId: string, referenceId: string) {
  const r = await submitRunAction({
    sessionId,
    instruction: 'make it teal',
    referenceIds: [referenceId],
    targets: [ENGINE],
    count: 1,
    seed: 1,
  });
  if (!r.ok) throw new Error(r.error.message);
  const output = await image();
  const variationId = r.data.variationIds[0]!;
  await db().variation.update({
    where: { id: variationId },
    data: { status: 'succeeded', outputAssetId: output.id, finishedAt: new Date() },
  });
  return { runId: r.data.runId, variationId, output };
}

const get = (sha: string, kind: string) =>
  assetRoute(new Request(`http://127.0.0.1/api/assets/${sha}/${kind}`), { params: Promise.resolve({ sha, kind }) });
const exists = (key: string) =>
  stat(fileOf(key)).then(
    () => true,
    () => false,
  );
const tempFiles = async () => (await readdir(blobDir, { recursive: true })).filter((f) => String(f).endsWith('.tmp'));

beforeAll(async () => {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
});

describe('B1: writes leave nothing half done', () => {
  it('removes the temp file when the body fails part way, and leaves no blob', async () => {
    const bytes = Buffer.alloc(64_000, 1);
    async function* body() {
      yield bytes.subarray(0, 32_000);
      throw new Error('client went away');
    }
    await expect(blobStore().put(blobKey(sha256(bytes)), body())).rejects.toThrow('client went away');
    expect(await tempFiles()).toEqual([]);
    expect(await blobStore().head(blobKey(sha256(bytes)))).toBeNull();
  });

  // A file where the blob's folder should be: a failure that root cannot write through either
  // (permissions would be skipped under CI's root user).
  it('refuses to write where its folder cannot be made and leaves nothing there', async () => {
    const bytes = Buffer.from('blocked folder');
    const sha = sha256(bytes);
    const dir = path.dirname(fileOf(sha));
    await mkdir(path.dirname(dir), { recursive: true });
    await writeFile(dir, 'a file where the folder should be');
    try {
      await expect(blobStore().put(blobKey(sha), bytes)).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
      expect(await tempFiles()).toEqual([]);
      expect(await blobStore().head(blobKey(sha))).toBeNull();
    } finally {
      await rm(dir, { force: true });
    }
  });

  it('sweeps temp files a crash left behind, at the maintenance pass that runs at start', async () => {
    const asset = await image();
    const stale = `${fileOf(asset.sha256)}.0123456789ab.tmp`;
    const fresh = `${fileOf(asset.sha256)}.thumb.webp.ba9876543210.tmp`;
    await writeFile(stale, 'half an image');
    await writeFile(fresh, 'a write in progress');
    await utimes(stale, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    const report = await runMaintenance();
    expect(report?.tempFiles).toBe(1);
    expect(await tempFiles()).toEqual([path.relative(blobDir, fresh)]);
    await blobStore().sweep(new Date(Date.now() + 60_000));
    expect(await tempFiles()).toEqual([]);
  });

  it('never runs two maintenance passes at once', async () => {
    const [a, b] = [runMaintenance(), runMaintenance()];
    expect(a).toBe(b);
    await a;
  });
});

describe('B1: renditions are checked on read', () => {
  const damages = [
    ['zero-length', () => Buffer.alloc(0)],
    ['cut short', (good: Buffer) => good.subarray(0, Math.floor(good.length / 2))],
    ['the right length but not an image', (good: Buffer) => Buffer.concat([good.subarray(0, 12), Buffer.alloc(good.length - 12, 0x5a)])],
  ] as const;

  for (const [what, damage] of damages) {
    for (const kind of ['thumb', 'preview'] as const) {
      it(`renders a ${what} ${kind} again from the original and serves the good one`, async () => {
        const asset = await image();
        const key = blobKey(asset.sha256, kind);
        const good = await readFile(fileOf(key));
        await writeFile(fileOf(key), damage(good));
        const res = await get(asset.sha256, kind);
        expect(res.status).toBe(200);
        const body = Buffer.from(await res.arrayBuffer());
        expect(Number(res.headers.get('content-length'))).toBe(body.length);
        const meta = await sharp(body).metadata();
        expect(meta.format).toBe('webp');
        // Stored again: the next request is served from the store, whole.
        const stored = await readFile(fileOf(key));
        expect(stored.equals(body)).toBe(true);
        expect((await sharp(stored).metadata()).width).toBe(meta.width);
      });
    }
  }

  it('renders a missing thumbnail once for 50 requests at the same time', async () => {
    const asset = await image();
    await blobStore().delete(blobKey(asset.sha256, 'thumb'));
    let renders = 0;
    const counting = (original: Buffer, kind: 'thumb' | 'preview') => {
      renders += 1;
      return renditionFrom(original, kind);
    };
    const opened = await Promise.all(Array.from({ length: 50 }, () => openImage(asset.sha256, 'thumb', counting)));
    expect(renders).toBe(1);
    expect(new Set(opened.map((o) => o?.size)).size).toBe(1);
  });
});

describe('B2: garbage collection', () => {
  it('removes images nothing points to once past the grace period, and keeps every kind of reference', async () => {
    const session = await createSession(mine, {});
    const reference = await image();
    const { output, variationId } = await finishedRun(session, reference.id);
    const inTray = await image();
    await addToTray(mine, { items: [{ assetId: inTray.id }] });
    const inDraft = await image();
    await saveDraft(mine, {
      sessionId: session,
      draft: { instruction: '', negativePrompt: '', references: [inDraft], targets: [], keepSeed: false },
    });
    // A deleted variation can still be restored: its image stays until the Trash is purged.
    const deleted = await finishedRun(session, reference.id);
    await deleteAction({ kind: 'variation', ids: [deleted.variationId] });
    // A paused batch's images wait, pointed to by no run, until their item is submitted.
    const batchItemImage = await image();
    const batchShared = await image();
    await db().batch.create({
      data: {
        id: `gc-batch-${session}`,
        workspaceId: mine.workspaceId,
        sessionId: session,
        instruction: 'warm it up',
        params: '{}',
        targets: '[]',
        sharedReferenceIds: JSON.stringify([batchShared.id]),
        status: 'paused',
        items: { create: [{ id: `gc-item-${session}`, position: 0, referenceAssetId: batchItemImage.id }] },
      },
    });
    const orphan = await image();
    const strayBlob = Buffer.from('a blob whose row was never written');
    await blobStore().put(blobKey(sha256(strayBlob)), strayBlob);

    // Today nothing is past the grace period, so nothing goes.
    expect(await collectGarbage()).toEqual({ assets: 0, blobs: 0 });
    expect(await exists(orphan.sha256)).toBe(true);

    const later = new Date(Date.now() + 3 * DAY);
    const report = await collectGarbage(later);
    expect(report.assets).toBeGreaterThanOrEqual(1);
    expect(await db().asset.findUnique({ where: { id: orphan.id } })).toBeNull();
    for (const kind of ['original', 'thumb', 'preview'] as const) expect(await exists(blobKey(orphan.sha256, kind))).toBe(false);
    expect(await exists(sha256(strayBlob))).toBe(false);
    for (const kept of [reference, output, inTray, inDraft, deleted.output, batchItemImage, batchShared]) {
      expect(await db().asset.findUnique({ where: { id: kept.id } })).not.toBeNull();
      expect(await exists(kept.sha256)).toBe(true);
    }
    expect(await db().variation.findUnique({ where: { id: variationId } })).not.toBeNull();
  });

  it('keeps an old unreferenced image that was just uploaded again (an upload in progress)', async () => {
    const again = await image();
    await db().asset.update({ where: { id: again.id }, data: { createdAt: new Date(Date.now() - 5 * DAY) } });
    const old = new Date(Date.now() - 5 * DAY);
    for (const kind of ['original', 'thumb', 'preview'] as const) await utimes(fileOf(blobKey(again.sha256, kind)), old, old);
    // The same bytes uploaded now: the row is reused, the blob's grace period starts over.
    await blobStore().put(blobKey(again.sha256), await readFile(fileOf(again.sha256)));
    await collectGarbage();
    expect(await db().asset.findUnique({ where: { id: again.id } })).not.toBeNull();
    expect(await exists(again.sha256)).toBe(true);
  });
});

describe('B2: the Trash is purged for real', () => {
  it('purges what was deleted longer ago than TRASH_RETENTION_DAYS, and nothing newer', async () => {
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const shared = await image();
    const oldSession = await createSession(mine, { title: 'old' });
    const inOld = await finishedRun(oldSession, shared.id);
    const recentSession = await createSession(mine, { title: 'recent' });
    const inRecent = await finishedRun(recentSession, shared.id);
    const live = await createSession(mine, { title: 'live' });
    const oldRun = await finishedRun(live, shared.id);
    const oldVariation = await finishedRun(live, shared.id);
    const recentVariation = await finishedRun(live, shared.id);
    await db().session.update({ where: { id: oldSession }, data: { deletedAt: ago(31) } });
    await db().session.update({ where: { id: recentSession }, data: { deletedAt: ago(29) } });
    await db().run.update({ where: { id: oldRun.runId }, data: { deletedAt: ago(40) } });
    await db().variation.update({ where: { id: oldVariation.variationId }, data: { deletedAt: ago(31) } });
    await db().variation.update({ where: { id: recentVariation.variationId }, data: { deletedAt: ago(1) } });

    const report = await purgeExpired();
    expect(report).toMatchObject({ sessions: 1, runs: 1, variations: 1 });
    expect(await db().session.findUnique({ where: { id: oldSession } })).toBeNull();
    expect(await db().run.count({ where: { sessionId: oldSession } })).toBe(0);
    expect(await db().run.findUnique({ where: { id: oldRun.runId } })).toBeNull();
    expect(await db().variation.findUnique({ where: { id: oldVariation.variationId } })).toBeNull();
    // Their outputs went with them; the reference the live runs still use stayed.
    for (const gone of [inOld.output, oldRun.output, oldVariation.output]) {
      expect(await db().asset.findUnique({ where: { id: gone.id } })).toBeNull();
      expect(await exists(gone.sha256)).toBe(false);
    }
    expect(await exists(shared.sha256)).toBe(true);
    // Newer than the period: still in the Trash, with the date it goes.
    expect(await db().session.findUnique({ where: { id: recentSession } })).not.toBeNull();
    expect(await db().variation.findUnique({ where: { id: recentVariation.variationId } })).not.toBeNull();
    expect(await exists(inRecent.output.sha256)).toBe(true);
    const entry = (await listTrash(mine)).find((e) => e.id === recentSession)!;
    expect(new Date(entry.purgeAt).getTime() - new Date(entry.deletedAt).getTime()).toBe(30 * DAY);
  });

  it('"Delete permanently" purges only trashed items of the caller\'s workspace', async () => {
    const theirSession = await createSession(theirs, { title: 'theirs' });
    await db().session.update({ where: { id: theirSession }, data: { deletedAt: new Date() } });
    const notTrashed = await createSession(mine, { title: 'still here' });
    // The action resolves the local owner: another workspace's item, or one not in the Trash, is not found.
    for (const id of [theirSession, notTrashed]) {
      const r = await purgeAction({ kind: 'session', ids: [id] });
      expect(r.ok ? null : r.error.code).toBe('not_found');
    }
    await expect(purge(mine, { kind: 'session', ids: [theirSession] })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().session.findUnique({ where: { id: theirSession } })).not.toBeNull();
    expect(await db().session.findUnique({ where: { id: notTrashed } })).not.toBeNull();
    expect(await purge(theirs, { kind: 'session', ids: [theirSession] })).toEqual({ count: 1 });
    expect(await db().session.findUnique({ where: { id: theirSession } })).toBeNull();
  });

  it('a purged image is no longer downloadable: its asset URLs answer 404', async () => {
    const session = await createSession(mine, {});
    const { variationId, output } = await finishedRun(session, (await image()).id);
    await addToTray(mine, { items: [{ assetId: output.id, variationId }] });
    const kinds = ['original', 'thumb', 'preview'] as const;
    for (const kind of kinds) expect((await get(output.sha256, kind)).status).toBe(200);
    await deleteAction({ kind: 'variation', ids: [variationId] });
    // In the Trash it can still be restored, so it is still served.
    expect((await get(output.sha256, 'original')).status).toBe(200);
    const r = await purgeAction({ kind: 'variation', ids: [variationId] });
    expect(r).toEqual({ ok: true, data: { count: 1 } });
    for (const kind of kinds) {
      expect((await get(output.sha256, kind)).status).toBe(404);
      expect(await exists(blobKey(output.sha256, kind))).toBe(false);
    }
    // The tray item taken from it went too, and the Trash no longer lists it.
    expect(await db().trayItem.count({ where: { assetId: output.id } })).toBe(0);
    expect((await listTrash(mine)).some((e) => e.id === variationId)).toBe(false);
  });
});

describe('Q1: durable commits', () => {
  it('runs the app connection with synchronous=FULL (2) in WAL mode', async () => {
    const [sync] = await db().$queryRawUnsafe<{ synchronous: bigint | number }[]>('PRAGMA synchronous');
    expect(Number(sync!.synchronous)).toBe(2);
    const [mode] = await db().$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
    expect(mode!.journal_mode).toBe('wal');
  });
});

describe('Q4: batch transactions only', () => {
  it('has no interactive $transaction(async tx => …) anywhere in the app', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    // The ban protects SQLite's one shared connection. These run on PostgreSQL only (each checks
    // the dialect before it opens one), where a transaction holds a pooled connection of its own.
    const postgresOnly = new Set(['lib/server/ledger/budget-lock.ts']);
    const offenders: string[] = [];
    for (const top of ['app', 'lib', 'components', 'scripts']) {
      for (const file of await readdir(path.join(root, top), { recursive: true })) {
        const rel = path.join(top, file);
        if (!/\.(ts|tsx|mts)$/.test(file) || file.includes('generated') || rel === 'lib/server/hardening/storage.test.ts') continue;
        // Comments may name the pattern (to warn against it); code may not.
        const text = (await readFile(path.join(root, rel), 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
        if (/\$transaction\(\s*(async\b|\(?\s*\w*\s*\)?\s*=>)/.test(text) && !postgresOnly.has(rel)) offenders.push(rel);
      }
    }
    expect(offenders).toEqual([]);
  });
});
