import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { exportManifestSchema } from '@/lib/schemas/export';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { unzip } from '@/lib/testing/unzip';

useTempDataDir();
const { db } = await import('../db/client');
const { storeAsset } = await import('../assets');
const { contextFor, ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRunAction: submitRun } = await import('../actions/runs');
const { blobStore, sha256 } = await import('../storage');
const { planGalleryExport, planSelectionExport } = await import('./load');
const { exportZipResponse } = await import('./zip');
const { readProvenance } = await import('./provenance');
const { acceptUpload } = await import('../services/uploads');
const { storedImage: upload } = await import('../jobs/testing/seed');

const ctx = ownerContext();
const ENGINE = 'offline:engine-v1';

/** An output as a provider returns it: stored byte for byte. */
async function output(format: 'png' | 'jpeg' | 'webp', size = 64, noise = false) {
  const base = noise
    ? sharp({
        create: { width: size, height: size, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
      })
    : sharp({ create: { width: size, height: size, channels: 3, background: '#336699' } });
  const bytes = await base.toFormat(format).toBuffer();
  const mime = `image/${format}` as const;
  return storeAsset({ bytes, mime, width: size, height: size }, 'output');
}

/** A real run through the action, its variations finished as the worker would. */
async function madeRun(formats: ('png' | 'jpeg' | 'webp')[], instruction = 'Put the mug on white marble') {
  const sessionId = await createSession(ctx, { title: 'Export' });
  const ref = await upload('#ff0000');
  const r = await submitRun({
    sessionId,
    instruction,
    negativePrompt: 'no text',
    referenceIds: [ref.id],
    targets: [ENGINE],
    count: formats.length,
    seed: 11,
  });
  if (!r.ok) throw new Error(r.error.message);
  const outs = [];
  for (const [i, f] of formats.entries()) {
    const out = await output(f);
    await db().variation.update({
      where: { id: r.data.variationIds[i]! },
      data: {
        status: 'succeeded',
        outputAssetId: out.id,
        finishedAt: new Date(),
        costUsd: 0.04,
        costSource: 'estimate',
        costEstimateUsd: 0.04,
      },
    });
    outs.push(out);
  }
  return { sessionId, runId: r.data.runId, variationIds: r.data.variationIds, ref, outs };
}

/** One more variation in a made run's session, on its reference, left queued. */
async function queued(run: { sessionId: string; ref: { id: string } }, instruction: string, seed: number): Promise<string> {
  const r = await submitRun({ sessionId: run.sessionId, instruction, referenceIds: [run.ref.id], targets: [ENGINE], count: 1, seed });
  if (!r.ok) throw new Error(r.error.message);
  return r.data.variationIds[0]!;
}

describe('export', () => {
  it('a gallery: originals in order with provenance, and a manifest with reviews, costs and hashes', async () => {
    const run = await madeRun(['png', 'jpeg', 'webp']);
    const [v1, v2, v3] = run.variationIds as [string, string, string];
    const galleryId = 'gal_export';
    await db().gallery.create({ data: { id: galleryId, workspaceId: 'local', title: 'Mugs — für Review!', description: 'round 1' } });
    // Gallery order differs from run order; one item is an uploaded image (no variation).
    const items = [
      { id: 'it_a', assetId: run.outs[2]!.id, variationId: v3, position: 0, caption: 'webp one' },
      { id: 'it_b', assetId: run.outs[0]!.id, variationId: v1, position: 1, caption: 'the hero' },
      { id: 'it_c', assetId: run.outs[1]!.id, variationId: v2, position: 2, caption: '' },
      { id: 'it_d', assetId: run.ref.id, variationId: null, position: 3, caption: 'the reference' },
    ];
    for (const it of items) await db().galleryItem.create({ data: { galleryId, ...it } });
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    await db().reviewVerdict.createMany({
      data: [
        {
          id: 'rv1',
          galleryId,
          itemId: 'it_b',
          shareId: 'sh',
          reviewerId: 'r1',
          reviewerName: 'Ana',
          verdict: 'reject',
          comment: 'too dark',
          createdAt: t(1),
        },
        {
          id: 'rv2',
          galleryId,
          itemId: 'it_b',
          shareId: 'sh',
          reviewerId: 'r1',
          reviewerName: 'Ana',
          verdict: 'approve',
          comment: '',
          createdAt: t(2),
        },
        {
          id: 'rv3',
          galleryId,
          itemId: 'it_b',
          shareId: 'sh',
          reviewerId: 'r2',
          reviewerName: 'Bo',
          verdict: 'changes',
          comment: 'crop it',
          createdAt: t(3),
        },
      ],
    });
    await db().reviewComment.createMany({
      data: [
        { id: 'rc1', galleryId, itemId: 'it_c', shareId: 'sh', reviewerId: 'r2', reviewerName: 'Bo', body: 'nice glaze', createdAt: t(4) },
        { id: 'rc2', galleryId, itemId: null, shareId: 'sh', reviewerId: 'r1', reviewerName: 'Ana', body: 'overall good', createdAt: t(5) },
      ],
    });

    const res = exportZipResponse(await planGalleryExport(ctx, galleryId));
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="proofsheet-mugs-fur-review-\d{4}-\d{2}-\d{2}\.zip"/);
    const files = await unzip(res);
    const names = [...files.keys()];
    expect(names).toHaveLength(5);
    expect(names[4]).toBe('manifest.json');
    expect(names[0]).toMatch(/^01-offline-engine-v1-[A-Za-z0-9]{8}\.webp$/);
    expect(names[1]).toMatch(/^02-offline-engine-v1-[A-Za-z0-9]{8}\.png$/);
    expect(names[2]).toMatch(/^03-offline-engine-v1-[A-Za-z0-9]{8}\.jpg$/);
    expect(names[3]).toBe(`04-upload-${run.ref.sha256.slice(0, 8)}.png`);

    const manifest = exportManifestSchema.parse(JSON.parse(files.get('manifest.json')!.toString('utf8')));
    expect(manifest.source).toEqual({ kind: 'gallery', galleryId, title: 'Mugs — für Review!', description: 'round 1' });
    expect(manifest.comments).toEqual([{ reviewerId: 'r1', reviewerName: 'Ana', body: 'overall good', at: t(5).toISOString() }]);
    expect(manifest.items.map((i) => i.fileName)).toEqual(names.slice(0, 4));
    expect(manifest.items.map((i) => i.caption)).toEqual(['webp one', 'the hero', '', 'the reference']);
    for (const item of manifest.items) expect(item.fileSha256).toBe(sha256(files.get(item.fileName)!));

    const hero = manifest.items[1]!;
    expect(hero.variation).toMatchObject({
      variationId: v1,
      runId: run.runId,
      sessionId: run.sessionId,
      instruction: 'Put the mug on white marble',
      negativePrompt: 'no text',
      provider: 'offline',
      targetId: ENGINE,
      references: [{ position: 0, sha256: run.ref.sha256, role: '' }],
      parentVariationId: null,
      cost: { usd: 0.04, source: 'estimate', estimateUsd: 0.04 },
    });
    expect(hero.variation!.parameters).toMatchObject({ count: 3, seed: hero.variation!.seed, format: 'png' });
    expect(hero.originalSha256).toBe(run.outs[0]!.sha256);
    expect(hero.fileSha256).not.toBe(hero.originalSha256);
    // Latest verdict per reviewer, and the whole history with who and when.
    expect(hero.review.verdicts.map((v) => [v.reviewerName, v.verdict])).toEqual([
      ['Ana', 'approve'],
      ['Bo', 'changes'],
    ]);
    expect(hero.review.verdictHistory.map((v) => [v.verdict, v.comment, v.at])).toEqual([
      ['reject', 'too dark', t(1).toISOString()],
      ['approve', '', t(2).toISOString()],
      ['changes', 'crop it', t(3).toISOString()],
    ]);
    expect(manifest.items[2]!.review.comments).toEqual([
      { reviewerId: 'r2', reviewerName: 'Bo', body: 'nice glaze', at: t(4).toISOString() },
    ]);

    // Every output carries its provenance; the uploaded image goes out untouched.
    for (const [i, item] of manifest.items.entries()) {
      const bytes = files.get(item.fileName)!;
      if (i === 3) {
        expect(item.provenanceEmbedded).toBe(false);
        expect(sha256(bytes)).toBe(run.ref.sha256);
        continue;
      }
      const p = readProvenance(bytes);
      expect(p).toMatchObject({ variationId: item.variation!.variationId, runId: run.runId, outputSha256: item.originalSha256 });
      expect(p!.references).toEqual([run.ref.sha256]);
      await expect(sharp(bytes).raw().toBuffer()).resolves.toBeInstanceOf(Buffer);
    }
  });

  it('a selection: any variations in the order given; missing or unfinished ones refuse the whole export', async () => {
    const run = await madeRun(['png', 'png']);
    const files = await unzip(exportZipResponse(await planSelectionExport(ctx, [run.variationIds[1]!, run.variationIds[0]!])));
    const manifest = exportManifestSchema.parse(JSON.parse(files.get('manifest.json')!.toString()));
    expect(manifest.source).toEqual({ kind: 'selection' });
    expect(manifest.items.map((i) => i.variation!.variationId)).toEqual([run.variationIds[1], run.variationIds[0]]);

    const unfinished = await queued(run, 'x', 1);
    await expect(planSelectionExport(ctx, [run.variationIds[0]!, unfinished])).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/1 of the selected variations has no image/),
    });
    // Another workspace's variation is indistinguishable from one that does not exist.
    await db().workspace.upsert({ where: { id: 'other' }, create: { id: 'other', name: 'Other' }, update: {} });
    await expect(planSelectionExport(ownerContext('other'), [run.variationIds[0]!])).rejects.toMatchObject({ code: 'not_found' });
    await expect(planGalleryExport(ownerContext('other'), 'gal_export')).rejects.toMatchObject({ code: 'not_found' });
    // Only the owner exports: not a share link's viewer, not an API token.
    const viewer = contextFor({ kind: 'viewer', workspaceId: 'local', galleryId: 'gal_export', shareId: 'sh' });
    await expect(planGalleryExport(viewer, 'gal_export')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('streams with backpressure: while the download is not read, the zip does not read ahead', async () => {
    const outs = [];
    for (let i = 0; i < 10; i++) outs.push(await output('png', 320, true));
    const run = await madeRun(['png']);
    // Point ten variations of real runs at large, incompressible outputs.
    const ids: string[] = [];
    for (const out of outs) {
      const id = await queued(run, 'noise', 2);
      await db().variation.update({ where: { id }, data: { status: 'succeeded', outputAssetId: out.id } });
      ids.push(id);
    }
    const size = outs.reduce((s, o) => s + o.bytes, 0);
    expect(size).toBeGreaterThan(2_000_000);
    const reads = vi.spyOn(blobStore(), 'stream');
    const res = exportZipResponse(await planSelectionExport(ctx, ids));
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 300));
    // One or two images in flight, not ten.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
    let total = 0;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.length;
    expect(reads.mock.calls.length).toBe(10);
    expect(total).toBeGreaterThan(size);

    // A cancelled download stops the zip: nothing more is read from the store.
    reads.mockClear();
    const cancelled = exportZipResponse(await planSelectionExport(ctx, ids)).body!.getReader();
    await cancelled.read();
    await cancelled.cancel();
    await new Promise((r) => setTimeout(r, 300));
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
    reads.mockRestore();
  });

  it('drop-back: uploading an exported image recognises its provenance before the metadata is stripped', async () => {
    const run = await madeRun(['png', 'jpeg']);
    const files = await unzip(exportZipResponse(await planSelectionExport(ctx, run.variationIds)));
    const [png, jpg] = [...files.entries()].filter(([n]) => n !== 'manifest.json').map(([, b]) => b) as [Buffer, Buffer];
    const up = await acceptUpload(ctx, { name: 'exported.png', bytes: png });
    expect(up.provenance).toMatchObject({
      variationId: run.variationIds[0],
      runId: run.runId,
      sessionId: run.sessionId,
      instruction: 'Put the mug on white marble',
      negativePrompt: 'no text',
      targetId: ENGINE,
      known: true,
    });
    expect(up.notes).toContain('Metadata removed (EXIF, GPS, XMP).');
    const stored = await blobStore().get(up.asset.sha256 as never);
    expect(readProvenance(stored!)).toBeNull();
    expect((await acceptUpload(ctx, { name: 'exported.jpg', bytes: jpg })).provenance?.variationId).toBe(run.variationIds[1]);
    // Another workspace sees what the file says, but not as one of its own variations.
    expect((await acceptUpload(ownerContext('other'), { name: 'x.png', bytes: png })).provenance?.known).toBe(false);
    // A deleted variation is not offered as a history entry.
    await db().variation.update({ where: { id: run.variationIds[0]! }, data: { deletedAt: new Date() } });
    expect((await acceptUpload(ctx, { name: 'x.png', bytes: png })).provenance?.known).toBe(false);
    // A plain image has none.
    const plain = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    expect((await acceptUpload(ctx, { name: 'plain.png', bytes: plain })).provenance).toBeUndefined();
  });
});
