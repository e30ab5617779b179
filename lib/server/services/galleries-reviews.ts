import 'server-only';
import type { VariationReview } from '@/lib/schemas/gallery';
import type { Ctx } from '../context';
import { verdictsForVariations } from './galleries-read';

type WithReview<T> = T & { review?: VariationReview };

/**
 * Adds the review badge's data (`review`) to variations on their way out of the history, grid
 * and lineage services. Only for the owner: an API token's responses keep their documented shape.
 */
export async function withReviews<T extends { id: string }>(ctx: Ctx, variations: T[]): Promise<WithReview<T>[]> {
  if (ctx.actor.kind !== 'owner' || variations.length === 0) return variations;
  const reviews = await verdictsForVariations(
    ctx,
    variations.map((v) => v.id),
  );
  if (reviews.size === 0) return variations;
  return variations.map((v) => {
    const review = reviews.get(v.id);
    return review ? { ...v, review } : v;
  });
}

/** The same for runs (history) and lineage nodes, whose variations sit one level down. */
export async function withRunReviews<R extends { variations: { id: string }[] }>(ctx: Ctx, runs: R[]): Promise<R[]> {
  const reviewed = await withReviews(
    ctx,
    runs.flatMap((r) => r.variations),
  );
  if (reviewed.every((v) => !('review' in v))) return runs;
  const byId = new Map(reviewed.map((v) => [v.id, v]));
  return runs.map((r) => ({ ...r, variations: r.variations.map((v) => byId.get(v.id) ?? v) }));
}
