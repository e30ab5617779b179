import 'server-only';
import sharp from 'sharp';
import { blobStore } from './index';
import { blobKey, type BlobKind } from './keys';

export type OpenedImage = { body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>; size: number };
type RenditionKind = Exclude<BlobKind, 'original'>;

/** Keys whose header sharp has read in this process: a good rendition is decoded once, not per GET. */
const verified = new Set<string>();
const VERIFIED_MAX = 20_000;
/** One render per rendition at a time, however many requests ask for it at once. */
const rendering = new Map<string, Promise<Buffer | null>>();

/**
 * The bytes to serve for an image: the original streamed as stored, a rendition read whole
 * (they are small) and checked first. A rendition that is missing, empty, cut short or
 * unreadable (a crash mid-write on an older build, a damaged disk) is rendered again from the
 * original with `render` and stored, so a bad thumbnail is not served forever. Null when there
 * is nothing to serve (no original, or it cannot be rendered).
 */
export async function openImage(
  sha: string,
  kind: BlobKind,
  render: (original: Buffer, kind: RenditionKind) => Promise<Buffer>,
): Promise<OpenedImage | null> {
  if (kind === 'original')
    return blobStore()
      .stream(blobKey(sha))
      .catch(() => null);
  const stored = await readVerified(sha, kind);
  if (stored) return { body: new Uint8Array(stored), size: stored.length };
  const key = blobKey(sha, kind);
  let pending = rendering.get(key);
  if (!pending) {
    pending = renderAndStore(sha, kind, render).finally(() => rendering.delete(key));
    rendering.set(key, pending);
  }
  const rendered = await pending;
  return rendered && { body: new Uint8Array(rendered), size: rendered.length };
}

/** The stored rendition if it is whole and readable; a damaged one is removed. */
async function readVerified(sha: string, kind: RenditionKind): Promise<Buffer | null> {
  const key = blobKey(sha, kind);
  let bytes: Buffer | null;
  try {
    bytes = await blobStore().get(key);
  } catch {
    // There but unreadable: as damaged as an empty file.
    bytes = Buffer.alloc(0);
  }
  if (!bytes) return null;
  if (isWholeWebp(bytes) && (verified.has(key) || (await sharpCanRead(bytes)))) {
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.add(key);
    return bytes;
  }
  verified.delete(key);
  console.warn(`[storage] the ${kind} of image ${sha.slice(0, 12)} was empty or damaged (${bytes.length} bytes); rendering it again`);
  await blobStore()
    .delete(key)
    .catch(() => false);
  return null;
}

async function renderAndStore(
  sha: string,
  kind: RenditionKind,
  render: (original: Buffer, kind: RenditionKind) => Promise<Buffer>,
): Promise<Buffer | null> {
  try {
    const original = await blobStore().get(blobKey(sha));
    if (!original) return null;
    const rendition = await render(original, kind);
    // put skips a key that is there: a concurrent writer's copy is as good as this one.
    await blobStore().put(blobKey(sha, kind), rendition);
    return rendition;
  } catch {
    return null;
  }
}

/**
 * Renditions are WebP: a RIFF container whose header states the file's length, so a file cut
 * short (or empty) is caught without decoding it.
 */
function isWholeWebp(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (
    b.length >= 20 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' && b.readUInt32LE(4) + 8 === b.length
  );
}

async function sharpCanRead(bytes: Buffer): Promise<boolean> {
  try {
    const meta = await sharp(bytes).metadata();
    return meta.format === 'webp' && (meta.width ?? 0) > 0 && (meta.height ?? 0) > 0;
  } catch {
    return false;
  }
}
