import { randomBytes } from 'node:crypto';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshBucket, s3TestClient, s3TestTarget } from '@/lib/testing/s3';
import type { BlobStore } from './blob-store';
import { describeBlobStore } from './describe-blob-store';
import { blobKey, sha256 } from './keys';
import { createS3BlobStore } from './s3-blob-store';

/** Real HTTP to an S3-compatible server (moto in CI: scripts/s3-test-server.sh). */
const target = s3TestTarget();
const MiB = 1024 * 1024;

if (!target) {
  describe.skip('S3 blob store (set S3_TEST_ENDPOINT)', () => {
    it('needs an S3-compatible server', () => {});
  });
} else {
  const client = s3TestClient(target);
  const make = async (prefix = '', presignTtlSeconds = 900) =>
    createS3BlobStore({ client, bucket: await freshBucket(target), prefix, presignTtlSeconds });

  describeBlobStore('s3', () => make());
  describeBlobStore('s3 with a prefix', () => make('team-a'));

  const openUploads = async (bucket: string) => (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
  const objectKeys = async (bucket: string) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);

  describe('s3 blob store', () => {
    let bucket = '';
    let store: BlobStore;
    beforeAll(async () => {
      bucket = await freshBucket(target);
      store = createS3BlobStore({ client, bucket, prefix: 'p/', presignTtlSeconds: 600, partSize: 5 * MiB });
    });

    it('keeps originals and renditions side by side under the prefix, by digest', async () => {
      const bytes = randomBytes(2_000);
      const sha = sha256(bytes);
      await store.put(blobKey(sha), bytes);
      await store.put(blobKey(sha, 'thumb'), Buffer.from('t'));
      expect((await objectKeys(bucket)).filter((k) => k?.includes(sha)).sort()).toEqual([`p/${sha}`, `p/${sha}.thumb.webp`]);
    });

    it('lists only blob keys under its prefix', async () => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/readme.txt', Body: 'x' }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${'a'.repeat(64)}`, Body: 'outside the prefix' }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'p/notes.txt', Body: 'not a blob' }));
      const keys: string[] = [];
      for await (const entry of store.list()) keys.push(entry.key);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key).toMatch(/^[a-f0-9]{64}(\.(thumb|preview)\.webp)?$/);
      expect(keys).not.toContain('a'.repeat(64));
    });

    it('hands out a presigned GET that plain fetch reads, typed as asked, valid for the configured time', async () => {
      // A PNG signature, then noise: stored typed by its magic bytes.
      const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(4_000)]);
      const key = blobKey(sha256(bytes));
      await store.put(key, bytes);
      const url = await store.presignGet!(key, { contentType: 'image/png' });
      const params = new URL(url).searchParams;
      expect(params.get('X-Amz-Expires')).toBe('600');
      expect(params.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      const signedAt = params.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z');
      expect(Math.abs(Date.parse(signedAt) - Date.now())).toBeLessThan(60_000);
      // No credentials of ours travel with it: the secret signs, it is never in the URL.
      expect(url).not.toContain(target.secretAccessKey);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(bytes));
    });

    it('streams a large body part by part, and leaves no object and no open upload when it fails after its first part', async () => {
      const bytes = randomBytes(12 * MiB);
      const key = blobKey(sha256(bytes));
      let sent = 0;
      let partsStoredBeforeTheEnd = 0;
      async function* failing() {
        for (let at = 0; at < 7 * MiB; at += MiB) {
          sent += MiB;
          yield bytes.subarray(at, at + MiB);
        }
        // Streamed, not buffered: the first 5 MiB part reaches the server while the body is
        // still being read.
        for (let tries = 0; tries < 100 && partsStoredBeforeTheEnd === 0; tries++) {
          const upload = (await openUploads(bucket)).find((u) => u.Key === `p/${key}`);
          if (upload) {
            const parts = await client.send(new ListPartsCommand({ Bucket: bucket, Key: `p/${key}`, UploadId: upload.UploadId }));
            partsStoredBeforeTheEnd = parts.Parts?.length ?? 0;
          }
          if (partsStoredBeforeTheEnd === 0) await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('client went away');
      }
      await expect(store.put(key, failing())).rejects.toThrow('client went away');
      expect(sent).toBe(7 * MiB);
      expect(partsStoredBeforeTheEnd).toBeGreaterThanOrEqual(1);
      expect(await store.head(key)).toBeNull();
      expect(await objectKeys(bucket)).not.toContain(`p/${key}`);
      expect(await openUploads(bucket)).toEqual([]);
      // The same bytes, whole, then store.
      expect(await store.put(key, bytes)).toBe(true);
      expect(sha256((await store.get(key))!)).toBe(sha256(bytes));
    });

    it('refuses a multipart original whose bytes do not match its key before completing it', async () => {
      const key = blobKey(sha256(Buffer.from('the bytes it claims')));
      await expect(store.put(key, randomBytes(11 * MiB))).rejects.toThrow('do not match');
      expect(await store.head(key)).toBeNull();
      expect(await openUploads(bucket)).toEqual([]);
    });

    it('stores concurrent puts of the same content once: one writer wins, the rest find it stored', async () => {
      for (const size of [64_000, 6 * MiB]) {
        const bytes = randomBytes(size);
        const key = blobKey(sha256(bytes));
        const results = await Promise.all(Array.from({ length: 4 }, () => store.put(key, bytes)));
        // Every put resolved, none failed, at least one wrote. Exactly one, on AWS S3 (conditional
        // writes are atomic there); moto checks If-None-Match and completes a multipart upload
        // in two steps, so overlapping completions may all "win" with the same bytes. The
        // lost-race answer itself is pinned down by the next test.
        expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
        expect(sha256((await store.get(key))!)).toBe(sha256(bytes));
        expect((await store.head(key))!.size).toBe(size);
        expect(await openUploads(bucket)).toEqual([]);
      }
    });

    it('answers a conditional write lost to another writer as "already stored", not as an error', async () => {
      const bytes = randomBytes(3_000);
      const key = blobKey(sha256(bytes));
      // Another process stores the object between this put's check and its write.
      let written = false;
      async function* body() {
        if (!written) {
          written = true;
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/${key}`, Body: bytes }));
        }
        yield bytes;
      }
      expect(await store.put(key, body())).toBe(false);
      expect(sha256((await store.get(key))!)).toBe(sha256(bytes));
    });

    it('sweeps multipart uploads a crash abandoned, keeping uploads still in progress', async () => {
      const stale = blobKey(sha256(randomBytes(8)));
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `p/${stale}` }));
      await client.send(new UploadPartCommand({ Bucket: bucket, Key: `p/${stale}`, UploadId, PartNumber: 1, Body: randomBytes(1000) }));
      // Judged by the server's own Initiated time (moto reports a fixed one from 2010).
      const [open] = await openUploads(bucket);
      expect(open?.Key).toBe(`p/${stale}`);
      const initiated = open!.Initiated!.getTime();
      expect(await store.sweep(new Date(initiated))).toBe(0);
      expect((await openUploads(bucket)).map((u) => u.Key)).toEqual([`p/${stale}`]);
      expect(await store.sweep(new Date(initiated + 1))).toBe(1);
      expect(await openUploads(bucket)).toEqual([]);
      expect(await store.head(stale)).toBeNull();
    });

    it('reports a missing bucket as an error, not as a missing image', async () => {
      const lost = createS3BlobStore({ client, bucket: `${bucket}-missing` });
      const key = blobKey(sha256(Buffer.from('x')));
      await expect(lost.get(key)).rejects.toMatchObject({ name: 'NoSuchBucket' });
      await expect(lost.stream(key)).rejects.toMatchObject({ name: 'NoSuchBucket' });
      await expect(lost.put(key, Buffer.from('x'))).rejects.toThrow();
    });

    it('streams with the stored length, and a cancelled stream releases its connection', async () => {
      const bytes = randomBytes(300_000);
      const key = blobKey(sha256(bytes));
      await store.put(key, bytes);
      const streamed = await store.stream(key);
      expect(streamed!.size).toBe(bytes.length);
      // Cancelling part way releases the connection (the next request on the client works).
      const reader = streamed!.body.getReader();
      await reader.read();
      await reader.cancel();
      const whole = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `p/${key}` }));
      expect(whole.ContentLength).toBe(bytes.length);
      await whole.Body!.transformToByteArray();
    });
  });
}
