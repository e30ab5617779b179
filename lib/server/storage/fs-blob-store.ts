import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BlobBody, BlobStore, BlobStream } from './blob-store';
import { parseBlobKey, type BlobKey } from './keys';

/**
 * Blobs as files under `root`: ab/cd/<key>, two levels of fan-out to keep folders small,
 * renditions beside their original. The methods use no `this`, so they can be passed around.
 */
export function createFsBlobStore(root: string): BlobStore {
  const fileOf = (key: BlobKey): string => {
    // Checked again here, not only in blobKey: the key becomes a path.
    const parsed = parseBlobKey(key);
    if (!parsed) throw new Error('Not a blob key.');
    return path.join(root, parsed.sha.slice(0, 2), parsed.sha.slice(2, 4), key);
  };

  return {
    async put(key, body) {
      const file = fileOf(key);
      if (await statOrNull(file)) return false;
      const { sha, kind } = parseBlobKey(key)!;
      // Renditions can be rebuilt from the original, so only originals are verified and fsynced.
      await writeFileAtomic(file, body, kind === 'original' ? sha : undefined);
      return true;
    },

    async get(key) {
      return orNullIfMissing(readFile(fileOf(key)));
    },

    async stream(key): Promise<BlobStream | null> {
      const handle = await orNullIfMissing(open(fileOf(key), 'r'));
      if (!handle) return null;
      try {
        // Size from the open handle, so it matches the bytes streamed even if the file is replaced.
        const { size } = await handle.stat();
        // The stream closes the handle when it ends, fails or is cancelled.
        const body = Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
        return { size, body };
      } catch (e) {
        await handle.close();
        throw e;
      }
    },

    async head(key) {
      const stats = await statOrNull(fileOf(key));
      return stats ? { size: stats.size } : null;
    },

    async delete(key) {
      return (await orNullIfMissing(unlink(fileOf(key)).then(() => true))) ?? false;
    },
  };
}

/**
 * Temp file in the same folder, fsync, rename: a crash leaves either nothing or the complete
 * file, never a half-written blob under the final name. With `expectSha`, the bytes are hashed
 * as they are written and a mismatch is refused before the rename.
 */
async function writeFileAtomic(target: string, body: BlobBody, expectSha?: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx');
  let handleOpen = true;
  try {
    const hash = expectSha ? createHash('sha256') : undefined;
    for await (const chunk of body instanceof Uint8Array ? [body] : body) {
      hash?.update(chunk);
      // A write may take only part of a chunk; loop until all of it is in.
      for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    }
    if (hash && hash.digest('hex') !== expectSha) throw new Error('The bytes do not match their sha256 digest.');
    if (expectSha) await handle.sync();
    handleOpen = false;
    await handle.close();
    await rename(tmp, target);
  } catch (e) {
    if (handleOpen) await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

async function statOrNull(file: string) {
  return orNullIfMissing(stat(file));
}

async function orNullIfMissing<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
