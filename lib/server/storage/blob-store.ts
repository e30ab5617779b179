import 'server-only';
import type { BlobKey } from './keys';

/** What `put` accepts: bytes in memory, or chunks as they arrive (a Node or web stream). */
export type BlobBody = Uint8Array | AsyncIterable<Uint8Array>;

/** `modifiedAt`: when the blob was last stored (a put of bytes already there refreshes it). */
export type BlobHead = { size: number; modifiedAt: Date };

export type BlobStream = { size: number; body: ReadableStream<Uint8Array> };

/** One stored blob, as the garbage collector sees it. */
export type BlobEntry = BlobHead & { key: BlobKey };

/**
 * Content-addressed storage for image bytes. Keys come from `blobKey` (keys.ts): an original
 * is stored under its own sha256, its renditions beside it. Nothing outside lib/server/storage
 * knows where or how bytes are kept; `blobStore()` (index.ts) picks the implementation.
 *
 * Every implementation runs the shared contract (describe-blob-store.ts).
 */
export interface BlobStore {
  /**
   * Stores the body under `key` unless something is already there; resolves true when this
   * call wrote it. Same key, same bytes: a second put leaves a streamed body unread and only
   * refreshes `modifiedAt`, so the garbage collector's grace period counts from the last time
   * the bytes were stored. An original whose bytes do not hash to its key is refused. Atomic
   * and durable before it resolves, so the row that points to a blob is written only after the
   * blob; a failed put leaves nothing behind, under `key` or beside it.
   */
  put(key: BlobKey, body: BlobBody): Promise<boolean>;
  /** The whole blob, or null when there is none. */
  get(key: BlobKey): Promise<Buffer | null>;
  /** The blob as a stream with its size (for Content-Length), or null when there is none. */
  stream(key: BlobKey): Promise<BlobStream | null>;
  head(key: BlobKey): Promise<BlobHead | null>;
  /** Removes the blob; resolves false when there was none. */
  delete(key: BlobKey): Promise<boolean>;
  /** Every stored blob, in no particular order (for the garbage collector). */
  list(): AsyncIterable<BlobEntry>;
  /**
   * Removes what writes interrupted by a crash left behind, if untouched since `olderThan`
   * (a write still in progress in another process is newer). Resolves how many were removed.
   */
  sweep(olderThan: Date): Promise<number>;
  /**
   * A URL anyone holding it can GET the blob from until it expires, served by the store itself
   * (S3's presigned GET). Only stores reachable from outside have it; without it, vendors fetch
   * through /api/inputs under PUBLIC_BASE_URL (lib/server/public-url.ts).
   */
  presignGet?(key: BlobKey, options?: { contentType?: string }): Promise<string>;
}

/** A row points at bytes the store no longer has. Says nothing of where they were kept. */
export class BlobMissingError extends Error {
  constructor() {
    super('A stored image is missing from storage.');
    this.name = 'BlobMissingError';
  }
}
