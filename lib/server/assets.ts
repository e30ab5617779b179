import 'server-only';
import { db } from './db/client';
import { newId } from './ids';
import { blobKey, blobStore, sha256 } from './storage';
import type { PreparedImage } from './images/prepare';

export type AssetOrigin = 'upload' | 'output' | 'import';

export type StoredAsset = {
  id: string;
  sha256: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
};

/**
 * Stores an image content-addressed: blobs first (durably, see BlobStore.put), then the row
 * that points to them. The same bytes stored twice give the same asset.
 */
export async function storeAsset(
  image: Pick<PreparedImage, 'bytes' | 'mime' | 'width' | 'height'> & Partial<Pick<PreparedImage, 'thumb' | 'preview'>>,
  origin: AssetOrigin,
): Promise<StoredAsset> {
  const sha = sha256(image.bytes);
  const store = blobStore();
  // put skips blobs already stored, so storing the same bytes again costs a stat.
  await store.put(blobKey(sha), image.bytes);
  // Renditions given now are stored now; missing ones are rendered on first request.
  await Promise.all([
    image.thumb && store.put(blobKey(sha, 'thumb'), image.thumb),
    image.preview && store.put(blobKey(sha, 'preview'), image.preview),
  ]);
  const create = {
    id: newId(),
    sha256: sha,
    mime: image.mime,
    width: image.width,
    height: image.height,
    bytes: image.bytes.length,
    origin,
  };
  try {
    return pick(await db().asset.upsert({ where: { sha256: sha }, create, update: {} }));
  } catch (e) {
    // Two requests storing the same bytes at once: both miss, one insert wins, the other
    // fails on the unique sha256. The row the winner wrote is the answer for both.
    if (!isUniqueViolation(e)) throw e;
    const row = await db().asset.findUnique({ where: { sha256: sha } });
    if (!row) throw e;
    return pick(row);
  }
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';
}

function pick(row: StoredAsset): StoredAsset {
  return { id: row.id, sha256: row.sha256, mime: row.mime, width: row.width, height: row.height, bytes: row.bytes };
}
