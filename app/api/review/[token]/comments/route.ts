import { commentSchema } from '@/lib/schemas/review';
import { defineReviewRoute, requireReviewer } from '@/lib/server/review/route';
import { addComment } from '@/lib/server/review/review-write';

export const runtime = 'nodejs';

/** A comment on the gallery as a whole (or on one item). */
export const POST = defineReviewRoute({ name: 'review.comment', body: commentSchema }, (ctx, { body, reviewer }) =>
  addComment(ctx, requireReviewer(reviewer), body),
);
