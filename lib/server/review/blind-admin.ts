import 'server-only';
import type { z } from 'zod';
import type { BlindResultsDto, galleryRefSchema, setGalleryModeSchema } from '@/lib/schemas/review';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { assertOwnerReads, assertOwnerWrites, requireGallery } from '../services/galleries-access';
import { scoreTargets } from './blind-math';
import { loadGalleryItems } from './gallery-items';
import { pairable } from './review-read';

/** What makes a gallery a poor blind comparison; shown beside the switch, never blocking it. */
function warningsFor(items: Awaited<ReturnType<typeof loadGalleryItems>>): string[] {
  const warnings: string[] = [];
  const targets = new Set(items.flatMap((i) => (i.targetId ? [i.targetId] : [])));
  const instructions = new Set(items.flatMap((i) => (i.instruction !== null ? [i.instruction] : [])));
  const loose = items.filter((i) => !i.targetId).length;
  if (targets.size < 2)
    warnings.push(`A blind comparison needs images from at least two providers or models; this gallery has ${targets.size}.`);
  if (instructions.size > 1)
    warnings.push(
      `These images come from ${instructions.size} different instructions: compare outputs of one instruction, so that only the provider differs.`,
    );
  if (loose > 0) warnings.push(`${loose} image${loose === 1 ? ' is' : 's are'} not a run's output and will not be paired.`);
  return warnings;
}

export async function blindResults(ctx: Ctx, input: z.output<typeof galleryRefSchema>): Promise<BlindResultsDto> {
  assertOwnerReads(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  const [items, votes] = await Promise.all([
    loadGalleryItems(gallery.id),
    db().blindVote.findMany({ where: { galleryId: gallery.id }, select: { itemAId: true, itemBId: true, choice: true, reviewerId: true } }),
  ]);
  const targetOf = new Map(pairable(items).map((i) => [i.id, i.target]));
  const labelOf = new Map(items.flatMap((i) => (i.targetId && i.targetLabel ? [[i.targetId, i.targetLabel] as const] : [])));
  const scores = scoreTargets(
    votes.map((v) => ({ itemAId: v.itemAId, itemBId: v.itemBId, choice: v.choice === 'a' ? 'a' : v.choice === 'b' ? 'b' : 'same' })),
    (id) => targetOf.get(id),
    [...labelOf.keys()],
  );
  return {
    mode: gallery.mode === 'blind' ? 'blind' : 'standard',
    revealedAt: gallery.revealedAt?.toISOString() ?? null,
    totalVotes: votes.length,
    reviewers: new Set(votes.map((v) => v.reviewerId)).size,
    scores: scores.map((s) => ({
      ...s,
      target: labelOf.get(s.target) ?? s.target,
      items: [...targetOf.values()].filter((t) => t === s.target).length,
    })),
    warnings: warningsFor(items),
  };
}

/** Turning blind on hides providers again (a fresh comparison); turning it off keeps the votes. */
export async function setGalleryMode(ctx: Ctx, input: z.output<typeof setGalleryModeSchema>): Promise<BlindResultsDto> {
  assertOwnerWrites(ctx);
  await requireGallery(ctx, input.galleryId);
  await db().gallery.update({
    where: { id: input.galleryId },
    data: input.mode === 'blind' ? { mode: 'blind', revealedAt: null } : { mode: 'standard' },
  });
  return blindResults(ctx, { galleryId: input.galleryId });
}

/** Reviewers then see which image was which, and voting closes. */
export async function revealGallery(ctx: Ctx, input: z.output<typeof galleryRefSchema>): Promise<BlindResultsDto> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  if (!gallery.revealedAt) await db().gallery.update({ where: { id: gallery.id }, data: { revealedAt: new Date() } });
  return blindResults(ctx, { galleryId: input.galleryId });
}
