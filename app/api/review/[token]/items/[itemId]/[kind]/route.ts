import { z } from 'zod';
import { defineReviewRoute } from '@/lib/server/review/route';
import { serveReviewImage } from '@/lib/server/review/serve';

export const runtime = 'nodejs';

const params = z.object({ itemId: z.string().min(1).max(64), kind: z.enum(['preview', 'thumb', 'original']) });

/** One gallery item's image, through the share link (404 for an item of any other gallery). */
export const GET = defineReviewRoute({ name: 'review.item', params }, (ctx, { params }) =>
  serveReviewImage(ctx, params.itemId, params.kind),
);
