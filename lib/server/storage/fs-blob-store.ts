import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BlobBody, BlobEntry, BlobStore, BlobStream } from './blob-store';
import { parseBlobKey, type BlobKey } from './keys';

/** `<key>.<12 hex>.tmp`: a write in progress, or one a crash interrupted. */
const TEMP_RE = /\.[0-9a-f]{12}\.tmp$/;
const FAN_RE = /^[0-9a-f]{2}$/;

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
      if (await statOrNull(file)) {
        // Stored again: the garbage collector's grace period starts over (see BlobHead).
        const now = new Date();
        await orNullIfMissing(utimes(file, now, now));
        return false;
      }
      const { sha, kind } = parseBlobKey(key)!;
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
      return stats ? { size: stats.size, modifiedAt: stats.mtime } : null;
    },

    async delete(key) {
      return (await orNullIfMissing(unlink(fileOf(key)).then(() => true))) ?? false;
    },

    async *list(): AsyncGenerator<BlobEntry> {
      for await (const { dir, name } of walk(root)) {
        const parsed = parseBlobKey(name);
        // Only names the layout puts there: temp files and strays are not blobs.
        if (!parsed || dir !== path.dirname(fileOf(name as BlobKey))) continue;
        const stats = await statOrNull(path.join(dir, name));
        if (stats?.isFile()) yield { key: name as BlobKey, size: stats.size, modifiedAt: stats.mtime };
      }
    },

    async sweep(olderThan) {
      let removed = 0;
      for await (const { dir, name } of walk(root)) {
        if (!TEMP_RE.test(name)) continue;
        const file = path.join(dir, name);
        const stats = await statOrNull(file);
        if (!stats || stats.mtime >= olderThan) continue;
        if (await orNullIfMissing(unlink(file).then(() => true))) removed += 1;
      }
      return removed;
    },
  };
}

/** The files of root/ab/cd/, folder by folder (a store can hold far more than fits in memory). */
async function* walk(root: string): AsyncGenerator<{ dir: string; name: string }> {
  for (const first of await namesIn(root)) {
    if (!FAN_RE.test(first)) continue;
    for (const second of await namesIn(path.join(root, first))) {
      if (!FAN_RE.test(second)) continue;
      const dir = path.join(root, first, second);
      for (const name of await namesIn(dir)) yield { dir, name };
    }
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}

/**
 * Temp file in the same folder, fsync, rename, fsync of the folder: a crash leaves either
 * nothing or the complete file under the final name, and a completed put survives power loss
 * (renditions too: a truncated thumbnail would otherwise be served until someone notices).
 * Any failure removes the temp file. With `expectSha`, the bytes are hashed as they are
 * written and a mismatch is refused before the rename.
 */
async function writeFileAtomic(target: string, body: BlobBody, expectSha?: string): Promise<void> {
  const dir = path.dirname(target);
  const created = await mkdir(dir, { recursive: true });
  // New fan-out folders are entries in their parents: those must be durable too.
  if (created) {
    for (let d = dir; ; d = path.dirname(d)) {
      await fsyncDir(path.dirname(d));
      if (d === created || path.dirname(d) === d) break;
    }
  }
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx');
  let handleOpen = true;
  let renamed = false;
  try {
    const hash = expectSha ? createHash('sha256') : undefined;
    for await (const chunk of body instanceof Uint8Array ? [body] : body) {
      hash?.update(chunk);
      // A write may take only part of a chunk; loop until all of it is in.
      for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    }
    if (hash && hash.digest('hex') !== expectSha) throw new Error('The bytes do not match their sha256 digest.');
    await handle.sync();
    handleOpen = false;
    await handle.close();
    await rename(tmp, target);
    renamed = true;
    await fsyncDir(dir);
  } catch (e) {
    if (handleOpen) await handle.close().catch(() => {});
    // After a failed folder fsync the blob may not survive a crash: the put failed, so the
    // file goes too (the next put writes it again) rather than count as stored.
    await unlink(renamed ? target : tmp).catch(() => {});
    throw e;
  }
}

/**
 * Makes the folder's entries (a rename, a new file) durable. Some file systems cannot open or
 * sync a folder (Windows, some network mounts); there, the file's own fsync is all there is.
 */
async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (e) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? '')) return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    if (!['EINVAL', 'ENOTSUP', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await handle.close();
  }
}

async function statOrNull(file: string) {
  return orNullIfMissing(stat(file));
}

async function orNullIfMissing<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/** A path that does not exist, or whose folder is not a folder: either way, no such blob. */
function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
