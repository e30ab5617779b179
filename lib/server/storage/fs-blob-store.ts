import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { blobDir } from '../env';

export type BlobKind = 'original' | 'thumb' | 'preview';

const SHA_RE = /^[a-f0-9]{64}$/;

export function isSha256(value: string): boolean {
  return SHA_RE.test(value);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ab/cd/<sha>[.thumb.webp]: two levels of fan-out keep directories small. */
export function blobPath(sha: string, kind: BlobKind, root = blobDir()): string {
  if (!isSha256(sha)) throw new Error('Not a sha256 digest.');
  const suffix = kind === 'original' ? '' : `.${kind}.webp`;
  return path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha + suffix);
}

/**
 * Writes bytes durably: temp file in the same folder, fsync, rename. A crash leaves either
 * the old state or the complete file, never a half-written blob under the final name.
 */
export async function writeFileAtomic(target: string, bytes: Buffer, durable = true): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(bytes);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Stores a blob under its own digest; a second put of the same bytes is a no-op. */
export async function putBlob(sha: string, kind: BlobKind, bytes: Buffer, root = blobDir()): Promise<boolean> {
  const target = blobPath(sha, kind, root);
  if (await exists(target)) return false;
  // Renditions can be rebuilt from the original, so only originals pay for an fsync.
  await writeFileAtomic(target, bytes, kind === 'original');
  return true;
}

export async function readBlob(sha: string, kind: BlobKind, root = blobDir()): Promise<Buffer> {
  return readFile(blobPath(sha, kind, root));
}
