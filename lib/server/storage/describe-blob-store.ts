import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store';
import { blobKey, sha256 } from './keys';

/**
 * The contract every BlobStore meets. An implementation's test file calls this with a factory
 * for a fresh, empty store, then adds what only that backend can check (file layout, etc.).
 */
export function describeBlobStore(name: string, make: () => BlobStore | Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await make();
    });

    // Compared by digest: deep equality of large buffers is slow in expect.
    const digestOf = (bytes: Buffer | null) => bytes && sha256(bytes);
    const fresh = (size = 1024) => {
      const bytes = randomBytes(size);
      return { bytes, key: blobKey(sha256(bytes)) };
    };

    it('round-trips bytes through put, get, stream and head', async () => {
      const { bytes, key } = fresh(200_000);
      expect(await store.put(key, bytes)).toBe(true);
      expect(digestOf(await store.get(key))).toBe(sha256(bytes));
      expect(await store.head(key)).toMatchObject({ size: bytes.length, modifiedAt: expect.any(Date) });
      const streamed = await store.stream(key);
      expect(streamed?.size).toBe(bytes.length);
      expect(digestOf(Buffer.from(await new Response(streamed!.body).arrayBuffer()))).toBe(sha256(bytes));
    });

    it('is idempotent by content: a second put of the same key writes nothing', async () => {
      const { bytes, key } = fresh();
      expect(await store.put(key, bytes)).toBe(true);
      expect(await store.put(key, bytes)).toBe(false);
      expect(await store.get(key)).toEqual(bytes);
    });

    it('accepts a body that arrives in chunks', async () => {
      const { bytes, key } = fresh(100_000);
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += 7_000) yield bytes.subarray(i, i + 7_000);
      }
      expect(await store.put(key, chunks())).toBe(true);
      expect(digestOf(await store.get(key))).toBe(sha256(bytes));
    });

    it('keeps renditions under their own keys, apart from the original', async () => {
      const { bytes, key } = fresh();
      const sha = sha256(bytes);
      expect(await store.put(blobKey(sha, 'thumb'), Buffer.from('thumb'))).toBe(true);
      expect(await store.head(key)).toBeNull();
      await store.put(key, bytes);
      await store.put(blobKey(sha, 'preview'), Buffer.from('preview'));
      expect((await store.get(blobKey(sha, 'thumb')))?.toString()).toBe('thumb');
      expect((await store.get(blobKey(sha, 'preview')))?.toString()).toBe('preview');
      expect(await store.get(key)).toEqual(bytes);
    });

    it('answers null for a missing key from get, stream and head', async () => {
      const { key } = fresh();
      expect(await store.head(key)).toBeNull();
      expect(await store.get(key)).toBeNull();
      expect(await store.stream(key)).toBeNull();
    });

    it('deletes, and says whether there was anything to delete', async () => {
      const { bytes, key } = fresh();
      await store.put(key, bytes);
      expect(await store.delete(key)).toBe(true);
      expect(await store.head(key)).toBeNull();
      expect(await store.get(key)).toBeNull();
      expect(await store.delete(key)).toBe(false);
      // Gone means gone: the next put writes again.
      expect(await store.put(key, bytes)).toBe(true);
    });

    it('leaves nothing behind when a put fails part way', async () => {
      const { bytes, key } = fresh(50_000);
      async function* failing() {
        yield bytes.subarray(0, 20_000);
        throw new Error('connection reset');
      }
      await expect(store.put(key, failing())).rejects.toThrow('connection reset');
      expect(await store.head(key)).toBeNull();
      expect(await store.get(key)).toBeNull();
      expect(await store.put(key, bytes)).toBe(true);
    });

    it('refuses an original whose bytes do not match its digest', async () => {
      const { key } = fresh();
      await expect(store.put(key, randomBytes(1024))).rejects.toThrow('do not match');
      expect(await store.head(key)).toBeNull();
    });

    it('lists what it holds, with sizes, for the garbage collector', async () => {
      const { bytes, key } = fresh(3_000);
      const thumb = blobKey(sha256(bytes), 'thumb');
      await store.put(key, bytes);
      await store.put(thumb, Buffer.from('t'));
      const listed = new Map<string, number>();
      for await (const entry of store.list()) {
        expect(entry.modifiedAt).toBeInstanceOf(Date);
        listed.set(entry.key, entry.size);
      }
      expect(listed.get(key)).toBe(3_000);
      expect(listed.get(thumb)).toBe(1);
      await store.delete(thumb);
      for await (const entry of store.list()) expect(entry.key).not.toBe(thumb);
    });

    it('refreshes modifiedAt when the same bytes are stored again', async () => {
      const { bytes, key } = fresh();
      await store.put(key, bytes);
      const first = (await store.head(key))!.modifiedAt;
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.put(key, bytes)).toBe(false);
      expect((await store.head(key))!.modifiedAt.getTime()).toBeGreaterThan(first.getTime());
    });

    it('sweeps nothing that a completed put stored', async () => {
      const { bytes, key } = fresh();
      await store.put(key, bytes);
      await store.sweep(new Date(Date.now() + 60_000));
      expect(await store.get(key)).toEqual(bytes);
    });

    it('refuses keys that are not blob keys', async () => {
      const bad = '../../etc/passwd' as ReturnType<typeof blobKey>;
      await expect(store.get(bad)).rejects.toThrow();
      await expect(store.put(bad, Buffer.from('x'))).rejects.toThrow();
    });
  });
}
