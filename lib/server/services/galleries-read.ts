import 'server-only';
import type {
  GalleryActivity,
  GalleryDto,
  GalleryItemDto,
  GalleryListItem,
  ItemVerdict,
  ReviewCounts,
  Verdict,
  VariationReview,
  VariationReviewEntry,
} from '@/lib/schemas/gallery';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { assetDto } from './dto';
import { assertOwnerReads, requireGallery } from './galleries-access';

type VerdictRow = { itemId: string; reviewerId: string; reviewerName: string; verdict: string; comment: string; createdAt: Date };

const VERDICTS: readonly Verdict[] = ['approve', 'reject', 'changes'];
const asVerdict = (v: string): Verdict => (VERDICTS.includes(v as Verdict) ? (v as Verdict) : 'changes');
const EMPTY: ReviewCounts = { approve: 0, reject: 0, changes: 0, comments: 0 };
const verdictSelect = { itemId: true, reviewerId: true, reviewerName: true, verdict: true, comment: true, createdAt: true } as const;

/**
 * Verdicts are append-only: a reviewer's verdict on an item is their newest row. Returns those
 * rows, newest first; two reviewers on one link each keep theirs.
 */
function latestPerReviewer(rows: VerdictRow[]): VerdictRow[] {
  const sorted = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const seen = new Set<string>();
  return sorted.filter((r) => {
    const key = `${r.itemId}\u0000${r.reviewerId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Counts of the latest verdicts, and comments: gallery comments plus every verdict that said something. */
function countsOf(rows: VerdictRow[], commentRows: number): ReviewCounts {
  const counts = { ...EMPTY, comments: commentRows + rows.filter((r) => r.comment.trim() !== '').length };
  for (const r of latestPerReviewer(rows)) counts[asVerdict(r.verdict)]++;
  return counts;
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
}

/** The workspace's galleries, most recently changed first, with a cover and their review counts. */
export async function listGalleries(ctx: Ctx, input: { limit?: number } = {}): Promise<GalleryListItem[]> {
  assertOwnerReads(ctx);
  const galleries = await db().gallery.findMany({
    where: { workspaceId: ctx.workspaceId, deletedAt: null },
    orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    take: input.limit ?? 100,
    include: { _count: { select: { items: true, comments: true } }, items: { orderBy: { position: 'asc' }, take: 1 } },
  });
  const ids = galleries.map((g) => g.id);
  const [verdicts, covers] = await Promise.all([
    db().reviewVerdict.findMany({ where: { galleryId: { in: ids } }, select: { ...verdictSelect, galleryId: true } }),
    db().asset.findMany({ where: { id: { in: galleries.flatMap((g) => g.items.map((i) => i.assetId)) } } }),
  ]);
  const byGallery = groupBy(verdicts, (v) => v.galleryId);
  const coverById = new Map(covers.map((a) => [a.id, a]));
  return galleries.map((g) => {
    const cover = g.items[0] ? coverById.get(g.items[0].assetId) : undefined;
    return {
      id: g.id,
      title: g.title,
      description: g.description,
      mode: g.mode,
      itemCount: g._count.items,
      cover: cover ? assetDto(cover) : null,
      review: countsOf(byGallery.get(g.id) ?? [], g._count.comments),
      updatedAt: g.updatedAt.toISOString(),
      createdAt: g.createdAt.toISOString(),
    };
  });
}

/** One gallery in order, each item with its variation's provenance and its reviewers' latest verdicts. */
export async function getGallery(ctx: Ctx, id: string): Promise<GalleryDto> {
  assertOwnerReads(ctx);
  const g = await requireGallery(ctx, id);
  const items = await db().galleryItem.findMany({ where: { galleryId: g.id }, orderBy: [{ position: 'asc' }, { addedAt: 'asc' }] });
  const [assets, variations, verdicts, comments] = await Promise.all([
    db().asset.findMany({ where: { id: { in: items.map((i) => i.assetId) } } }),
    db().variation.findMany({
      where: {
        id: { in: items.flatMap((i) => (i.variationId ? [i.variationId] : [])) },
        run: { session: { workspaceId: ctx.workspaceId } },
      },
      select: {
        id: true,
        provider: true,
        model: true,
        targetId: true,
        seed: true,
        run: { select: { id: true, number: true, instruction: true, sessionId: true } },
      },
    }),
    db().reviewVerdict.findMany({ where: { galleryId: g.id }, select: verdictSelect }),
    db().reviewComment.findMany({ where: { galleryId: g.id }, select: { itemId: true } }),
  ]);
  const assetById = new Map(assets.map((a) => [a.id, a]));
  const variationById = new Map(variations.map((v) => [v.id, v]));
  const verdictsByItem = groupBy(verdicts, (v) => v.itemId);
  const commentsByItem = groupBy(comments, (c) => c.itemId);
  const dtos = items.flatMap((item): GalleryItemDto[] => {
    const asset = assetById.get(item.assetId);
    if (!asset) return [];
    const v = item.variationId ? variationById.get(item.variationId) : undefined;
    const rows = verdictsByItem.get(item.id) ?? [];
    return [
      {
        id: item.id,
        position: item.position,
        caption: item.caption,
        asset: assetDto(asset),
        variation: v
          ? {
              id: v.id,
              sessionId: v.run.sessionId,
              runId: v.run.id,
              runNumber: v.run.number,
              instruction: v.run.instruction,
              provider: v.provider,
              model: v.model,
              targetId: v.targetId,
              seed: v.seed,
            }
          : null,
        verdicts: latestPerReviewer(rows).map(
          (r): ItemVerdict => ({
            reviewerName: r.reviewerName,
            verdict: asVerdict(r.verdict),
            comment: r.comment,
            at: r.createdAt.toISOString(),
          }),
        ),
        review: countsOf(rows, commentsByItem.get(item.id)?.length ?? 0),
      },
    ];
  });
  return {
    id: g.id,
    title: g.title,
    description: g.description,
    mode: g.mode,
    seenAt: g.seenAt?.toISOString() ?? null,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
    items: dtos,
    review: countsOf(verdicts, comments.length),
  };
}

/** Verdicts, comments and blind votes newer than the designer's last look (all of them before a first look), newest first. */
export async function galleryActivity(
  ctx: Ctx,
  id: string,
  limit = 50,
): Promise<{ seenAt: string | null; total: number; entries: GalleryActivity[] }> {
  assertOwnerReads(ctx);
  const g = await requireGallery(ctx, id);
  const where = { galleryId: g.id, ...(g.seenAt && { createdAt: { gt: g.seenAt } }) };
  const newest = { orderBy: { createdAt: 'desc' as const }, take: limit };
  const [verdicts, comments, votes, items, counts] = await Promise.all([
    db().reviewVerdict.findMany({ where, ...newest }),
    db().reviewComment.findMany({ where, ...newest }),
    db().blindVote.findMany({ where, ...newest }),
    db().galleryItem.findMany({ where: { galleryId: g.id }, select: { id: true, position: true, caption: true } }),
    Promise.all([db().reviewVerdict.count({ where }), db().reviewComment.count({ where }), db().blindVote.count({ where })]),
  ]);
  const itemById = new Map(items.map((i) => [i.id, i]));
  const itemLabel = (itemId: string | null) => {
    if (itemId === null) return null;
    const item = itemById.get(itemId);
    return item ? item.caption || `Item ${item.position + 1}` : 'a removed item';
  };
  const entries: GalleryActivity[] = [
    ...verdicts.map((v) => ({
      id: v.id,
      kind: 'verdict' as const,
      reviewerName: v.reviewerName,
      at: v.createdAt,
      itemLabel: itemLabel(v.itemId),
      verdict: asVerdict(v.verdict),
      text: v.comment,
    })),
    ...comments.map((c) => ({
      id: c.id,
      kind: 'comment' as const,
      reviewerName: c.reviewerName,
      at: c.createdAt,
      itemLabel: itemLabel(c.itemId),
      text: c.body,
    })),
    ...votes.map((v) => ({
      id: v.id,
      kind: 'vote' as const,
      reviewerName: v.reviewerName,
      at: v.createdAt,
      itemLabel: null,
      text:
        v.choice === 'same'
          ? `${itemLabel(v.itemAId)} and ${itemLabel(v.itemBId)}: about the same`
          : `preferred ${itemLabel(v.choice === 'a' ? v.itemAId : v.itemBId)}`,
    })),
  ]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, limit)
    .map((e) => ({ ...e, at: e.at.toISOString() }));
  return { seenAt: g.seenAt?.toISOString() ?? null, total: counts.reduce((a, b) => a + b, 0), entries };
}

/**
 * Each variation's review across every live gallery of the workspace it is in: the counts of
 * its reviewers' latest verdicts, comments, and the newest verdict. Variations nobody reviewed
 * are absent from the map. Used by the history, grid, lineage and provenance views.
 */
export async function verdictsForVariations(ctx: Ctx, variationIds: readonly string[]): Promise<Map<string, VariationReview>> {
  assertOwnerReads(ctx);
  const out = new Map<string, VariationReview>();
  if (variationIds.length === 0) return out;
  const items = await db().galleryItem.findMany({
    where: { variationId: { in: [...new Set(variationIds)] }, gallery: { workspaceId: ctx.workspaceId, deletedAt: null } },
    select: { id: true, variationId: true },
  });
  if (items.length === 0) return out;
  const itemIds = items.map((i) => i.id);
  const [verdicts, comments] = await Promise.all([
    db().reviewVerdict.findMany({ where: { itemId: { in: itemIds } }, select: verdictSelect }),
    db().reviewComment.findMany({ where: { itemId: { in: itemIds } }, select: { itemId: true } }),
  ]);
  const variationOf = new Map(items.map((i) => [i.id, i.variationId!]));
  const verdictsBy = groupBy(verdicts, (v) => variationOf.get(v.itemId)!);
  const commentsBy = groupBy(comments, (c) => variationOf.get(c.itemId!)!);
  for (const variationId of new Set(variationOf.values())) {
    const rows = verdictsBy.get(variationId) ?? [];
    const commentCount = commentsBy.get(variationId)?.length ?? 0;
    if (rows.length === 0 && commentCount === 0) continue;
    const newest = latestPerReviewer(rows)[0];
    out.set(variationId, {
      ...countsOf(rows, commentCount),
      latest: newest ? { verdict: asVerdict(newest.verdict), reviewerName: newest.reviewerName, at: newest.createdAt.toISOString() } : null,
    });
  }
  return out;
}

/** Every verdict and comment on one variation, in any live gallery, newest first (the provenance page's "Reviews"). */
export async function reviewsForVariation(ctx: Ctx, variationId: string): Promise<VariationReviewEntry[]> {
  assertOwnerReads(ctx);
  const items = await db().galleryItem.findMany({
    where: { variationId, gallery: { workspaceId: ctx.workspaceId, deletedAt: null } },
    select: { id: true, gallery: { select: { id: true, title: true } } },
  });
  if (items.length === 0) return [];
  const galleryOf = new Map(items.map((i) => [i.id, i.gallery]));
  const itemIds = items.map((i) => i.id);
  const [verdicts, comments] = await Promise.all([
    db().reviewVerdict.findMany({ where: { itemId: { in: itemIds } }, orderBy: { createdAt: 'desc' }, take: 200 }),
    db().reviewComment.findMany({ where: { itemId: { in: itemIds } }, orderBy: { createdAt: 'desc' }, take: 200 }),
  ]);
  const entries = [
    ...verdicts.map((v) => ({
      id: v.id,
      itemId: v.itemId,
      kind: 'verdict' as const,
      reviewerName: v.reviewerName,
      verdict: asVerdict(v.verdict),
      text: v.comment,
      at: v.createdAt,
    })),
    ...comments.map((c) => ({
      id: c.id,
      itemId: c.itemId!,
      kind: 'comment' as const,
      reviewerName: c.reviewerName,
      text: c.body,
      at: c.createdAt,
    })),
  ];
  return entries
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map(({ itemId, at, ...e }) => {
      const g = galleryOf.get(itemId)!;
      return { ...e, galleryId: g.id, galleryTitle: g.title, at: at.toISOString() };
    });
}
