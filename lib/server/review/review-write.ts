import 'server-only';
import type { z } from 'zod';
import type { commentSchema, ReviewerDto, verdictSchema, voteSchema } from '@/lib/schemas/review';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError, notFound } from '../errors';
import { newId } from '../ids';
import { createFailureLimiter } from '../perimeter/rate-limit';
import { loadGalleryItems } from './gallery-items';
import { assertShareStillValid, viewerOf } from './viewer';

/**
 * Writes through a share link: every one re-checks the link (revoked a second ago = refused),
 * is limited per reviewer and overall (a link can be passed around; nothing here needs more
 * than a person clicking), and appends a row: nothing a reviewer sends overwrites anything.
 */
const writes = createFailureLimiter({ perClient: 30, global: 600, windowMs: 60_000 });

/** What every row a reviewer appends carries: its own id, the gallery, the link and the reviewer. */
type Authored = { id: string; galleryId: string; shareId: string; reviewerId: string; reviewerName: string };

/** Lets the write through (link still valid, under the limits) and stamps the row it will append. */
async function admit(ctx: Ctx, reviewer: ReviewerDto): Promise<Authored> {
  const viewer = viewerOf(ctx);
  await assertShareStillValid(ctx);
  const key = `${viewer.shareId}:${reviewer.reviewerId}`;
  const verdict = writes.check(key);
  if (!verdict.allowed)
    throw new AppError('rate_limited', 'Too many reviews in a minute; wait a moment and try again.', {
      retryAfter: verdict.retryAfterSeconds,
    });
  writes.fail(key);
  return {
    id: newId(),
    galleryId: viewer.galleryId,
    shareId: viewer.shareId,
    reviewerId: reviewer.reviewerId,
    reviewerName: reviewer.name,
  };
}

async function requireItem(galleryId: string, itemId: string) {
  const item = await db().galleryItem.findFirst({ where: { id: itemId, galleryId }, select: { id: true } });
  if (!item) throw notFound('That image is not in this gallery.');
  return item;
}

export async function addVerdict(ctx: Ctx, reviewer: ReviewerDto, input: z.output<typeof verdictSchema>): Promise<{ id: string }> {
  const authored = await admit(ctx, reviewer);
  await requireItem(authored.galleryId, input.itemId);
  const row = await db().reviewVerdict.create({
    data: { ...authored, itemId: input.itemId, verdict: input.verdict, comment: input.comment },
  });
  return { id: row.id };
}

export async function addComment(ctx: Ctx, reviewer: ReviewerDto, input: z.output<typeof commentSchema>): Promise<{ id: string }> {
  const authored = await admit(ctx, reviewer);
  if (input.itemId) await requireItem(authored.galleryId, input.itemId);
  const row = await db().reviewComment.create({ data: { ...authored, itemId: input.itemId ?? null, body: input.body } });
  return { id: row.id };
}

/**
 * A blind vote: both items of this gallery, from different targets, while the comparison is
 * still hidden; one vote per reviewer per pair (the pairing never offers a pair twice, so a
 * second one is a replayed request). Left is stored as A.
 */
export async function addVote(ctx: Ctx, reviewer: ReviewerDto, input: z.output<typeof voteSchema>): Promise<{ id: string }> {
  const authored = await admit(ctx, reviewer);
  const { galleryId } = authored;
  const gallery = await db().gallery.findFirst({ where: { id: galleryId }, select: { mode: true, revealedAt: true } });
  if (gallery?.mode !== 'blind') throw new AppError('conflict', 'This gallery is not a blind comparison.');
  if (gallery.revealedAt) throw new AppError('conflict', 'The designer has revealed the results; voting is closed.');
  const items = new Map((await loadGalleryItems(galleryId)).map((i) => [i.id, i]));
  const left = items.get(input.leftId);
  const right = items.get(input.rightId);
  if (!left || !right) throw notFound('That image is not in this gallery.');
  if (!left.targetId || !right.targetId || left.targetId === right.targetId)
    throw new AppError('invalid_input', 'Those two images cannot be compared blind.');
  const already = await db().blindVote.findFirst({
    where: {
      galleryId,
      reviewerId: reviewer.reviewerId,
      OR: [
        { itemAId: left.id, itemBId: right.id },
        { itemAId: right.id, itemBId: left.id },
      ],
    },
    select: { id: true },
  });
  if (already) throw new AppError('conflict', 'You have already compared these two.');
  const choice = input.choice === 'left' ? 'a' : input.choice === 'right' ? 'b' : 'same';
  const row = await db().blindVote.create({ data: { ...authored, itemAId: left.id, itemBId: right.id, choice } });
  return { id: row.id };
}
