import 'server-only';
import { createHash } from 'node:crypto';

/** The bytes as stored, and the WebP renditions made from them. */
export const BLOB_KINDS = ['original', 'thumb', 'preview'] as const;
export type BlobKind = (typeof BLOB_KINDS)[number];

/**
 * `<sha256>` for an original, `<sha256>.<kind>.webp` for a rendition: flat and safe both as a
 * file name and as an object key. Branded so that every key is made by `blobKey`, never by
 * string concatenation at a call site.
 */
export type BlobKey = string & { readonly __blobKey: true };

const SHA_RE = /^[a-f0-9]{64}$/;
const KEY_RE = /^([a-f0-9]{64})(?:\.(thumb|preview)\.webp)?$/;

export function isSha256(value: string): boolean {
  return SHA_RE.test(value);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function blobKey(sha: string, kind: BlobKind = 'original'): BlobKey {
  if (!isSha256(sha)) throw new Error('Not a sha256 digest.');
  return (kind === 'original' ? sha : `${sha}.${kind}.webp`) as BlobKey;
}

/** The digest and kind a key names, or null for anything that is not a blob key. */
export function parseBlobKey(key: string): { sha: string; kind: BlobKind } | null {
  const match = KEY_RE.exec(key);
  if (!match) return null;
  return { sha: match[1]!, kind: (match[2] as BlobKind | undefined) ?? 'original' };
}
