import 'server-only';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { renditionFrom } from '../images/prepare';
import { openImage } from '../storage/renditions';
import { viewerOf } from './viewer';

export type ReviewImageKind = 'preview' | 'thumb' | 'original';

const NOT_FOUND = () => new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });

/**
 * Bytes of one gallery item, or of a reference behind it, for a viewer: the item must belong
 * to the link's gallery (an id from anywhere else is a plain 404, like a made-up one).
 * Renditions are WebP re-encoded by sharp, which writes no metadata; originals are refused
 * while a blind comparison is hidden, since a vendor's file can name its maker.
 * Cache: private and short, so a revoked link stops showing images soon on that device too.
 */
export async function serveReviewImage(ctx: Ctx, itemId: string, kind: ReviewImageKind, refPosition?: number): Promise<Response> {
  const { galleryId } = viewerOf(ctx);
  const item = await db().galleryItem.findFirst({
    where: { id: itemId, galleryId, gallery: { deletedAt: null } },
    select: { assetId: true, variationId: true, gallery: { select: { mode: true, revealedAt: true } } },
  });
  if (!item) return NOT_FOUND();
  const hidden = item.gallery.mode === 'blind' && !item.gallery.revealedAt;
  if (kind === 'original' && (hidden || refPosition !== undefined)) return NOT_FOUND();

  let assetId = item.assetId;
  if (refPosition !== undefined) {
    if (!item.variationId) return NOT_FOUND();
    const variation = await db().variation.findUnique({ where: { id: item.variationId }, select: { runId: true } });
    const ref =
      variation && (await db().runReference.findUnique({ where: { runId_position: { runId: variation.runId, position: refPosition } } }));
    if (!ref) return NOT_FOUND();
    assetId = ref.assetId;
  }
  const asset = await db().asset.findUnique({ where: { id: assetId }, select: { sha256: true, mime: true } });
  if (!asset) return NOT_FOUND();
  const blob = await openImage(asset.sha256, kind, renditionFrom);
  if (!blob) return NOT_FOUND();
  return new Response(blob.body, {
    headers: {
      'Content-Type': kind === 'original' ? asset.mime : 'image/webp',
      'Content-Length': String(blob.size),
      'Cache-Control': 'private, max-age=300',
      'X-Content-Type-Options': 'nosniff',
      // The content hash would be an identifier shared with the studio: the ETag is not sent.
    },
  });
}
