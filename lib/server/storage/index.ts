import 'server-only';
import { blobDir, env, type Env } from '../env';
import { BlobMissingError, type BlobStore } from './blob-store';
import { createFsBlobStore } from './fs-blob-store';
import { createS3BlobStoreFromEnv, s3ConfigKey } from './s3-config';
import type { BlobKey } from './keys';

export { BlobMissingError, type BlobBody, type BlobEntry, type BlobHead, type BlobStore, type BlobStream } from './blob-store';
export { BLOB_KINDS, blobKey, isSha256, parseBlobKey, sha256, type BlobKey, type BlobKind } from './keys';

/** One line per backend, keyed by BLOB_STORE. */
const BACKENDS: Record<Env['BLOB_STORE'], () => BlobStore> = {
  fs: () => createFsBlobStore(blobDir()),
  s3: createS3BlobStoreFromEnv,
};

let current: { config: string; store: BlobStore } | undefined;

/**
 * The configured store. One per configuration, rebuilt when it changes (tests point DATA_DIR
 * elsewhere between files).
 */
export function blobStore(): BlobStore {
  const backend = env().BLOB_STORE;
  const config = backend === 's3' ? s3ConfigKey() : `${backend}:${blobDir()}`;
  if (current?.config !== config) current = { config, store: BACKENDS[backend]() };
  return current.store;
}

/** For callers that hold a row pointing at the blob: its absence is an error, not a 404. */
export async function requireBlob(key: BlobKey): Promise<Buffer> {
  const bytes = await blobStore().get(key);
  if (!bytes) throw new BlobMissingError();
  return bytes;
}
