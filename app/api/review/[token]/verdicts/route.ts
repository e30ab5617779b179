import { verdictSchema } from '@/lib/schemas/review';
import { defineReviewRoute, requireReviewer } from '@/lib/server/review/route';
import { addVerdict } from '@/lib/server/review/review-write';

export const runtime = 'nodejs';

/** Approve, reject or request changes on one item (appended; the reviewer's latest counts). */
export const POST = defineReviewRoute({ name: 'review.verdict', body: verdictSchema }, (ctx, { body, reviewer }) =>
  addVerdict(ctx, requireReviewer(reviewer), body),
);
