import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFsBlobStore } from './fs-blob-store';
import { blobKey, sha256 } from './keys';

/**
 * Disk faults the file system will not produce on demand (a full disk, a read-only mount, an
 * I/O error on fsync), injected under the store through node:fs/promises.
 */
const { faults, calls } = vi.hoisted(() => ({
  faults: {} as Partial<Record<'openTemp' | 'write' | 'sync' | 'rename' | 'dirSync', string>>,
  calls: [] as string[],
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (point: keyof typeof faults) => {
    const code = faults[point];
    if (code) throw Object.assign(new Error(`${code}: injected at ${point}`), { code });
  };
  const open: typeof actual.open = async (file, flags, mode) => {
    if (flags === 'wx') fail('openTemp');
    const handle = await actual.open(file, flags, mode);
    const isDir = (await handle.stat()).isDirectory();
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'write') {
          return (...args: Parameters<typeof target.write>) => {
            fail('write');
            return target.write(...args);
          };
        }
        if (prop === 'sync') {
          return async () => {
            calls.push(isDir ? 'fsync folder' : 'fsync file');
            fail(isDir ? 'dirSync' : 'sync');
            return target.sync();
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const rename: typeof actual.rename = async (from, to) => {
    calls.push('rename');
    fail('rename');
    return actual.rename(from, to);
  };
  return { ...actual, open, rename, default: { ...actual, open, rename } };
});

const root = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-faults-'));
const store = createFsBlobStore(root);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

afterEach(() => {
  for (const key of Object.keys(faults)) delete faults[key as keyof typeof faults];
  calls.length = 0;
});

describe('fs blob store under disk faults', () => {
  const cases = [
    ['the disk is full while writing', 'write', 'ENOSPC'],
    ['the file system turns read-only before the temp file', 'openTemp', 'EROFS'],
    ['fsync of the file fails', 'sync', 'EIO'],
    ['the rename fails', 'rename', 'EROFS'],
    ['fsync of the folder fails after the rename', 'dirSync', 'EIO'],
  ] as const;

  for (const [what, point, code] of cases) {
    it(`leaves nothing behind when ${what}`, async () => {
      const bytes = Buffer.from(`bytes for ${point}`);
      const sha = sha256(bytes);
      faults[point] = code;
      await expect(store.put(blobKey(sha), bytes)).rejects.toMatchObject({ code });
      await expect(store.put(blobKey(sha, 'thumb'), bytes)).rejects.toMatchObject({ code });
      expect((await filesUnder(root)).filter((f) => f.startsWith(sha))).toEqual([]);
      expect(await store.head(blobKey(sha))).toBeNull();
      // Once the fault clears, the same put succeeds.
      delete faults[point];
      expect(await store.put(blobKey(sha), bytes)).toBe(true);
    });
  }

  it('leaves nothing behind when a streamed body fails half way', async () => {
    const bytes = Buffer.alloc(40_000, 7);
    async function* body() {
      yield bytes.subarray(0, 20_000);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    await expect(store.put(blobKey(sha256(bytes), 'preview'), body())).rejects.toThrow('socket hang up');
    expect((await filesUnder(root)).filter((f) => f.startsWith(sha256(bytes)))).toEqual([]);
  });

  it('fsyncs the file, renames, then fsyncs the folder, for renditions as for originals', async () => {
    const bytes = Buffer.from('durable');
    const sha = sha256(bytes);
    await store.put(blobKey(sha), bytes);
    calls.length = 0;
    await store.put(blobKey(sha, 'thumb'), Buffer.from('thumb bytes'));
    expect(calls).toEqual(['fsync file', 'rename', 'fsync folder']);
  });
});
