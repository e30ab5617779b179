import sharp from 'sharp';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3StoreEnv, s3TestClient, s3TestTarget } from '@/lib/testing/s3';
import { useTempDataDir } from '@/lib/testing/temp-data';

/**
 * The app on BLOB_STORE=s3: the run engine stores outputs in the bucket, renditions are
 * rendered lazily beside them, vendors get presigned URLs without PUBLIC_BASE_URL, and the
 * garbage collector walks the bucket. Real HTTP to the test server (S3_TEST_ENDPOINT).
 */
const target = s3TestTarget();

if (!target) {
  describe.skip('the app on S3 (set S3_TEST_ENDPOINT)', () => {
    it('needs an S3-compatible server', () => {});
  });
} else {
  const s3Env = await s3StoreEnv(target, 'studio');
  const dataDir = useTempDataDir({ ...s3Env, WORKER_LEASE_MS: '3000', PUBLIC_BASE_URL: '' });
  const bucket = s3Env.S3_BUCKET!;
  const client = s3TestClient(target);
  const keysInBucket = async () => ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);

  const { db } = await import('../db/client');
  const { ownerContext } = await import('../context');
  const { createSession } = await import('../services/sessions');
  const { submitRunAction: submitRun } = await import('../actions/runs');
  const { startWorker, stopWorker, wakeWorker } = await import('../jobs/worker');
  const { serveAsset } = await import('../serve-asset');
  const { publicUrlFor } = await import('../public-url');
  const { collectGarbage } = await import('../jobs/garbage');
  const { blobKey, blobStore, sha256 } = await import('./index');
  const { OFFLINE_TARGET_ID } = await import('@/lib/providers/catalog');
  const { storedImage } = await import('../jobs/testing/seed');

  let sessionId = '';
  let assetId = '';
  beforeAll(async () => {
    sessionId = await createSession(ownerContext(), {});
    assetId = (await storedImage('#5588aa', 'upload', { width: 200, height: 200 })).id;
  });
  afterAll(async () => {
    await stopWorker();
  });

  describe('the app on S3', () => {
    it('runs a variation to its end with the output and its thumbnail in the bucket, then serves them', async () => {
      const r = await submitRun({
        sessionId,
        instruction: 'make it warmer',
        referenceIds: [assetId],
        targets: [OFFLINE_TARGET_ID],
        count: 1,
        seed: 5,
      });
      if (!r.ok) throw new Error(r.error.message);
      startWorker();
      wakeWorker();
      const end = Date.now() + 30_000;
      let sha = '';
      for (;;) {
        const [v] = await db().variation.findMany({
          where: { runId: r.data.runId },
          select: { status: true, outputAsset: { select: { sha256: true } } },
        });
        if (v?.status === 'succeeded') {
          sha = v.outputAsset!.sha256;
          break;
        }
        if (Date.now() > end || v?.status === 'failed') throw new Error(`run did not succeed: ${v?.status}`);
        await new Promise((res) => setTimeout(res, 20));
      }
      // Stored under the prefix, the rendition beside its original; nothing on local disk.
      const keys = await keysInBucket();
      expect(keys).toContain(`studio/${sha}`);
      expect(keys).toContain(`studio/${sha}.thumb.webp`);
      expect(existsSync(path.join(dataDir, 'blobs'))).toBe(false);

      const get = (kind: string) => serveAsset(new Request(`http://x/api/assets/${sha}/${kind}`), sha, kind);
      const original = await get('original');
      expect(original.status).toBe(200);
      const bytes = Buffer.from(await original.arrayBuffer());
      expect(original.headers.get('content-length')).toBe(String(bytes.length));
      expect(sha256(bytes)).toBe(sha);

      // The preview is rendered on first request and stored in the bucket beside the original.
      expect(keys).not.toContain(`studio/${sha}.preview.webp`);
      const preview = await get('preview');
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-type')).toBe('image/webp');
      expect((await sharp(Buffer.from(await preview.arrayBuffer())).metadata()).format).toBe('webp');
      expect(await keysInBucket()).toContain(`studio/${sha}.preview.webp`);
    });

    it('hands vendors a presigned bucket URL with no PUBLIC_BASE_URL set', async () => {
      const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#e64980' } })
        .png()
        .toBuffer();
      const sha = sha256(png);
      const url = await publicUrlFor({ bytes: png, sha256: sha, mime: 'image/png', width: 30, height: 20, filename: 'ref.png' });
      expect(url.startsWith(target.endpoint)).toBe(true);
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600');
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha);
    });

    it('collects a blob in the bucket that no row points to, once past the grace period', async () => {
      const stray = Buffer.from('stored, then its row was never written');
      const key = blobKey(sha256(stray));
      await blobStore().put(key, stray);
      expect(await collectGarbage(new Date(), 60_000)).toMatchObject({ blobs: 0 });
      expect(await blobStore().head(key)).not.toBeNull();
      const report = await collectGarbage(new Date(Date.now() + 120_000), 60_000);
      expect(report.blobs).toBeGreaterThanOrEqual(1);
      expect(await blobStore().head(key)).toBeNull();
      expect(await keysInBucket()).not.toContain(`studio/${key}`);
    });
  });
}
