import { z } from 'zod';
import { notFound } from '@/lib/server/errors';
import { defineRoute } from '@/lib/server/route';
import { getLineagePage, lineagePageSchema } from '@/lib/server/services/lineage';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(64) });

/**
 * One page of a session's lineage tree (`?expand=<runId>&cursor=<n>`: the next children of that
 * run; neither: the root runs, newest first), each run with its references and thumbnails.
 */
export const GET = defineRoute({ name: 'lineage.page', params, query: lineagePageSchema }, async (ctx, { params, query }) => {
  const page = await getLineagePage(ctx, { sessionId: params.id, ...query });
  if (!page) throw notFound('This session no longer exists.');
  return page;
});
