import { z } from 'zod';
import { defineRoute } from '@/lib/server/route';
import { listGalleries } from '@/lib/server/services/galleries';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The galleries for the sidebar and the "Add to gallery" picker. */
export const GET = defineRoute(
  { name: 'galleries.list', query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(100) }) },
  async (ctx, { query }) => ({ galleries: await listGalleries(ctx, { limit: query.limit }) }),
);
