import 'server-only';
import type { BlindPairDto, CommentDto, ReviewItemDto, ReviewPageDto, Verdict, VerdictDto } from '@/lib/schemas/review';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { notFound } from '../errors';
import { type LoadedItem, loadGalleryItems } from './gallery-items';
import { nextPair } from './pairing';
import { viewerOf } from './viewer';

type View = { base: string; hidden: boolean; reviewerId?: string | null };

/** Every reviewer's latest verdict per item: rows are append-only, the newest one is current. */
export function currentVerdicts(
  rows: { itemId: string; reviewerId: string; reviewerName: string; verdict: string; comment: string; createdAt: Date }[],
): Map<string, VerdictDto[]> {
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const key = `${r.itemId}\u0000${r.reviewerId}`;
    const seen = latest.get(key);
    if (!seen || seen.createdAt.getTime() <= r.createdAt.getTime()) latest.set(key, r);
  }
  const byItem = new Map<string, VerdictDto[]>();
  for (const r of latest.values()) {
    const list = byItem.get(r.itemId) ?? [];
    list.push({
      reviewerId: r.reviewerId,
      reviewerName: r.reviewerName,
      verdict: r.verdict as Verdict,
      comment: r.comment,
      createdAt: r.createdAt.toISOString(),
    });
    byItem.set(r.itemId, list);
  }
  for (const list of byItem.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return byItem;
}

/**
 * One item as a viewer may see it. While a blind comparison is hidden: no target, no caption
 * (a designer's caption often names the model), no original (a vendor's file may carry its
 * own metadata; previews are re-encoded WebP without any), no reviewer verdicts.
 */
function toItemDto(item: LoadedItem, view: View, verdicts: VerdictDto[]): ReviewItemDto {
  const url = `${view.base}/items/${item.id}`;
  return {
    id: item.id,
    // Gallery order may group items by target: hidden, an item has no number to give that away.
    number: view.hidden ? 0 : item.number,
    caption: view.hidden ? '' : item.caption,
    previewUrl: `${url}/preview`,
    originalUrl: view.hidden ? null : `${url}/original`,
    target: view.hidden ? null : item.targetLabel,
    details:
      item.instruction === null
        ? null
        : {
            instruction: item.instruction,
            negativePrompt: item.negativePrompt,
            references: item.references.map((r, i) => ({ url: `${url}/refs/${r.position}/preview`, label: `Reference ${i + 1}` })),
          },
    verdicts: view.hidden
      ? []
      : verdicts.map(({ reviewerId, ...v }) => ({ ...v, mine: !!view.reviewerId && reviewerId === view.reviewerId })),
  };
}

async function galleryOf(ctx: Ctx) {
  const { galleryId } = viewerOf(ctx);
  const gallery = await db().gallery.findFirst({ where: { id: galleryId, workspaceId: ctx.workspaceId, deletedAt: null } });
  if (!gallery) throw notFound('No such review link.');
  return gallery;
}

/** Everything the review page shows, for the link's gallery only. `base` is /api/review/<token>. */
export async function reviewPage(ctx: Ctx, input: { base: string; reviewerId?: string | null }): Promise<ReviewPageDto> {
  const gallery = await galleryOf(ctx);
  const hidden = gallery.mode === 'blind' && !gallery.revealedAt;
  const [items, verdictRows, commentRows] = await Promise.all([
    loadGalleryItems(gallery.id),
    db().reviewVerdict.findMany({ where: { galleryId: gallery.id }, orderBy: { createdAt: 'asc' } }),
    // The newest 500 (a busy link), shown oldest first.
    db()
      .reviewComment.findMany({ where: { galleryId: gallery.id }, orderBy: { createdAt: 'desc' }, take: 500 })
      .then((rows) => rows.reverse()),
  ]);
  const verdicts = currentVerdicts(verdictRows);
  const comments: CommentDto[] = commentRows.map((c) => ({
    id: c.id,
    itemId: c.itemId,
    reviewerName: c.reviewerName,
    body: c.body,
    createdAt: c.createdAt.toISOString(),
  }));
  return {
    title: gallery.title,
    description: gallery.description,
    mode: gallery.mode === 'blind' ? 'blind' : 'standard',
    revealed: gallery.revealedAt !== null,
    // Hidden, the page shows pairs only (nextBlindPair): the list itself would say which images exist.
    items: hidden
      ? []
      : items.map((item) => toItemDto(item, { base: input.base, hidden, reviewerId: input.reviewerId }, verdicts.get(item.id) ?? [])),
    comments,
    expiresAt: null,
  };
}

/** Items a blind comparison pairs: outputs of a run (an upload has no target to score). */
export function pairable(items: LoadedItem[]): { id: string; target: string }[] {
  return items.flatMap((i) => (i.targetId && i.sha256 ? [{ id: i.id, target: i.targetId }] : []));
}

/** The next pair for this reviewer, hidden; null when they have voted on every pair. */
export async function nextBlindPair(ctx: Ctx, input: { base: string; reviewerId: string | null }): Promise<BlindPairDto> {
  const gallery = await galleryOf(ctx);
  if (gallery.mode !== 'blind' || gallery.revealedAt) return null;
  const [items, votes] = await Promise.all([
    loadGalleryItems(gallery.id),
    db().blindVote.findMany({ where: { galleryId: gallery.id }, select: { itemAId: true, itemBId: true, reviewerId: true } }),
  ]);
  const mine = input.reviewerId ? votes.filter((v) => v.reviewerId === input.reviewerId) : [];
  const { pair, remaining } = nextPair(pairable(items), mine, votes);
  if (!pair) return null;
  const byId = new Map(items.map((i) => [i.id, i]));
  const view = { base: input.base, hidden: true };
  return {
    left: toItemDto(byId.get(pair.left)!, view, []),
    right: toItemDto(byId.get(pair.right)!, view, []),
    votedByYou: mine.length,
    remaining,
  };
}
