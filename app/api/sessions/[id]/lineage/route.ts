import { z } from 'zod';
import { notFound } from '@/lib/server/errors';
import { defineRoute } from '@/lib/server/route';
import { getLineage } from '@/lib/server/services/lineage';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(64) });

/** A session's lineage tree material: runs with references and outputs, oldest first. */
export const GET = defineRoute({ name: 'lineage.get', params }, async (ctx, { params }) => {
  const lineage = await getLineage(ctx, params.id);
  if (!lineage) throw notFound('This session no longer exists.');
  return lineage;
});
