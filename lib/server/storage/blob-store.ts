import 'server-only';
import type { BlobKey } from './keys';

/** What `put` accepts: bytes in memory, or chunks as they arrive (a Node or web stream). */
export type BlobBody = Uint8Array | AsyncIterable<Uint8Array>;

export type BlobHead = { size: number };

export type BlobStream = BlobHead & { body: ReadableStream<Uint8Array> };

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
   * call wrote it. Same key, same bytes: a second put is a no-op and leaves a streamed body
   * unread. An original whose bytes do not hash to its key is refused. Atomic and, for
   * originals, durable before it resolves, so the row that points to a blob is written only
   * after the blob; a failed put leaves nothing under `key`.
   */
  put(key: BlobKey, body: BlobBody): Promise<boolean>;
  /** The whole blob, or null when there is none. */
  get(key: BlobKey): Promise<Buffer | null>;
  /** The blob as a stream with its size (for Content-Length), or null when there is none. */
  stream(key: BlobKey): Promise<BlobStream | null>;
  head(key: BlobKey): Promise<BlobHead | null>;
  /** Removes the blob; resolves false when there was none. */
  delete(key: BlobKey): Promise<boolean>;
}

/** A row points at bytes the store no longer has. Says nothing of where they were kept. */
export class BlobMissingError extends Error {
  constructor() {
    super('A stored image is missing from storage.');
    this.name = 'BlobMissingError';
  }
}
