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

/**
 * At start (instrumentation.ts, scripts/worker.mts): a store that cannot be built from the
 * configuration (BLOB_STORE=s3 without S3_BUCKET…) stops the process with its one message,
 * rather than failing every image request later.
 */
export function checkBlobStoreOrExit(exit: (code: number) => void = (code) => process.exit(code)): void {
  try {
    blobStore();
  } catch (e) {
    console.error(`[storage] ${e instanceof Error ? e.message : String(e)}`);
    exit(1);
  }
}

/** For callers that hold a row pointing at the blob: its absence is an error, not a 404. */
export async function requireBlob(key: BlobKey): Promise<Buffer> {
  const bytes = await blobStore().get(key);
  if (!bytes) throw new BlobMissingError();
  return bytes;
}
