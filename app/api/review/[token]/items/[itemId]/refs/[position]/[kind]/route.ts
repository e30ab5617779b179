import { z } from 'zod';
import { defineReviewRoute } from '@/lib/server/review/route';
import { serveReviewImage } from '@/lib/server/review/serve';

export const runtime = 'nodejs';

const params = z.object({
  itemId: z.string().min(1).max(64),
  position: z.coerce.number().int().min(0).max(15),
  kind: z.enum(['preview', 'thumb']),
});

/** A reference image behind a gallery item (its run's input), through the share link. */
export const GET = defineReviewRoute({ name: 'review.reference', params }, (ctx, { params }) =>
  serveReviewImage(ctx, params.itemId, params.kind, params.position),
);
