import { voteSchema } from '@/lib/schemas/review';
import { defineReviewRoute, requireReviewer } from '@/lib/server/review/route';
import { addVote } from '@/lib/server/review/review-write';

export const runtime = 'nodejs';

/** A blind vote on the pair the page showed: left, right or the same. */
export const POST = defineReviewRoute({ name: 'review.vote', body: voteSchema }, (ctx, { body, reviewer }) =>
  addVote(ctx, requireReviewer(reviewer), body),
);
