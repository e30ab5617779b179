import { reviewerSchema } from '@/lib/schemas/review';
import { defineReviewRoute } from '@/lib/server/review/route';
import { newReviewerId, reviewerSetCookie } from '@/lib/server/review/reviewer-cookie';

export const runtime = 'nodejs';

/** Remembers the reviewer's name on this device (a cookie); keeps the id a device already has. */
export const POST = defineReviewRoute({ name: 'review.reviewer', body: reviewerSchema }, async (_ctx, { body, reviewer, request }) => {
  const me = { reviewerId: reviewer?.reviewerId ?? body.reviewerId ?? newReviewerId(), name: body.name };
  const secure = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  return Response.json(me, { headers: { 'Set-Cookie': reviewerSetCookie(me, secure), 'Cache-Control': 'no-store' } });
});
