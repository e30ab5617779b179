import 'server-only';
import { db } from '../db/client';

type Verdict = { reviewerId: string; reviewerName: string; verdict: string; comment: string; at: string; galleryId?: string };
type Comment = { reviewerId: string; reviewerName: string; body: string; at: string; galleryId?: string };

export type ItemReview = { verdicts: Verdict[]; verdictHistory: Verdict[]; comments: Comment[] };

/**
 * Verdicts and comments straight from the review tables (append-only: a reviewer's latest
 * verdict row is their verdict). `keys` maps each export entry's key to the gallery items it
 * stands for: one item for a gallery export, every gallery item of a variation for a
 * selection (then each verdict says which gallery it was given in).
 */
export async function reviewsFor(
  keys: Map<string, string[]>,
  scope: { galleryIds: string[]; selection: boolean },
): Promise<{ items: Map<string, ItemReview>; galleryComments: Comment[] }> {
  const itemIds = [...keys.values()].flat();
  const single = !scope.selection;
  if (itemIds.length === 0) return { items: new Map(), galleryComments: [] };
  const [verdicts, comments] = await Promise.all([
    db().reviewVerdict.findMany({
      where: { galleryId: { in: scope.galleryIds }, itemId: { in: itemIds } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
    db().reviewComment.findMany({
      where: { galleryId: { in: scope.galleryIds }, OR: [{ itemId: { in: itemIds } }, ...(single ? [{ itemId: null }] : [])] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const where = (galleryId: string) => (single ? {} : { galleryId });
  const items = new Map<string, ItemReview>();
  for (const [key, ids] of keys) {
    const mine = new Set(ids);
    const history = verdicts
      .filter((v) => mine.has(v.itemId))
      .map((v) => ({
        reviewerId: v.reviewerId,
        reviewerName: v.reviewerName,
        verdict: v.verdict,
        comment: v.comment,
        at: v.createdAt.toISOString(),
        ...where(v.galleryId),
      }));
    // Latest per reviewer (and per gallery, for a selection): history is oldest first.
    const latest = new Map<string, Verdict>();
    for (const v of history) latest.set(`${v.galleryId ?? ''}:${v.reviewerId}`, v);
    items.set(key, {
      verdicts: [...latest.values()],
      verdictHistory: history,
      comments: comments
        .filter((c) => c.itemId !== null && mine.has(c.itemId))
        .map((c) => ({
          reviewerId: c.reviewerId,
          reviewerName: c.reviewerName,
          body: c.body,
          at: c.createdAt.toISOString(),
          ...where(c.galleryId),
        })),
    });
  }
  const galleryComments = comments
    .filter((c) => c.itemId === null)
    .map((c) => ({ reviewerId: c.reviewerId, reviewerName: c.reviewerName, body: c.body, at: c.createdAt.toISOString() }));
  return { items, galleryComments };
}
