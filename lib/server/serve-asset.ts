import 'server-only';
import { z } from 'zod';
import { extensionFor, sniffImage } from './images/sniff';
import { db } from './db/client';
import { renditionFrom } from './images/prepare';
import { blobKey, blobStore, isSha256 } from './storage';
import { openImage } from './storage/renditions';

const kindSchema = z.enum(['original', 'thumb', 'preview']);
const downloadName = z
  .string()
  .max(120)
  .regex(/^[\w.\- ]+$/)
  .optional();

/**
 * Content-addressed bytes never change, so the ETag is the digest itself and the response
 * is cacheable forever. Streamed from the blob store, never from public/.
 */
export async function serveAsset(request: Request, sha: string, rawKind: string): Promise<Response> {
  const kind = kindSchema.safeParse(rawKind);
  if (!isSha256(sha) || !kind.success) return new Response('Not found', { status: 404 });
  const etag = `"${sha}-${kind.data}"`;
  const url = new URL(request.url);
  const download = downloadName.safeParse(url.searchParams.get('download') ?? undefined);
  const headers: Record<string, string> = {
    ETag: etag,
    // private: the bytes never change, but they are the owner's; no shared cache may keep them.
    'Cache-Control': 'private, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === etag && !download.data) return new Response(null, { status: 304, headers });

  const asset = await db().asset.findUnique({ where: { sha256: sha }, select: { mime: true } });
  if (!asset) return new Response('Not found', { status: 404 });
  const blob = await openImage(sha, kind.data, renditionFrom);
  if (!blob) return new Response('Not found', { status: 404 });
  headers['Content-Type'] = kind.data === 'original' ? asset.mime : 'image/webp';
  headers['Content-Length'] = String(blob.size);
  if (download.success && download.data && kind.data === 'original') {
    const base = download.data.replace(/\.[a-z0-9]+$/i, '');
    headers['Content-Disposition'] = `attachment; filename="${base}.${extensionFor(asset.mime)}"`;
  }
  return new Response(blob.body, { status: 200, headers });
}

/**
 * Serves a stored input blob (possibly an adapted copy with no Asset row) by digest. The
 * caller (app/api/inputs) has checked the URL's signature: only blobs handed to a vendor.
 */
export async function serveInput(sha: string): Promise<Response> {
  if (!isSha256(sha)) return new Response('Not found', { status: 404 });
  try {
    // Whole, not streamed: the type is sniffed from the bytes, and inputs are small and rare.
    const bytes = await blobStore().get(blobKey(sha));
    if (!bytes) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(bytes), {
      headers: {
        'Content-Type': sniffImage(bytes) ?? 'application/octet-stream',
        'Content-Length': String(bytes.length),
        'X-Content-Type-Options': 'nosniff',
        // The URL expires; no cache, shared or not, should outlive it.
        'Cache-Control': 'private, no-store',
        ETag: `"${sha}"`,
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
