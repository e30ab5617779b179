import 'server-only';
import { z } from 'zod';
import { extensionFor, sniffImage } from './images/sniff';
import { db } from './db/client';
import { renditionFrom } from './images/prepare';
import { isSha256, putBlob, readBlob, type BlobKind } from './storage/blob-store';

const kindSchema = z.enum(['original', 'thumb', 'preview']);
const downloadName = z
  .string()
  .max(120)
  .regex(/^[\w.\- ]+$/)
  .optional();

/**
 * Content-addressed bytes never change, so the ETag is the digest itself and the response
 * is cacheable forever. Served from the data folder, never from public/.
 */
export async function serveAsset(request: Request, sha: string, rawKind: string): Promise<Response> {
  const kind = kindSchema.safeParse(rawKind);
  if (!isSha256(sha) || !kind.success) return new Response('Not found', { status: 404 });
  const etag = `"${sha}-${kind.data}"`;
  const url = new URL(request.url);
  const download = downloadName.safeParse(url.searchParams.get('download') ?? undefined);
  const headers: Record<string, string> = {
    ETag: etag,
    'Cache-Control': 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === etag && !download.data) return new Response(null, { status: 304, headers });

  const asset = await db().asset.findUnique({ where: { sha256: sha }, select: { mime: true } });
  if (!asset) return new Response('Not found', { status: 404 });
  const bytes = await readOrRender(sha, kind.data);
  if (!bytes) return new Response('Not found', { status: 404 });
  headers['Content-Type'] = kind.data === 'original' ? asset.mime : 'image/webp';
  headers['Content-Length'] = String(bytes.length);
  if (download.success && download.data && kind.data === 'original') {
    const base = download.data.replace(/\.[a-z0-9]+$/i, '');
    headers['Content-Disposition'] = `attachment; filename="${base}.${extensionFor(asset.mime)}"`;
  }
  return new Response(new Uint8Array(bytes), { status: 200, headers });
}

/** A rendition missing on disk is rendered from the original once, then served from disk. */
async function readOrRender(sha: string, kind: BlobKind): Promise<Buffer | undefined> {
  try {
    return await readBlob(sha, kind);
  } catch {
    if (kind === 'original') return undefined;
  }
  try {
    const rendition = await renditionFrom(await readBlob(sha, 'original'), kind);
    await putBlob(sha, kind, rendition);
    return rendition;
  } catch {
    return undefined;
  }
}

/** Serves a stored input blob (possibly an adapted copy with no Asset row) by digest. */
export async function serveInput(sha: string): Promise<Response> {
  if (!isSha256(sha)) return new Response('Not found', { status: 404 });
  try {
    const bytes = await readBlob(sha, 'original');
    return new Response(new Uint8Array(bytes), {
      headers: {
        'Content-Type': sniffImage(bytes) ?? 'application/octet-stream',
        'Cache-Control': 'public, max-age=86400, immutable',
        ETag: `"${sha}"`,
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
