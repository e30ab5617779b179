import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { blobPath, putBlob, readBlob, sha256 } from './blob-store';

let root = '';
beforeAll(() => {
  root = path.join(useTempDataDir(), 'blobs');
});

describe('blob store', () => {
  it('stores by sha256 with two levels of fan-out', async () => {
    const bytes = Buffer.from('hello image');
    const sha = sha256(bytes);
    expect(await putBlob(sha, 'original', bytes)).toBe(true);
    expect(blobPath(sha, 'original')).toBe(path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha));
    expect(await readBlob(sha, 'original')).toEqual(bytes);
  });

  it('stores the same bytes once', async () => {
    const bytes = Buffer.from('twice');
    const sha = sha256(bytes);
    expect(await putBlob(sha, 'original', bytes)).toBe(true);
    expect(await putBlob(sha, 'original', bytes)).toBe(false);
    const files = await readdir(path.dirname(blobPath(sha, 'original')));
    expect(files.filter((f) => f.startsWith(sha))).toEqual([sha]);
  });

  it('leaves no temp files behind and keeps renditions beside the original', async () => {
    const bytes = Buffer.from('renditions');
    const sha = sha256(bytes);
    await putBlob(sha, 'thumb', Buffer.from('t'));
    await putBlob(sha, 'preview', Buffer.from('p'));
    const dir = path.dirname(blobPath(sha, 'thumb'));
    expect((await readdir(dir)).sort()).toEqual([`${sha}.preview.webp`, `${sha}.thumb.webp`]);
    expect(await readFile(blobPath(sha, 'thumb'), 'utf8')).toBe('t');
  });

  it('refuses anything that is not a digest as a path', () => {
    expect(() => blobPath('../../etc/passwd', 'original')).toThrow('Not a sha256 digest.');
  });
});
