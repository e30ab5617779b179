import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { describeBlobStore } from './describe-blob-store';
import { createFsBlobStore } from './fs-blob-store';
import { blobKey, sha256 } from './keys';

const tempRoot = () => mkdtempSync(path.join(os.tmpdir(), 'proofsheet-blobs-'));

describeBlobStore('fs', () => createFsBlobStore(tempRoot()));

describe('fs blob store', () => {
  const root = tempRoot();
  const store = createFsBlobStore(root);
  const dirOf = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4));

  it('stores by sha256 with two levels of fan-out', async () => {
    const bytes = Buffer.from('hello image');
    const sha = sha256(bytes);
    await store.put(blobKey(sha), bytes);
    expect(await readFile(path.join(dirOf(sha), sha))).toEqual(bytes);
  });

  it('keeps renditions beside the original and leaves no temp files behind', async () => {
    const bytes = Buffer.from('renditions');
    const sha = sha256(bytes);
    await store.put(blobKey(sha, 'thumb'), Buffer.from('t'));
    await store.put(blobKey(sha, 'preview'), Buffer.from('p'));
    await store.put(blobKey(sha), bytes);
    await store.put(blobKey(sha), bytes);
    expect((await readdir(dirOf(sha))).sort()).toEqual([sha, `${sha}.preview.webp`, `${sha}.thumb.webp`]);
    expect(await readFile(path.join(dirOf(sha), `${sha}.thumb.webp`), 'utf8')).toBe('t');
  });

  it('removes its temp file when a put fails', async () => {
    const bytes = Buffer.from('half written');
    const sha = sha256(bytes);
    async function* failing() {
      yield bytes.subarray(0, 4);
      throw new Error('disk went away');
    }
    await expect(store.put(blobKey(sha), failing())).rejects.toThrow('disk went away');
    await expect(store.put(blobKey(sha), Buffer.from('not these bytes'))).rejects.toThrow('do not match');
    expect(await readdir(dirOf(sha))).toEqual([]);
  });
});

describe('fs blob store: leftovers', () => {
  const root = tempRoot();
  const store = createFsBlobStore(root);

  it('sweeps temp files a crash left behind, keeping writes still in progress and blobs', async () => {
    const bytes = Buffer.from('kept');
    const sha = sha256(bytes);
    await store.put(blobKey(sha), bytes);
    const dir = path.join(root, sha.slice(0, 2), sha.slice(2, 4));
    const stale = path.join(dir, `${sha}.thumb.webp.0123456789ab.tmp`);
    const fresh = path.join(dir, `${sha}.preview.webp.ba9876543210.tmp`);
    await writeFile(stale, 'half a thumbnail');
    await writeFile(fresh, 'being written');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    expect(await store.sweep(new Date(Date.now() - 60_000))).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([sha, path.basename(fresh)].sort());
  });

  it('lists only blobs where the layout puts them', async () => {
    const bytes = Buffer.from('listed');
    const sha = sha256(bytes);
    await store.put(blobKey(sha), bytes);
    // A stray copy in the wrong folder, a temp file and an unrelated file are not blobs.
    await mkdir(path.join(root, '00', '00'), { recursive: true });
    await writeFile(path.join(root, '00', '00', sha), bytes);
    await writeFile(path.join(root, sha.slice(0, 2), sha.slice(2, 4), 'notes.txt'), 'x');
    const keys: string[] = [];
    for await (const entry of store.list()) keys.push(entry.key);
    expect(keys.filter((k) => k === sha)).toHaveLength(1);
    expect(keys).not.toContain('notes.txt');
  });
});

describe('blobStore()', () => {
  it('is the fs store under DATA_DIR/blobs by default', async () => {
    const dir = useTempDataDir();
    const { blobStore } = await import('./index');
    const bytes = Buffer.from('configured');
    const sha = sha256(bytes);
    await blobStore().put(blobKey(sha), bytes);
    expect(await readFile(path.join(dir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha))).toEqual(bytes);
  });

  it('requireBlob turns a missing blob into an error that names no path', async () => {
    const { requireBlob, BlobMissingError } = await import('./index');
    const error = await requireBlob(blobKey('f'.repeat(64))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobMissingError);
    expect((error as Error).message).toBe('A stored image is missing from storage.');
  });
});
